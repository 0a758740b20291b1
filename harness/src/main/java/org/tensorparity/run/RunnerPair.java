package org.tensorparity.run;

import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.Background;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
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
    static RunnerPair open(Runtimes runtimes, ModelFile onnxFile, RunnerSettings onnxSettings, ModelFile tfliteFile,
            RunnerSettings tfliteSettings) throws ModelFailureException {
        Background<ModelRunner, ModelFailureException> tflite = Background.start("parity-open-tflite",
                () -> runtimes.openTflite(tfliteFile, tfliteSettings));
        ModelRunner onnx;
        try {
            onnx = runtimes.openOnnx(onnxFile, onnxSettings);
        } catch (ModelFailureException | RuntimeException | Error e) {
            ModelRunner opened = tflite.joinQuietly();
            if (opened != null) {
                opened.close();
            }
            throw e;
        }
        try {
            return new RunnerPair(onnx, tflite.join());
        } catch (ModelFailureException | RuntimeException | Error e) {
            onnx.close();
            throw e;
        }
    }

    /** Closes both runners; idempotent. */
    @Override
    public void close() {
        tflite.close();
        onnx.close();
    }
}
