package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.RuntimeInfo;
import org.tensorparity.backend.TfLiteDelegate;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.fixtures.tflite.TensorCorrespondence;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/** The runner on the real DaSiamRPN fixture files, in both delegate configurations. */
class TfLiteRunnerTest {
    private static final String TEMPLATE_ONNX_TF = "template-127-onnxtf";
    private static final RunnerSettings XNNPACK = new RunnerSettings(TfLiteDelegate.XNNPACK, 1, false);
    private static final RunnerSettings BUILTIN = new RunnerSettings(TfLiteDelegate.NONE, 1, false);

    static List<String> correctFixtures() {
        return TfLiteFixtures.correctNames();
    }

    @ParameterizedTest
    @MethodSource("correctFixtures")
    void signatureMatchesTheOnnxOriginalUpToLayout(String fixture) throws Exception {
        OnnxMl.GraphProto onnx = onnxGraph(TfLiteFixtures.pair(fixture));
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(fixture), XNNPACK)) {
            ModelSignature signature = runner.signature();
            assertEquals(onnx.getInputCount(), signature.inputs().size());
            assertEquals(onnx.getOutputCount(), signature.outputs().size());
            for (int i = 0; i < onnx.getInputCount(); i++) {
                TensorSpec input = signature.inputs().get(i);
                Shape onnxShape = shapeOf(onnx.getInput(i));
                assertEquals(DType.FLOAT32, input.dtype());
                assertFalse(input.shape().isDynamic());
                assertTrue(input.shape().equals(onnxShape)
                                || input.shape().equals(Permutation.NCHW_TO_NHWC.apply(onnxShape)),
                        input + " vs ONNX " + onnxShape);
            }
            // onnx-tf lists outputs in reverse ONNX order, so outputs match as a multiset of element counts.
            List<Long> onnxCounts = new ArrayList<>();
            onnx.getOutputList().forEach(o -> onnxCounts.add(shapeOf(o).elementCount()));
            List<Long> tfliteCounts = new ArrayList<>();
            signature.outputs().forEach(o -> tfliteCounts.add(o.shape().elementCount()));
            assertEquals(onnxCounts.stream().sorted().toList(), tfliteCounts.stream().sorted().toList());
            Set<String> names = new HashSet<>();
            signature.inputs().forEach(s -> assertTrue(names.add(s.name()), "unique name " + s.name()));
            signature.outputs().forEach(s -> assertTrue(names.add(s.name()), "unique name " + s.name()));
        }
    }

    @Test
    void signatureUsesTheConvertersNames() throws ModelFailureException {
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(TEMPLATE_ONNX_TF), XNNPACK)) {
            TensorSpec input = runner.signature().inputs().get(0);
            assertEquals("serving_default_x:0", input.name());
            assertEquals(Shape.of(1, 3, 127, 127), input.shape(), "onnx-tf keeps NCHW at the boundary");
            for (TensorSpec output : runner.signature().outputs()) {
                assertTrue(output.name().startsWith("StatefulPartitionedCall:"), output.name());
                assertEquals(4, output.shape().dim(2));
                assertEquals(4, output.shape().dim(3));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("correctFixtures")
    void runProducesFiniteOutputsOfTheDeclaredShapes(String fixture) throws ModelFailureException {
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(fixture), XNNPACK)) {
            RunResult result = runner.run(TfLiteFixtures.feeds(runner.signature().inputs(), 1));
            assertEquals(runner.signature().outputs().stream().map(TensorSpec::name).toList(),
                    List.copyOf(result.outputs().keySet()), "outputs in signature order");
            for (TensorSpec spec : runner.signature().outputs()) {
                Tensor out = result.outputs().get(spec.name());
                assertEquals(spec.shape(), out.shape(), spec.name());
                assertEquals(DType.FLOAT32, out.dtype());
                boolean nonZero = false;
                for (float v : out.data()) {
                    assertTrue(Float.isFinite(v), spec.name() + " has a non-finite value");
                    nonZero |= v != 0;
                }
                assertTrue(nonZero, spec.name() + " is all zeros");
            }
            assertTrue(result.intermediates().isEmpty(), "nothing is captured unless asked");
        }
    }

    @ParameterizedTest
    @MethodSource("correctFixtures")
    void xnnpackAndBuiltinKernelsAgree(String fixture) throws ModelFailureException {
        Map<String, Tensor> xnnpack = outputs(fixture, XNNPACK);
        Map<String, Tensor> builtin = outputs(fixture, BUILTIN);
        for (String name : builtin.keySet()) {
            double scale = maxAbs(builtin.get(name));
            double error = maxAbsDiff(xnnpack.get(name), builtin.get(name));
            assertTrue(error <= 1e-5 * scale + 1e-6,
                    fixture + " " + name + ": XNNPACK differs by " + error + " at scale " + scale);
        }
    }

    @ParameterizedTest
    @MethodSource("correctFixtures")
    void captureHoldsEveryNodeOutputInExecutionOrder(String fixture) throws ModelFailureException {
        for (TfLiteDelegate delegate : TfLiteDelegate.values()) {
            RunnerSettings plain = new RunnerSettings(delegate, 1, false);
            try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(fixture), plain.instrumented())) {
                Map<String, Tensor> feeds = TfLiteFixtures.feeds(runner.signature().inputs(), 2);
                RunResult captured = runner.run(feeds);
                List<String> nodeOutputs = new ArrayList<>();
                runner.graph().nodes().forEach(n -> nodeOutputs.addAll(n.outputs()));
                // Every node output of these float32 graphs is captured, nothing else, in execution order.
                assertEquals(nodeOutputs, List.copyOf(captured.intermediates().keySet()), delegate.toString());
                for (Map.Entry<String, Tensor> output : captured.outputs().entrySet()) {
                    assertEquals(0.0, maxAbsDiff(output.getValue(), captured.intermediates().get(output.getKey())));
                }
                // The capture is what the converter wrote: each alignment tensor of the fixture is there.
                for (TensorCorrespondence c : TfLiteFixtures.pair(fixture).alignment()) {
                    boolean isInput = runner.signature().input(c.tflite()).isPresent();
                    assertTrue(isInput || captured.intermediates().containsKey(c.tflite()), c.tflite());
                }

                Map<String, Tensor> deployed = outputs(fixture, plain);
                for (String name : deployed.keySet()) {
                    double error = maxAbsDiff(deployed.get(name), captured.outputs().get(name));
                    double scale = maxAbs(deployed.get(name));
                    if (delegate == TfLiteDelegate.NONE) {
                        assertEquals(0.0, error, "preserving tensors must not change builtin kernels' " + name);
                    } else {
                        // Per-operator XNNPACK kernels vs one fused kernel: same arithmetic up to rounding.
                        assertTrue(error <= 1e-5 * scale + 1e-6, name + " differs by " + error + " at " + scale);
                    }
                }
            }
        }
    }

    @Test
    void capturedIntermediatesAgreeAcrossDelegates() throws ModelFailureException {
        Map<String, Tensor> xnnpack = intermediates(TEMPLATE_ONNX_TF, XNNPACK.instrumented());
        Map<String, Tensor> builtin = intermediates(TEMPLATE_ONNX_TF, BUILTIN.instrumented());
        assertEquals(builtin.keySet(), xnnpack.keySet());
        for (String name : builtin.keySet()) {
            double scale = maxAbs(builtin.get(name));
            double error = maxAbsDiff(xnnpack.get(name), builtin.get(name));
            assertTrue(error <= 1e-5 * scale + 1e-6, name + ": " + error + " at scale " + scale);
        }
    }

    @ParameterizedTest
    @MethodSource("correctFixtures")
    void graphListsTheConvertedOperatorsWhateverTheDelegate(String fixture) throws ModelFailureException {
        ModelGraph reference = graph(fixture, BUILTIN);
        List<String> opTypes = reference.nodes().stream().map(GraphNode::opType).toList();
        assertTrue(opTypes.contains("CONV_2D"), opTypes.toString());
        assertTrue(opTypes.contains("MAX_POOL_2D"), opTypes.toString());
        assertTrue(opTypes.stream().noneMatch(t -> t.startsWith("BUILTIN_") || t.equals("DELEGATE")), opTypes.toString());
        if (fixture.endsWith("onnxtf")) {
            assertTrue(opTypes.contains("TRANSPOSE"), "onnx-tf transposes at the boundary: " + opTypes);
        }
        Set<String> available = new HashSet<>(reference.constants());
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(fixture), BUILTIN)) {
            runner.signature().inputs().forEach(s -> available.add(s.name()));
        }
        for (GraphNode node : reference.nodes()) {
            assertEquals(node.outputs().get(0), node.name(), "a node is named after its first output");
            for (String input : node.inputs()) {
                assertTrue(available.contains(input), node + " reads " + input + " before it exists");
            }
            available.addAll(node.outputs());
        }
        long constantFilters = reference.nodes().stream()
                .filter(n -> n.opType().equals("CONV_2D") && reference.constants().contains(n.inputs().get(1)))
                .count();
        assertTrue(constantFilters >= 5, "featureExtract's five convolutions have constant filters");
        assertTrue(reference.notes().isEmpty(), reference.notes().toString());

        for (RunnerSettings settings : List.of(XNNPACK, XNNPACK.instrumented(), BUILTIN.instrumented())) {
            ModelGraph other = graph(fixture, settings);
            assertEquals(reference.nodes(), other.nodes(), settings.toString());
            assertEquals(reference.constants(), other.constants(), settings.toString());
        }
        assertTrue(graph(fixture, XNNPACK.instrumented()).notes().stream()
                        .anyMatch(n -> n.contains("each as its own delegate kernel")),
                "with preserved tensors XNNPACK delegates operator by operator");
        assertTrue(graph(fixture, XNNPACK).notes().stream().anyMatch(n -> n.contains("not observable")),
                "as deployed, XNNPACK fuses operators and hides their outputs");
    }

    @Test
    void float16WeightsAreDequantizedInTheGraphAndCaptured() throws ModelFailureException {
        String fixture = "template-127-onnxtf-float16-weights";
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(fixture), XNNPACK.instrumented())) {
            ModelGraph graph = runner.graph();
            List<GraphNode> dequantize = graph.nodes().stream().filter(n -> n.opType().equals("DEQUANTIZE")).toList();
            assertFalse(dequantize.isEmpty(), "float16 weights are expanded by DEQUANTIZE operators");
            dequantize.forEach(n -> assertTrue(graph.constants().contains(n.inputs().get(0)), n.toString()));
            RunResult result = runner.run(TfLiteFixtures.feeds(runner.signature().inputs(), 7));
            List<String> nodeOutputs = new ArrayList<>();
            graph.nodes().forEach(n -> nodeOutputs.addAll(n.outputs()));
            assertEquals(nodeOutputs, List.copyOf(result.intermediates().keySet()));
        }
    }

    @Test
    void runtimeReportsVersionAndSettings() throws ModelFailureException {
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(TEMPLATE_ONNX_TF),
                new RunnerSettings(TfLiteDelegate.NONE, 2, true))) {
            RuntimeInfo info = runner.runtime();
            assertEquals("TFLite", info.runtime());
            assertEquals(TfLiteRunner.version(), info.version());
            assertTrue(info.version().matches("\\d+\\.\\d+\\.\\d+.*"), info.version());
            // The onnx-tf conversion holds one signature, serving_default, over its main graph.
            assertEquals(Map.of("delegate", "none", "threads", "2", "preserveAllTensors", "true", "maxIterations", "10000",
                    "signature", "serving_default"), info.settings());
        }
    }

    @Test
    void rejectsFeedsTheSignatureDoesNotAccept() throws ModelFailureException {
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(TEMPLATE_ONNX_TF), XNNPACK)) {
            Map<String, Tensor> feeds = TfLiteFixtures.feeds(runner.signature().inputs(), 3);
            String input = runner.signature().inputs().get(0).name();

            Map<String, Tensor> wrongShape = new LinkedHashMap<>(feeds);
            wrongShape.put(input, Tensor.of(Shape.of(1, 3, 4, 4), new float[48]));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner.run(wrongShape));
            assertTrue(e.getMessage().contains(input) && e.getMessage().contains("[1,3,127,127]"), e.getMessage());

            assertThrows(IllegalArgumentException.class, () -> runner.run(Map.of()));
            Map<String, Tensor> extra = new LinkedHashMap<>(feeds);
            extra.put("nonsense", Tensor.of(Shape.of(1), 0f));
            assertThrows(IllegalArgumentException.class, () -> runner.run(extra));

            assertEquals(runner.signature().outputs().size(), runner.run(feeds).outputs().size(),
                    "a rejected feed leaves the runner usable");
        }
    }

    @Test
    void closeIsIdempotentAndEverythingElseThrowsAfterIt() throws ModelFailureException {
        TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(TEMPLATE_ONNX_TF), XNNPACK.instrumented());
        Map<String, Tensor> feeds = TfLiteFixtures.feeds(runner.signature().inputs(), 4);
        runner.close();
        runner.close();
        assertThrows(IllegalStateException.class, runner::signature);
        assertThrows(IllegalStateException.class, runner::graph);
        assertThrows(IllegalStateException.class, runner::runtime);
        assertThrows(IllegalStateException.class, runner::model);
        assertThrows(IllegalStateException.class, () -> runner.run(feeds));
    }

    @Test
    void aCaptureReadInPlaceHoldsTheCopiedValuesUntilTheNextRunOrTheClose() throws ModelFailureException {
        Tensor last;
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(TEMPLATE_ONNX_TF), XNNPACK.instrumented())) {
            Map<String, Tensor> feeds = TfLiteFixtures.feeds(runner.signature().inputs(), 2);
            Map<String, Tensor> copied = runner.run(feeds).intermediates();
            Map<String, Tensor> inPlace = runner.runInPlace(feeds, (name, value) -> value).intermediates();
            assertEquals(copied.keySet(), inPlace.keySet());
            for (String name : copied.keySet()) {
                Tensor value = inPlace.get(name);
                // Every node output of this float32 graph stays in the interpreter's memory.
                assertTrue(value.readsInPlace(), name);
                assertEquals(copied.get(name).shape(), value.shape(), name);
                assertTrue(java.util.Arrays.equals(copied.get(name).data(), value.data()), name);
                float[] part = new float[3];
                value.read(value.size() - 3, part, 0, 3);
                assertEquals(copied.get(name).get(value.size() - 1), part[2], name);
            }
            Tensor first = inPlace.values().iterator().next();
            runner.run(feeds);
            assertThrows(IllegalStateException.class, first::data, "the next run writes where the values were");
            last = runner.runInPlace(feeds, (name, value) -> value).intermediates().values().iterator().next();
            assertEquals(copied.values().iterator().next().get(0), last.get(0));
        }
        assertThrows(IllegalStateException.class, () -> last.get(0), "closing frees the interpreter's memory");
    }

    @Test
    void repeatedRunsAreDeterministic() throws ModelFailureException {
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(TEMPLATE_ONNX_TF), XNNPACK)) {
            Map<String, Tensor> feeds = TfLiteFixtures.feeds(runner.signature().inputs(), 5);
            Map<String, Tensor> first = runner.run(feeds).outputs();
            runner.run(TfLiteFixtures.feeds(runner.signature().inputs(), 6));
            Map<String, Tensor> again = runner.run(feeds).outputs();
            for (String name : first.keySet()) {
                assertEquals(0.0, maxAbsDiff(first.get(name), again.get(name)), name);
            }
        }
    }

    private static Map<String, Tensor> outputs(String fixture, RunnerSettings settings) throws ModelFailureException {
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(fixture), settings)) {
            return runner.run(TfLiteFixtures.feeds(runner.signature().inputs(), 2)).outputs();
        }
    }

    private static Map<String, Tensor> intermediates(String fixture, RunnerSettings settings)
            throws ModelFailureException {
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(fixture), settings)) {
            return runner.run(TfLiteFixtures.feeds(runner.signature().inputs(), 2)).intermediates();
        }
    }

    private static ModelGraph graph(String fixture, RunnerSettings settings) throws ModelFailureException {
        try (TfLiteRunner runner = TfLiteRunner.open(TfLiteFixtures.tflite(fixture), settings)) {
            return runner.graph();
        }
    }

    private static OnnxMl.GraphProto onnxGraph(FixturePair pair) throws IOException {
        return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(pair.onnx())).getGraph();
    }

    private static Shape shapeOf(OnnxMl.ValueInfoProto value) {
        List<OnnxMl.TensorShapeProto.Dimension> dims = value.getType().getTensorType().getShape().getDimList();
        int[] out = new int[dims.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) dims.get(i).getDimValue();
        }
        return Shape.of(out);
    }

    private static double maxAbs(Tensor t) {
        double max = 0;
        for (float v : t.data()) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static double maxAbsDiff(Tensor a, Tensor b) {
        assertEquals(a.shape(), b.shape());
        double max = 0;
        for (int i = 0; i < a.size(); i++) {
            max = Math.max(max, Math.abs(a.get(i) - b.get(i)));
        }
        return max;
    }
}
