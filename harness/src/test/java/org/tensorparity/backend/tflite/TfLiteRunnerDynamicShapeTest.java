package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.TfLiteDelegate;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.TfliteEdits;

/**
 * Dynamic inputs: the onnx-tf template fixture with its input's height and width declared as -1 in
 * {@code shape_signature}, as a converter writes a model exported with dynamic axes.
 */
class TfLiteRunnerDynamicShapeTest {
    @TempDir
    Path dir;

    @Test
    void aDynamicInputIsResizedToEachFeed() throws Exception {
        ModelFile file = dynamicTemplate();
        for (TfLiteDelegate delegate : TfLiteDelegate.values()) {
            try (TfLiteRunner runner = TfLiteRunner.open(file, new RunnerSettings(delegate, 1, true))) {
                TensorSpec input = runner.signature().inputs().get(0);
                assertEquals(Shape.of(1, 3, Shape.DYNAMIC, Shape.DYNAMIC), input.shape(), "-1 reads as dynamic");
                assertTrue(runner.graph().nodes().size() > 0, "the graph is known before the first run");

                RunResult template = runner.run(feed(input.name(), 127));
                assertSpatial(template, 4);
                // (135 - 11) / 2 + 1 = 63, pooled 31, conv 27, pooled 13, three 3x3 convs 7, the kernel conv 5.
                RunResult larger = runner.run(feed(input.name(), 135));
                assertSpatial(larger, 5);
                assertEquals(runner.graph().nodes().stream().mapToInt(n -> n.outputs().size()).sum(),
                        larger.intermediates().size(), "intermediates after a resize are complete");
                RunResult back = runner.run(feed(input.name(), 127));
                for (String name : template.outputs().keySet()) {
                    assertEquals(0f, maxAbsDiff(template.outputs().get(name), back.outputs().get(name)), name);
                }
            }
        }
    }

    @Test
    void aFeedThatDoesNotFitTheStaticDimensionsIsRejected() throws Exception {
        try (TfLiteRunner runner = TfLiteRunner.open(dynamicTemplate(), RunnerSettings.DEFAULT)) {
            String name = runner.signature().inputs().get(0).name();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> runner.run(Map.of(name, Tensor.of(Shape.of(1, 4, 127, 127), new float[4 * 127 * 127]))));
            assertTrue(e.getMessage().contains("[1,3,?,?]"), e.getMessage());
        }
    }

    @Test
    void aShapeTheModelCannotComputeIsAModelFailureNamingTheFile() throws Exception {
        ModelFile file = dynamicTemplate();
        for (TfLiteDelegate delegate : TfLiteDelegate.values()) {
            try (TfLiteRunner runner = TfLiteRunner.open(file, new RunnerSettings(delegate, 1, false))) {
                String name = runner.signature().inputs().get(0).name();
                // 8x8 is smaller than the first 11x11 filter. TFLite prepares this without a word and
                // then crashes the process in Invoke; the runner must refuse before that.
                ModelFailureException e = assertThrows(ModelFailureException.class,
                        () -> runner.run(Map.of(name, Tensor.of(Shape.of(1, 3, 8, 8), new float[3 * 64]))));
                assertTrue(e.getMessage().contains(file.ref().path().getFileName().toString()), e.getMessage());
                assertTrue(e.getMessage().contains("[1,3,8,8]"), e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
                assertThrows(ModelFailureException.class,
                        () -> runner.run(Map.of(name, Tensor.of(Shape.of(1, 3, 8, 8), new float[3 * 64]))),
                        "the same shape again is refused again, not run on a half-prepared interpreter");
                assertEquals(2, runner.run(feed(name, 127)).outputs().size(), "a fitting feed still runs");
            }
        }
    }

    private ModelFile dynamicTemplate() throws BadInputException {
        Path file = TfliteEdits.withInputSignature(TfLiteFixtures.pair("template-127-onnxtf").tflite(),
                new int[] {1, 3, -1, -1}, dir.resolve("template-127-onnxtf-dynamic-hw.tflite"));
        return ModelFile.read(file, ModelFormat.TFLITE);
    }

    private static Map<String, Tensor> feed(String name, int side) {
        float[] values = new float[3 * side * side];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) Math.sin(i * 0.01);
        }
        return Map.of(name, Tensor.of(Shape.of(1, 3, side, side), values));
    }

    private static void assertSpatial(RunResult result, int side) {
        for (Tensor out : result.outputs().values()) {
            assertEquals(side, out.shape().dim(2), out.toString());
            assertEquals(side, out.shape().dim(3), out.toString());
            for (float v : out.data()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    private static float maxAbsDiff(Tensor a, Tensor b) {
        float max = 0;
        for (int i = 0; i < a.size(); i++) {
            max = Math.max(max, Math.abs(a.get(i) - b.get(i)));
        }
        return max;
    }
}
