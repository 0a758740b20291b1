package org.tensorparity.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.ort.OnnxRuntimeRunner;
import org.tensorparity.backend.tflite.TfLiteRunner;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputGenerator;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Tensor;

/**
 * The physical floor of a verify, as a program of its own: read both models, build both runtimes, run one
 * inference in each on seeded inputs, exit. {@code make bench} times it as a whole process next to
 * {@code verify}; anything a verify costs beyond this is the tool's.
 */
public final class BareLoadAndInfer {
    private BareLoadAndInfer() {
    }

    /** {@code BareLoadAndInfer ONNX TFLITE}. */
    public static void main(String[] args) throws Exception {
        ModelFile onnxFile = ModelFile.read(Path.of(args[0]), ModelFormat.ONNX);
        ModelFile tfliteFile = ModelFile.read(Path.of(args[1]), ModelFormat.TFLITE);
        try (ModelRunner onnx = OnnxRuntimeRunner.open(onnxFile, RunnerSettings.DEFAULT);
                ModelRunner tflite = TfLiteRunner.open(tfliteFile, RunnerSettings.DEFAULT)) {
            onnx.run(feeds(onnx));
            tflite.run(feeds(tflite));
        }
    }

    private static Map<String, Tensor> feeds(ModelRunner runner) {
        InputGenerator g = new InputGenerator(0, InputDistribution.DEFAULT);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (TensorSpec s : runner.signature().inputs()) {
            feeds.put(s.name(), g.generate(s.name(), s.dtype(), s.shape()));
        }
        return feeds;
    }
}
