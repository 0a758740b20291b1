package org.tensorparity.backend.tflite;

import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.global.tensorflowlite;
import org.tensorparity.backend.LitterRemoval;

/**
 * Loads TFLite's native library once per process, the way a command-line tool needs it.
 *
 * <ul>
 *   <li><b>No litter.</b> JavaCPP extracts the library to {@code ~/.javacpp/cache}; where that cannot be
 *   written (another user, an unwritable home) it falls back to {@code java.io.tmpdir/.javacpp-USER}, which
 *   would then be left behind. A fallback folder this process created is removed when the JVM exits: the
 *   library stays mapped until then, and Linux keeps a mapped file alive after it is unlinked.</li>
 *   <li><b>One line on stderr.</b> TFLite's log threshold goes from INFO to WARNING, so its "INFO: Created
 *   TensorFlow Lite XNNPACK delegate for CPU." no longer precedes every message we print; warnings still
 *   show. TFLite's {@code tflite::LoggerOptions::SetMinimumLogSeverity} is not mapped by the bytedeco
 *   preset; the setting it writes is one exported {@code int}, found by its linux-x86_64 symbol. Where the
 *   symbol is missing (another platform or TFLite build), the INFO line stays.</li>
 * </ul>
 */
final class TfLiteNatives {
    private static final String MIN_SEVERITY_SYMBOL =
            "_ZN6tflite16logging_internal13MinimalLogger21minimum_log_severity_E";
    /** {@code TFLITE_LOG_WARNING} in tensorflow/lite/logger.h (VERBOSE 0, INFO 1, WARNING 2, ERROR 3). */
    private static final int WARNING = 2;

    private static boolean loaded;

    private TfLiteNatives() {
    }

    /** Loads the library and applies the settings above; later calls do nothing. */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        Path fallbackCache = Path.of(System.getProperty("java.io.tmpdir"), ".javacpp-" + System.getProperty("user.name"));
        boolean fallbackExisted = Files.exists(fallbackCache);
        Loader.load(tensorflowlite.class);
        loaded = true;
        if (!fallbackExisted && Files.exists(fallbackCache)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LitterRemoval.deleteTree(fallbackCache), "javacpp-cache-sweeper"));
        }
        Pointer setting = Loader.addressof(MIN_SEVERITY_SYMBOL);
        if (setting != null && !setting.isNull()) {
            new VaListFormatter.Raw(setting.address()).putInt(0, WARNING);
        }
    }
}
