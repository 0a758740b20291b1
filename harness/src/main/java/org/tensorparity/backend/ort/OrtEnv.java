package org.tensorparity.backend.ort;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import org.tensorparity.backend.NativeStack;

/**
 * The process-wide ONNX Runtime environment, created on first use. Callers reach it only from inside
 * {@link NativeStack#call}: loading the native library and starting the environment needs more stack
 * than a default Java thread has.
 */
final class OrtEnv {
    private static final OrtEnvironment INSTANCE = start();

    private OrtEnv() {
    }

    static OrtEnvironment get() {
        return INSTANCE;
    }

    private static OrtEnvironment start() {
        OrtLitterSweeper sweeper = OrtLitterSweeper.beforeStart();
        OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "tensor-parity");
        try {
            env.setTelemetry(false);
        } catch (OrtException e) {
            // Telemetry is off by default on Linux builds; failing to switch it off is harmless.
        }
        sweeper.sweepAfterStart();
        return env;
    }
}
