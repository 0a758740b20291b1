package org.tensorparity.backend.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.tensorparity.testing.OnnxValueInfos.typed;
import static org.tensorparity.testing.OnnxValueInfos.value;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.NativeStack;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputGenerator;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.RealPairs;

/**
 * Loops bounded at {@code --max-iterations}: a runaway {@code Loop} stops the run with an error naming it, at any depth
 * of {@code Loop} bodies and {@code If} branches, and a loop within the bound computes what ONNX Runtime computes on
 * the model as given, bit for bit.
 */
class LoopBoundTest {
    private static final int BOOL = OnnxMl.TensorProto.DataType.BOOL_VALUE;
    private static final int INT64 = OnnxMl.TensorProto.DataType.INT64_VALUE;
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT_VALUE;

    @TempDir
    Path dir;

    /** The real GRU's Loop runs 29 iterations, one per MFCC frame. */
    @Test
    void theGruLoopWithinTheBoundComputesWhatTheModelAsGivenDoes() throws Exception {
        ModelFile gru = ModelFile.read(RealPairs.folder().resolve("precise-lite-gru-tf2onnx/hey_mycroft.onnx"),
                ModelFormat.ONNX);
        Map<String, Tensor> feeds = Map.of("net_input",
                new InputGenerator(7, InputDistribution.DEFAULT).generate("net_input", DType.FLOAT32, Shape.of(1, 29, 13)));
        OnnxMl.ModelProto proto = OnnxModelFile.parse(gru);
        Map<String, Tensor> plain = unbounded(OnnxModelFile.serialize(proto), feeds);
        Map<String, Tensor> exposed = unbounded(OnnxModelFile.serialize(OnnxModelFile.exposeAllNodeOutputs(proto)), feeds);
        for (int max : new int[] {29, RunnerSettings.DEFAULT_MAX_ITERATIONS}) {
            RunnerSettings settings = RunnerSettings.DEFAULT.withMaxIterations(max);
            RunResult bounded = run(gru, settings, feeds);
            assertEquals(plain.keySet(), bounded.outputs().keySet());
            plain.forEach((name, t) -> assertArrayEquals(t.data(), bounded.outputs().get(name).data(), name));
            RunResult captured = run(gru, settings.instrumented(), feeds);
            assertEquals(exposed.keySet(), captured.intermediates().keySet(), "the counters are not reported");
            exposed.forEach((name, t) -> assertArrayEquals(t.data(), captured.intermediates().get(name).data(), name));
        }
        ModelFailureException e = assertThrows(ModelFailureException.class,
                () -> run(gru, RunnerSettings.DEFAULT.withMaxIterations(28), feeds));
        assertEquals("ONNX model " + gru.ref().path() + ": Loop 'sequential/net/while_loop' runs more than 28 iterations"
                + " (--max-iterations 28)", e.getMessage());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aLoopWhoseConditionNeverTurnsFalseStops() throws Exception {
        ModelFile model = write(graph(loop("forever", null, runawayBody("forever"), true)));
        // Instrumented in passes too: one node per pass, the loop's counter read from its own.
        for (RunnerSettings settings : new RunnerSettings[] {RunnerSettings.DEFAULT, RunnerSettings.DEFAULT.instrumented(),
                RunnerSettings.DEFAULT.withMaxIterations(5), RunnerSettings.DEFAULT.instrumented().withPassBytes(1)}) {
            ModelFailureException e = assertThrows(ModelFailureException.class, () -> run(model, settings, feeds()));
            assertEquals("ONNX model " + model.ref().path() + ": Loop 'forever' runs more than " + settings.maxIterations()
                    + " iterations (--max-iterations " + settings.maxIterations() + ")", e.getMessage());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aHugeTripCountStopsButAShortLoopRunsAsGiven() throws Exception {
        ModelFile huge = write(graph(loop("huge", Long.MAX_VALUE, runawayBody("huge"), false)));
        assertEquals("ONNX model " + huge.ref().path() + ": Loop 'huge' runs more than 100 iterations"
                + " (--max-iterations 100)", assertThrows(ModelFailureException.class,
                        () -> run(huge, RunnerSettings.DEFAULT.withMaxIterations(100), feeds())).getMessage());
        ModelFile shortLoop = write(graph(loop("short", 7L, runawayBody("short"), false)));
        for (int max : new int[] {7, 8}) {
            RunResult r = run(shortLoop, RunnerSettings.DEFAULT.withMaxIterations(max), feeds());
            // x doubled seven times, and the scan output holds all seven iterations.
            assertArrayEquals(new float[] {128, -128}, r.outputs().get("y").data());
            assertEquals(Shape.of(7, 2), r.outputs().get("ys").shape());
        }
        assertThrows(ModelFailureException.class, () -> run(shortLoop, RunnerSettings.DEFAULT.withMaxIterations(6), feeds()));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void nestedLoopsAreBoundedAndNamedWithWhatHoldsThem() throws Exception {
        // outer: 3 iterations; its body runs inner, which never ends on its own.
        OnnxMl.NodeProto inner = loop("inner", null, runawayBody("inner"), true);
        OnnxMl.GraphProto.Builder outerBody = OnnxMl.GraphProto.newBuilder().setName("outer_body")
                .addInput(typed("outer_i", INT64)).addInput(typed("outer_c", BOOL)).addInput(value("outer_v", 2))
                .addNode(inner.toBuilder().setInput(1, "outer_c").setInput(2, "outer_v"))
                .addNode(node("Identity", "outer_keep", "outer_c", "outer_c_out"))
                .addOutput(typed("outer_c_out", BOOL)).addOutput(value("y", 2)).addOutput(typed("ys", FLOAT));
        ModelFile nested = write(graph(loop("outer", 3L, outerBody, false)
                .toBuilder().setOutput(0, "outer_y").setOutput(1, "outer_ys").build(), "outer_y"));
        assertEquals("ONNX model " + nested.ref().path() + ": Loop 'inner' in the body of Loop 'outer' runs more than"
                + " 50 iterations (--max-iterations 50)", assertThrows(ModelFailureException.class,
                        () -> run(nested, RunnerSettings.DEFAULT.withMaxIterations(50), feeds())).getMessage());
        // An inner loop of 7 iterations run 3 times: bounded per run, so 7 passes (x doubled 21 times) and 6 does not.
        OnnxMl.GraphProto.Builder countedBody = outerBody.clone().setNode(0, loop("short", 7L, runawayBody("short"), true)
                .toBuilder().setInput(1, "outer_c").setInput(2, "outer_v"));
        ModelFile counted = write(graph(loop("outer", 3L, countedBody, false)
                .toBuilder().setOutput(0, "outer_y").setOutput(1, "outer_ys").build(), "outer_y"));
        assertArrayEquals(new float[] {1 << 21, -(1 << 21)},
                run(counted, RunnerSettings.DEFAULT.withMaxIterations(7), feeds()).outputs().get("outer_y").data());
        assertEquals("ONNX model " + counted.ref().path() + ": Loop 'short' in the body of Loop 'outer' runs more than"
                + " 6 iterations (--max-iterations 6)", assertThrows(ModelFailureException.class,
                        () -> run(counted, RunnerSettings.DEFAULT.withMaxIterations(6), feeds())).getMessage());

        // A runaway loop in the branch an If takes stops the run; in the branch it does not take, it never runs.
        OnnxMl.GraphProto.Builder runaway = OnnxMl.GraphProto.newBuilder().setName("then")
                .addNode(loop("branch_loop", null, runawayBody("branch_loop"), true).toBuilder()
                        .setOutput(0, "then_y").setOutput(1, "then_ys"))
                .addOutput(value("then_y", 2));
        OnnxMl.GraphProto.Builder plain = OnnxMl.GraphProto.newBuilder().setName("else")
                .addNode(node("Identity", "pass", "x", "else_y")).addOutput(value("else_y", 2));
        OnnxMl.NodeProto choose = OnnxMl.NodeProto.newBuilder().setOpType("If").setName("choose").addInput("take")
                .addOutput("y").addAttribute(graphAttribute("then_branch", runaway))
                .addAttribute(graphAttribute("else_branch", plain)).build();
        ModelFile branched = write(graph(choose, "y").toBuilder().addInput(typed("take", BOOL)).build());
        Map<String, Tensor> feeds = new LinkedHashMap<>(feeds());
        feeds.put("take", Tensor.wrap(DType.BOOL, Shape.of(), new float[] {1}));
        assertEquals("ONNX model " + branched.ref().path() + ": Loop 'branch_loop' in the then branch of If 'choose' runs"
                + " more than 50 iterations (--max-iterations 50)", assertThrows(ModelFailureException.class,
                        () -> run(branched, RunnerSettings.DEFAULT.withMaxIterations(50), feeds)).getMessage());
        feeds.put("take", Tensor.wrap(DType.BOOL, Shape.of(), new float[] {0}));
        assertArrayEquals(new float[] {1, -1},
                run(branched, RunnerSettings.DEFAULT.withMaxIterations(50), feeds).outputs().get("y").data());
    }

    /** Body of a loop over x: doubles it, returns its condition as given, and stacks each iteration's value. */
    private static OnnxMl.GraphProto.Builder runawayBody(String name) {
        return OnnxMl.GraphProto.newBuilder().setName(name + "_body")
                .addInput(typed(name + "_i", INT64)).addInput(typed(name + "_c", BOOL)).addInput(value(name + "_v", 2))
                .addNode(node("Identity", name + "_keep", name + "_c", name + "_c_out"))
                .addNode(node("Add", name + "_double", name + "_v", name + "_v", name + "_doubled"))
                .addNode(node("Identity", name + "_stack", name + "_doubled", name + "_scanned"))
                .addOutput(typed(name + "_c_out", BOOL)).addOutput(value(name + "_doubled", 2))
                .addOutput(value(name + "_scanned", 2));
    }

    /** {@code y, ys = Loop(M, cond, x)}; a null trip count leaves M empty. */
    private static OnnxMl.NodeProto loop(String name, Long tripCount, OnnxMl.GraphProto.Builder body, boolean condition) {
        return OnnxMl.NodeProto.newBuilder().setOpType("Loop").setName(name)
                .addInput(tripCount == null ? "" : name + "_M").addInput(condition ? "go" : "").addInput("x")
                .addOutput("y").addOutput("ys").addAttribute(graphAttribute("body", body)).build();
    }

    private static OnnxMl.GraphProto graph(OnnxMl.NodeProto node) {
        return graph(node, "y");
    }

    /** A main graph of x [2] in, {@code node}, and {@code output} out, with the constants the loops read. */
    private static OnnxMl.GraphProto graph(OnnxMl.NodeProto node, String output) {
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("bounded").addInput(value("x", 2))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("go").setDataType(BOOL).addInt32Data(1))
                .addOutput(value(output, 2));
        for (String name : new String[] {"huge", "short", "outer"}) {
            long m = switch (name) {
                case "huge" -> Long.MAX_VALUE;
                case "short" -> 7;
                default -> 3;
            };
            graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name + "_M").setDataType(INT64).addInt64Data(m));
        }
        graph.addNode(node);
        if (node.getOutputList().contains("ys")) {
            graph.addOutput(typed("ys", FLOAT));
        }
        return graph.build();
    }

    private static OnnxMl.AttributeProto graphAttribute(String name, OnnxMl.GraphProto.Builder g) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(g)
                .build();
    }

