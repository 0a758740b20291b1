package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.TfLiteDelegate;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.TfliteEdits;

/**
 * An instrumented run in passes ({@link RunnerSettings#passBytes()}) against the same model run whole with every
 * tensor preserved, on real models under both delegates: every captured value, its name, order, type and
 * quantization, and every output, bit for bit.
 */
class TfLitePassesTest {
    /** A few passes at least, so that values cross from pass to pass and outlive the pass after them. */
    private static final int MIN_PASSES = 3;

    static Stream<Arguments> models() {
        List<Arguments> cases = new ArrayList<>();
        for (TfLiteDelegate delegate : TfLiteDelegate.values()) {
            cases.add(Arguments.of("yolox-nano-onnxtf/yolox_nano_float16_quantize.tflite", delegate));
            cases.add(Arguments.of("yolox-nano-onnxtf/yolox_nano_int8_quantize.tflite", delegate));
            cases.add(Arguments.of("gtcrn-micro-onnx2tf/gtcrn_micro_float32.tflite", delegate));
            cases.add(Arguments.of("gtcrn-micro-onnx2tf/gtcrn_micro_full_integer_quant.tflite", delegate));
            cases.add(Arguments.of("fixture:template-127-onnxtf", delegate));
            // Every DEQUANTIZE of its float16 weights runs ahead of the first convolution: most are read passes later.
            cases.add(Arguments.of("flwnet-onnx2tf/FLW-Net_320x240_float16.tflite", delegate));
            // Dynamic inputs (-1 in shape_signature): planned and written at the shapes the run feeds them.
            cases.add(Arguments.of("ultraface-slim320-port/version-slim-320_without_postprocessing.tflite", delegate));
            cases.add(Arguments.of("basic-pitch-tf2onnx/nmp.tflite", delegate));
            cases.add(Arguments.of("handgesture-keypoint-tf2onnx/keypoint_classifier.tflite", delegate));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("models")
    void passesCaptureWhatTheWholeRunCaptures(String model, TfLiteDelegate delegate) throws Exception {
        ModelFile file = file(model);
        RunnerSettings whole = new RunnerSettings(delegate, 1, true);
        RunResult expected;
        Map<String, Tensor> feeds;
        long activations;
        ModelGraph graph;
        ModelSignature signature;
        try (TfLiteRunner runner = TfLiteRunner.open(file, whole)) {
            assertFalse(runner.runsInPasses());
            feeds = feeds(runner.signature().inputs());
            expected = runner.run(feeds);
            assertFalse(expected.intermediates().isEmpty());
            graph = runner.graph();
            signature = runner.signature();
            activations = expected.intermediates().values().stream().mapToLong(TfLitePassesTest::bytes).sum();
        }
        List<String> handed = new ArrayList<>();
        Map<String, Tensor> returned = new LinkedHashMap<>();
        RunResult actual;
        try (TfLiteRunner runner = TfLiteRunner.open(file, whole.withPassBytes(activations / 8))) {
            assertTrue(runner.runsInPasses(), () -> runner.wholeRunReason().orElse("?"));
            actual = runner.run(feeds, (name, value) -> {
                handed.add(name);
                Tensor kept = Tensor.wrap(value.dtype(), value.shape(), value.data().clone());
                returned.put(name, kept);
                return kept;
            });
            assertTrue(runner.runsInPasses(), () -> runner.wholeRunReason().orElse("?"));
            // After the run: a model with dynamic inputs is planned at its feeds' shapes.
            assertTrue(runner.passes() >= MIN_PASSES, "passes: " + runner.passes());
            assertEquals(runner.passes(), actual.passes());
            ModelGraph reported = runner.graph();
            assertEquals(graph.notes(), reported.notes(), "delegation notes as the whole run reports them");
            assertTrue(graph.nodes().equals(reported.nodes()) && graph.constants().equals(reported.constants())
                    && graph.integerConstants().keySet().equals(reported.integerConstants().keySet()), "the same graph");
            assertEquals(signature, runner.signature());
        }
        assertEquals(expected.intermediates().size(), handed.size(), "each capture handed on once");
        assertEquals(expected.intermediates().keySet(), Set.copyOf(handed));
        assertEquals(List.copyOf(expected.intermediates().keySet()), List.copyOf(actual.intermediates().keySet()));
        for (String name : handed) {
            assertSame(returned.get(name), actual.intermediates().get(name), "the result holds what keep returned");
        }
        // keep's copy drops the quantization: compare the runner's own values through a second, identity-keep run.
        try (TfLiteRunner runner = TfLiteRunner.open(file, whole.withPassBytes(activations / 8))) {
            RunResult again = runner.run(feeds);
            assertSameValues(expected.intermediates(), again.intermediates());
            assertSameValues(expected.outputs(), again.outputs());
        }
        assertSameValues(expected.outputs(), actual.outputs());
    }

    /**
     * A runner in passes never prepares the whole model with every tensor preserved (that would allocate every
     * activation at once): it reads what XNNPACK did from its segments' interpreters, which count an operator copied
     * into several segments (a DEQUANTIZE of float16 weights) once. Before its first run it says XNNPACK is not applied
     * yet; after it, its graph is the whole instrumented run's, notes and all.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("xnnpackModels")
    void passesReportTheDelegationTheWholeRunReports(String model) throws Exception {
        ModelFile file = file(model);
        RunnerSettings whole = new RunnerSettings(TfLiteDelegate.XNNPACK, 1, true);
        ModelGraph graph;
        Map<String, Tensor> feeds;
        long activations;
        try (TfLiteRunner runner = TfLiteRunner.open(file, whole)) {
            feeds = feeds(runner.signature().inputs());
            RunResult expected = runner.run(feeds);
            activations = expected.intermediates().values().stream().mapToLong(TfLitePassesTest::bytes).sum();
            graph = runner.graph();
        }
        assertEquals(1, graph.notes().stream().filter(n -> n.startsWith("XNNPACK runs ")).count(), graph.notes()
                ::toString);
        try (TfLiteRunner runner = TfLiteRunner.open(file, whole.withPassBytes(activations / 8))) {
            assertTrue(runner.passes() >= MIN_PASSES, "passes: " + runner.passes());
            assertTrue(runner.graph().notes().contains(DelegationNotes.unprepared().get(0)), "before the first run");
            runner.run(feeds);
            ModelGraph reported = runner.graph();
            assertEquals(graph.notes(), reported.notes());
            assertEquals(graph.nodes(), reported.nodes());
            assertEquals(graph.constants(), reported.constants());
        }
    }

    /**
     * A runner in passes prepares the whole model at open without preserving every tensor: a model that cannot be
     * prepared (the template's 3-channel input declared with 4 channels, which its first convolution refuses) still
     * fails at open, with the message of the instrumented whole run.
     */
    @ParameterizedTest
    @MethodSource("delegates")
    void aModelThatCannotBePreparedFailsAtOpenAsTheWholeRunDoes(TfLiteDelegate delegate, @TempDir Path dir)
            throws Exception {
        Path source = TfLiteFixtures.pair("template-127-onnxtf").tflite();
        int[] shape = firstInputShape(source);
        int channels = Arrays.stream(shape).boxed().toList().indexOf(3);
        assertTrue(channels > 0, "a 3-channel input: " + Arrays.toString(shape));
        shape[channels] = 4;
        ModelFile file = ModelFile.read(TfliteEdits.withInputShape(source, shape, dir.resolve("four-channels.tflite")),
                ModelFormat.TFLITE);
        RunnerSettings whole = new RunnerSettings(delegate, 1, true);
        assertTrue(PassPlan.of(file, 1) instanceof PassPlan.Segmented, "the budget asks for passes");
        ModelFailureException expected = assertThrows(ModelFailureException.class, () -> TfLiteRunner.open(file, whole));
        ModelFailureException actual = assertThrows(ModelFailureException.class,
                () -> TfLiteRunner.open(file, whole.withPassBytes(1)));
        assertTrue(expected.getMessage().contains("cannot prepare the model"), expected.getMessage());
        assertEquals(expected.getMessage(), actual.getMessage());
    }

    private static int[] firstInputShape(Path tflite) throws Exception {
        Model model = Model.getRootAsModel(ByteBuffer.wrap(Files.readAllBytes(tflite)));
        SubGraph main = model.subgraphs(0);
        org.tensorflow.lite.schema.Tensor input = main.tensors(main.inputs(0));
        int[] shape = new int[input.shapeLength()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = input.shape(i);
        }
        return shape;
    }

    static Stream<String> xnnpackModels() {
        return Stream.of("yolox-nano-onnxtf/yolox_nano_float16_quantize.tflite",
                "yolox-nano-onnxtf/yolox_nano_int8_quantize.tflite", "gtcrn-micro-onnx2tf/gtcrn_micro_float32.tflite",
                "fixture:template-127-onnxtf");
    }

    @ParameterizedTest
    @MethodSource("delegates")
    void aBudgetBelowOneOperatorRunsAnOperatorPerPass(TfLiteDelegate delegate) throws Exception {
        ModelFile file = TfLiteFixtures.tflite("template-127-onnxtf");
        RunnerSettings whole = new RunnerSettings(delegate, 1, true);
        try (TfLiteRunner plain = TfLiteRunner.open(file, whole);
                TfLiteRunner budgeted = TfLiteRunner.open(file, whole.withPassBytes(1))) {
            assertEquals(plain.graph().nodes().size(), budgeted.passes(), "every operator reads an activation");
            Map<String, Tensor> feeds = feeds(plain.signature().inputs());
            RunResult expected = plain.run(feeds);
            RunResult actual = budgeted.run(feeds);
            assertSameValues(expected.intermediates(), actual.intermediates());
            assertSameValues(expected.outputs(), actual.outputs());
            // A second run of the same runner starts afresh: nothing of the first is handed on.
            assertSameValues(expected.intermediates(), budgeted.run(feeds).intermediates());
        }
    }

    /**
     * A runner whose model has dynamic inputs plans its passes at each run's shapes: a run at other shapes than the
     * last (basic-pitch's and the keypoint classifier's batch, basic-pitch's audio length being fixed; the dynamic
     * template's height and width) equals the whole run at those shapes, and so does a run back at the first shapes.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dynamicModels")
    void passesFollowTheFeedsShapes(String model, TfLiteDelegate delegate, @TempDir Path dir) throws Exception {
        ModelFile file = model.equals("fixture:dynamic-template") ? dynamicTemplate(dir) : file(model);
        RunnerSettings whole = new RunnerSettings(delegate, 1, true);
        List<Map<String, Tensor>> feeds = new ArrayList<>();
        List<RunResult> expected = new ArrayList<>();
        long activations;
        try (TfLiteRunner runner = TfLiteRunner.open(file, whole)) {
            List<TensorSpec> inputs = runner.signature().inputs();
            for (int size : new int[] {first(model), second(model)}) {
                feeds.add(feeds(inputs, size));
                expected.add(runner.run(feeds.get(feeds.size() - 1)));
            }
            activations = expected.get(0).intermediates().values().stream().mapToLong(TfLitePassesTest::bytes).sum();
        }
        assertTrue(expected.get(0).intermediates().values().stream().mapToLong(TfLitePassesTest::bytes).sum()
                < expected.get(1).intermediates().values().stream().mapToLong(TfLitePassesTest::bytes).sum(),
                "the second shapes are larger");
        try (TfLiteRunner runner = TfLiteRunner.open(file, whole.withPassBytes(activations / 8))) {
            List<Integer> passes = new ArrayList<>();
            for (int run : new int[] {0, 1, 0}) {
                RunResult actual = runner.run(feeds.get(run));
                assertTrue(runner.runsInPasses(), () -> runner.wholeRunReason().orElse("?"));
                passes.add(actual.passes());
                assertSameValues(expected.get(run).intermediates(), actual.intermediates());
                assertSameValues(expected.get(run).outputs(), actual.outputs());
            }
            // A segment written at the first shapes would refuse the second run's values: they do not fit its inputs.
            // The keypoint classifier runs an operator per pass at both batches.
            assertTrue(passes.get(0) >= MIN_PASSES && passes.get(1) >= passes.get(0), "passes: " + passes);
            assertEquals(passes.get(0), passes.get(2), "the first shapes planned again alike");
        }
    }

    static Stream<Arguments> dynamicModels() {
        List<Arguments> cases = new ArrayList<>();
        for (TfLiteDelegate delegate : TfLiteDelegate.values()) {
            cases.add(Arguments.of("basic-pitch-tf2onnx/nmp.tflite", delegate));
            // Its tensors' shapes all follow from the input's: planned once per shape, not at every run.
            cases.add(Arguments.of("handgesture-keypoint-tf2onnx/keypoint_classifier.tflite", delegate));
            cases.add(Arguments.of("fixture:dynamic-template", delegate));
        }
        return cases.stream();
    }

    /** The dynamic dimensions' size in the first run: batch 1, or the template's 127 x 127. */
    private static int first(String model) {
        return model.equals("fixture:dynamic-template") ? 127 : 1;
    }

    /** The dynamic dimensions' size in the second run: batch 2, or 135 x 135 (a 5 x 5 response map for 4 x 4). */
    private static int second(String model) {
        return model.equals("fixture:dynamic-template") ? 135 : 2;
    }

    /** The template fixture with its input's height and width declared -1, as TfLiteRunnerDynamicShapeTest has it. */
    private static ModelFile dynamicTemplate(Path dir) throws Exception {
        Path source = TfLiteFixtures.pair("template-127-onnxtf").tflite();
        Path edited = TfliteEdits.withInputSignature(source, new int[] {1, 3, -1, -1},
                dir.resolve("dynamic-hw.tflite"));
        return ModelFile.read(edited, ModelFormat.TFLITE);
    }

    static Stream<TfLiteDelegate> delegates() {
        return Stream.of(TfLiteDelegate.values());
    }

    @Test
    void controlFlowRunsWhole() throws Exception {
        ModelFile file = file("precise-lite-gru-tf2onnx/hey_mycroft.tflite");
        RunnerSettings whole = new RunnerSettings(TfLiteDelegate.XNNPACK, 1, true);
        try (TfLiteRunner plain = TfLiteRunner.open(file, whole);
                TfLiteRunner budgeted = TfLiteRunner.open(file, whole.withPassBytes(1024))) {
            assertFalse(budgeted.runsInPasses());
            assertTrue(budgeted.wholeRunReason().orElseThrow().contains("WHILE"), budgeted.wholeRunReason().get());
            assertTrue(plain.wholeRunReason().isEmpty(), "no budget, no reason");
            Map<String, Tensor> feeds = feeds(plain.signature().inputs());
            RunResult expected = plain.run(feeds);
            RunResult actual = budgeted.run(feeds);
            assertSameValues(expected.intermediates(), actual.intermediates());
            assertSameValues(expected.outputs(), actual.outputs());
        }
    }

    private static void assertSameValues(Map<String, Tensor> expected, Map<String, Tensor> actual) {
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
        expected.forEach((name, e) -> {
            Tensor a = actual.get(name);
            assertEquals(e.dtype(), a.dtype(), name);
            assertEquals(e.shape(), a.shape(), name);
            assertEquals(e.quantization(), a.quantization(), name);
            for (int i = 0; i < e.size(); i++) {
                if (Float.floatToIntBits(e.get(i)) != Float.floatToIntBits(a.get(i))) {
                    throw new AssertionError("'" + name + "'[" + i + "]: whole " + e.get(i) + ", passes " + a.get(i));
                }
            }
        });
    }

    private static long bytes(Tensor t) {
        return t.size() * (long) TensorCopier.elementBytes(t.dtype());
    }

    private static ModelFile file(String model) throws Exception {
        if (model.startsWith("fixture:")) {
            return TfLiteFixtures.tflite(model.substring("fixture:".length()));
        }
        Path path = RealPairs.folder().resolve(model);
        return ModelFile.read(path, ModelFormat.TFLITE);
    }

    /**
     * Seeded values across each input's range: [-1, 1) for floats, every code for 8-bit integers; a dynamic dimension
     * is 1.
     */
    private static Map<String, Tensor> feeds(List<TensorSpec> inputs) {
        return feeds(inputs, 1);
    }

    /** As {@link #feeds(List)}, each dynamic dimension {@code size}. */
    private static Map<String, Tensor> feeds(List<TensorSpec> inputs, int size) {
        Random random = new Random(11);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (TensorSpec input : inputs) {
            Shape shape = Shape.of(Arrays.stream(input.shape().dims()).map(d -> d == Shape.DYNAMIC ? size : d)
                    .toArray());
            float[] values = new float[Math.toIntExact(shape.elementCount())];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (input.dtype()) {
                    case INT8 -> random.nextInt(256) - 128;
                    case UINT8 -> random.nextInt(256);
                    default -> random.nextFloat() * 2 - 1;
                };
            }
            feeds.put(input.name(), Tensor.wrap(input.dtype() == DType.FLOAT16 ? DType.FLOAT32 : input.dtype(),
                    shape, values));
        }
        return feeds;
    }
}
