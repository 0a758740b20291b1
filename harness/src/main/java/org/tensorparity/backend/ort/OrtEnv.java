package org.tensorparity.backend.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import java.util.List;
import org.tensorparity.backend.NativeLibraryCache;
import org.tensorparity.backend.NativeStack;

/**
 * The process-wide ONNX Runtime environment, created on first use. Callers reach it only from inside
 * {@link NativeStack#call}: loading the native library and starting the environment needs more stack
 * than a default Java thread has.
 */
final class OrtEnv {
    /** Where ONNX Runtime's jar keeps its native libraries for this platform, the only one TFLite runs on here. */
    private static final String NATIVE_FOLDER = "/ai/onnxruntime/native/linux-x64/";
    /** ONNX Runtime's own switch: load the libraries from this folder rather than extracting them anew. */
    private static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
    private static final OrtEnvironment INSTANCE = start();

    private OrtEnv() {
    }

    static OrtEnvironment get() {
        return INSTANCE;
    }

    private static OrtEnvironment start() {
        OrtLitterSweeper sweeper = OrtLitterSweeper.beforeStart();
        useCachedLibraries();
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "tensor-parity");
        try {
            env.setTelemetry(false);
        } catch (OrtException e) {
            // Telemetry is off by default on Linux builds; failing to switch it off is harmless.
        }
        sweeper.sweepAfterStart();
        return env;
    }

    /**
     * Left to itself, ONNX Runtime inflates its 28 MB library from the jar into a fresh temporary folder in every
     * process: 140 ms of a 210 ms start on the 2-core CI machine, against 70 ms when loaded from a folder (measured
     * with cold JVMs, A B alternated). The libraries are kept in {@link NativeLibraryCache} instead, unless the
     * user chose a folder, or the platform is another (ONNX Runtime then finds its own way).
     */
    private static void useCachedLibraries() {
        boolean linuxX64 = "linux".equalsIgnoreCase(System.getProperty("os.name"))
                && List.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
        if (!linuxX64 || System.getProperty(NATIVE_PATH_PROPERTY) != null) {
            return;
        }
        NativeLibraryCache.folderOf(OrtEnvironment.class, NATIVE_FOLDER + "libonnxruntime.so",
                NATIVE_FOLDER + "libonnxruntime4j_jni.so").ifPresent(folder -> System.setProperty(NATIVE_PATH_PROPERTY,
                        folder.toString()));
    }
}