    private static OnnxMl.NodeProto node(String op, String name, String... inputsThenOutput) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name);
        for (int i = 0; i + 1 < inputsThenOutput.length; i++) {
            n.addInput(inputsThenOutput[i]);
        }
        return n.addOutput(inputsThenOutput[inputsThenOutput.length - 1]).build();
    }

    private ModelFile write(OnnxMl.GraphProto graph) throws Exception {
        Path file = Files.createTempFile(dir, "loop", ".onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setVersion(16)).setGraph(graph).build().toByteArray());
        return ModelFile.read(file, ModelFormat.ONNX);
    }

    private static Map<String, Tensor> feeds() {
        return Map.of("x", Tensor.of(Shape.of(2), 1, -1));
    }

    private static RunResult run(ModelFile file, RunnerSettings settings, Map<String, Tensor> feeds) throws Exception {
        try (OnnxRuntimeRunner runner = OnnxRuntimeRunner.open(file, settings)) {
            return runner.run(feeds);
        }
    }

    /** Every output of a session built straight from {@code model}, nothing bounded. */
    private static Map<String, Tensor> unbounded(ByteBuffer model, Map<String, Tensor> feeds) throws Exception {
        return NativeStack.call("unbounded", () -> {
            Map<String, Tensor> all = new LinkedHashMap<>();
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                // As the runner configures its sessions.
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
                    inputs.put(e.getKey(), OrtTensors.toOnnx(e.getValue(), DType.FLOAT32, e.getKey()));
                }
                try (OrtSession session = OrtEnv.get().createSession(model, options);
                        OrtSession.Result result = session.run(inputs)) {
                    for (Map.Entry<String, OnnxValue> e : result) {
                        if (e.getValue() instanceof OnnxTensor t && OrtTensors.isNumeric(t.getInfo().type)) {
                            all.put(e.getKey(), OrtTensors.toTensor(t));
                        }
                    }
                }
            } finally {
                inputs.values().forEach(OnnxTensor::close);
            }
            return all;
        });
    }
}
