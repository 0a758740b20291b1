package org.tensorparity.backend.tflite;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.tensorflowlite.global.tensorflowlite;
import org.tensorparity.backend.NativeLibraryCache;

/**
 * Loads TFLite's native library once per process, the way a command-line tool needs it.
 *
 * <ul>
 *   <li><b>No litter.</b> JavaCPP extracts the library to its cache, through {@link NativeLibraryCache}, which
 *   removes a temporary fallback folder at exit.</li>
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
        NativeLibraryCache.extracting(() -> Loader.load(tensorflowlite.class));
        loaded = true;
        Pointer setting = Loader.addressof(MIN_SEVERITY_SYMBOL);
        if (setting != null && !setting.isNull()) {
            new VaListFormatter.Raw(setting.address()).putInt(0, WARNING);
        }
    }
}
