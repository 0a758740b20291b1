package org.tensorparity.backend;

import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.ort.OnnxRuntimeRunner;
import org.tensorparity.backend.ort.OnnxSubgraphRunner;
import org.tensorparity.backend.tflite.TfLiteRunner;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelSignature;

/** ONNX Runtime and the TFLite interpreter, as linked by this build. */
final class StandardRuntimes implements Runtimes {
    static final StandardRuntimes INSTANCE = new StandardRuntimes();

    private StandardRuntimes() {
    }

    @Override
    public ModelRunner openOnnx(ModelFile file, RunnerSettings settings) throws ModelFailureException {
        return OnnxRuntimeRunner.open(file, settings);
    }

    @Override
    public ModelRunner openTflite(ModelFile file, RunnerSettings settings) throws ModelFailureException {
        return TfLiteRunner.open(file, settings);
    }

    @Override
    public SubgraphRunner openOnnxSubgraphs(ModelFile file) {
        return OnnxSubgraphRunner.open(file);
    }

    @Override
    public ModelSignature onnxSignature(ModelFile file) throws ModelFailureException {
        return OnnxRuntimeRunner.declaredSignature(file);
    }

    @Override
    public void preload() {
        // ONNX Runtime first, the larger; one thread: two preload threads beside a parsing one were slower
        // on two cores (2.4-2.7 s against 1.9-2.1 s for the full-size detection pair, --outputs-only).
        OnnxRuntimeRunner.preload();
        TfLiteRunner.preload();
    }

    @Override
    public String onnxRuntimeVersion() {
        return OnnxRuntimeRunner.version();
    }

    @Override
    public String tfliteVersion() {
        return TfLiteRunner.version();
    }
}
