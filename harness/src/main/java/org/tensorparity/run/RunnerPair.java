package org.tensorparity.run;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.ort.OnnxRuntimeRunner;
import org.tensorparity.backend.tflite.TfLiteRunner;
import org.tensorparity.model.ModelFile;

/**
 * The two runners of one verify, opened side by side: building an ONNX Runtime session and a TFLite
 * interpreter are each single-threaded, so on two cores the pair loads in the time of the slower one.
 *
 * @param onnx the reference's runner
 * @param tflite the converted model's runner
 */
record RunnerPair(ModelRunner onnx, ModelRunner tflite) implements AutoCloseable {

    /**
     * Opens both; when either fails the other is closed and the ONNX model's failure, if any, is the one
     * reported (as when they were opened one after the other).
     */
    static RunnerPair open(ModelFile onnxFile, RunnerSettings onnxSettings, ModelFile tfliteFile,
            RunnerSettings tfliteSettings) throws ModelFailureException {
        FutureTask<ModelRunner> tfliteTask = new FutureTask<>(() -> TfLiteRunner.open(tfliteFile, tfliteSettings));
        Thread opener = new Thread(tfliteTask, "parity-open-tflite");
        opener.setDaemon(true);
        opener.start();
        ModelRunner onnx;
        try {
            onnx = OnnxRuntimeRunner.open(onnxFile, onnxSettings);
        } catch (ModelFailureException | RuntimeException | Error e) {
            try {
                result(tfliteTask).close();
            } catch (ModelFailureException | RuntimeException | Error ignored) {
                // The ONNX model's failure is the one to report.
            }
            throw e;
        }
        try {
            return new RunnerPair(onnx, result(tfliteTask));
        } catch (ModelFailureException | RuntimeException | Error e) {
            onnx.close();
            throw e;
        }
    }

    private static ModelRunner result(FutureTask<ModelRunner> task) throws ModelFailureException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // The native load cannot be abandoned half-way; wait for it, then restore the interrupt.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ModelFailureException m) {
                throw m;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Closes both runners; idempotent. */
    @Override
    public void close() {
        tflite.close();
        onnx.close();
    }
}
