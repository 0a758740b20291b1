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
 * What the tool's own runners cost to load both models and run one inference in each, as a program of its own:
 * {@link BareLoadAndInfer} plus what the runners do to load a model safely and describe it (the files' digests,
 * the ONNX graph read in Java, the flatbuffer verified and read, a builtin-kernel interpreter that checks what
 * XNNPACK would crash on). {@code make bench} times it beside the bare floor and {@code verify}.
 */
public final class RunnersLoadAndInfer {
    private RunnersLoadAndInfer() {
    }

    /** {@code RunnersLoadAndInfer ONNX TFLITE}. */
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
