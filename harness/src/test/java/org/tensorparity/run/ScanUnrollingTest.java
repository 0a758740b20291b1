package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorparity.testing.OnnxValueInfos.typed;
import static org.tensorparity.testing.OnnxValueInfos.value;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.PackOptionsT;
import org.tensorflow.lite.schema.UnpackOptionsT;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.backend.UnrolledLoop;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.UnrolledLoopSummary;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.TinyTflite;

/**
 * ONNX {@code Scan} bodies, and loops nested in unrolled bodies, unrolled for the instrumented run: the outputs are the
 * model's bit for bit, and every iteration's values are captured under {@code <name>@<k>}.
 */
class ScanUnrollingTest {
    private static final RunnerSettings INSTRUMENTED = RunnerSettings.DEFAULT.instrumented();
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT_VALUE;
    private static final int INT64 = OnnxMl.TensorProto.DataType.INT64_VALUE;
    private static final int BOOL = OnnxMl.TensorProto.DataType.BOOL_VALUE;

    @TempDir
    Path dir;

    private static OnnxMl.NodeProto node(String op, String name, List<String> inputs, String... outputs) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
                .addAllOutput(List.of(outputs)).build();
    }

    private static OnnxMl.AttributeProto ints(String name, long... values) {
        OnnxMl.AttributeProto.Builder a = OnnxMl.AttributeProto.newBuilder().setName(name)
                .setType(OnnxMl.AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static OnnxMl.AttributeProto graph(String name, OnnxMl.GraphProto g) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.GRAPH)
                .setG(g).build();
    }

    private static OnnxMl.TensorProto floats(String name, float... values) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).addDims(values.length)
                .setDataType(FLOAT);
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    private ModelFile write(String name, OnnxMl.GraphProto graph) throws Exception {
        Path file = dir.resolve(name + ".onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setVersion(16)).setGraph(graph).build().toByteArray());
        return ModelFile.read(file, ModelFormat.ONNX);
    }

    private static Tensor random(Random random, int... shape) {
        float[] data = new float[Shape.of(shape).elementCount() > 0 ? (int) Shape.of(shape).elementCount() : 0];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextGaussian();
        }
        return Tensor.of(Shape.of(shape), data);
    }

    private record Runs(RunResult whole, LoopUnrolling.Result unrolled) {
    }

    private static Runs run(ModelFile model, Map<String, Tensor> feeds) throws Exception {
        CapturedRun.Side first;
        try (ModelRunner runner = Runtimes.standard().openOnnx(model, INSTRUMENTED)) {
            first = new CapturedRun.Side(runner.graph(), runner.run(feeds));
        }
        return new Runs(first.result(), LoopUnrolling.unroll(Runtimes.standard(), CapturePlan.whole(), INSTRUMENTED, model, first, feeds));
    }

    private static void assertSameOutputs(Runs runs) {
        runs.whole().outputs().forEach((name, expected) -> {
            Tensor actual = runs.unrolled().side().result().outputs().get(name);
            assertEquals(expected.shape(), actual.shape(), name);
            assertArrayEquals(expected.data(), actual.data(), name);
        });
    }

    /** The recurrent weights of the RNN cell below, one per unit. */
    private static float[] weights(int width) {
        float[] w = new float[width];
        for (int i = 0; i < width; i++) {
            w[i] = 0.9f * (float) Math.cos(i);
        }
        return w;
    }

    /**
     * A tiny RNN cell: h' = tanh(h * w + x_t + r_t), over x [steps, width] scanned forward along axis 0 and r [width,
     * steps] scanned backward along axis -1; it stacks h' along axis 0 and h' * x_t, last iteration first, along axis
     * 1. The scan output is an Identity of the state: a body returning one name as both made ONNX Runtime's final
     * state zeros.
     */
    private ModelFile rnn(int steps, int width) throws Exception {
        OnnxMl.GraphProto body = OnnxMl.GraphProto.newBuilder().setName("cell_body")
                .addInput(value("h", width)).addInput(value("x_t", width)).addInput(value("r_t", width))
                .addNode(node("Mul", "recur", List.of("h", "w"), "hw"))
                .addNode(node("Add", "add_x", List.of("hw", "x_t"), "a"))
                .addNode(node("Add", "add_r", List.of("a", "r_t"), "b"))
                .addNode(node("Tanh", "squash", List.of("b"), "h_new"))
                .addNode(node("Mul", "gate", List.of("h_new", "x_t"), "z"))
                .addNode(node("Identity", "emit", List.of("h_new"), "y_t"))
                .addInitializer(floats("w", weights(width)))
                .addOutput(value("h_new", width)).addOutput(value("y_t", width)).addOutput(value("z", width)).build();
        OnnxMl.NodeProto scan = node("Scan", "cell", List.of("h0", "xs", "rs"), "h", "ys", "zs").toBuilder()
                .addAttribute(graph("body", body))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("num_scan_inputs")
                        .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(2))
                .addAttribute(ints("scan_input_axes", 0, -1)).addAttribute(ints("scan_input_directions", 0, 1))
                .addAttribute(ints("scan_output_axes", 0, 1)).addAttribute(ints("scan_output_directions", 0, 1))
                .build();
        return write("rnn", OnnxMl.GraphProto.newBuilder().setName("rnn").addNode(scan)
                .addInput(value("h0", width)).addInput(value("xs", steps, width)).addInput(value("rs", width, steps))
                .addOutput(value("h", width)).addOutput(value("ys", steps, width))
                .addOutput(value("zs", width, steps)).build());
    }

    @Test
    void aScanUnrolledComputesTheSameBitsWithEveryIterationCaptured() throws Exception {
        Random random = new Random(35);
        Map<String, Tensor> feeds = Map.of("h0", random(random, 2), "xs", random(random, 5, 2), "rs",
                random(random, 2, 5));
        Runs runs = run(rnn(5, 2), feeds);
        assertEquals(List.of(), runs.unrolled().notUnrolled());
        UnrolledLoop cell = runs.unrolled().loops().get(0);
        assertEquals("Scan", cell.op());
        assertEquals("cell", cell.node());
        assertEquals(5, cell.iterations(), "the length of xs along axis 0");
        assertEquals(6, cell.bodyNodes());
        assertTrue(runs.unrolled().side().graph().nodes().stream().noneMatch(n -> n.opType().equals("Scan")));
        assertSameOutputs(runs);
        Map<String, Tensor> captured = runs.unrolled().side().result().intermediates();
        assertTrue(cell.tensors().get(4).contains("h_new@4"), cell.tensors().get(4)::toString);
        assertArrayEquals(runs.whole().outputs().get("h").data(), captured.get("h_new@4").data());
        // Iteration 0 reads xs[0] forwards and rs[:, 4] backwards.
        assertArrayEquals(new float[] {feeds.get("xs").data()[0], feeds.get("xs").data()[1]}, captured.get("x_t@0").data());
        assertArrayEquals(new float[] {feeds.get("rs").data()[4], feeds.get("rs").data()[9]}, captured.get("r_t@0").data());
        // zs stacks along axis 1, the last iteration first: its column 0 is iteration 4's z.
        float[] zs = runs.whole().outputs().get("zs").data();
        assertArrayEquals(new float[] {zs[0], zs[5]}, captured.get("z@4").data());
    }

    @Test
    void aScanTooLongStaysWholeAndSaysWhy() throws Exception {
        Random random = new Random(36);
        // 2,001 iterations of a 6-node body: 12,006 nodes, just over the bound.
        Runs runs = run(rnn(2_001, 2), Map.of("h0", random(random, 2), "xs", random(random, 2_001, 2), "rs",
                random(random, 2, 2_001)));
        assertEquals(List.of(), runs.unrolled().loops());
        assertEquals(List.of("Scan 'cell' was not unrolled (2001 iterations of its 6-node body exceed 12000 nodes"
                + " unrolled): its body's values are not captured"), runs.unrolled().notUnrolled());
    }

    /**
     * The RNN cell's computation written out as plain TFLite operators, as a converter unrolling the Scan would: UNPACK
     * slices the sequences, each step is MUL, ADD, ADD, TANH and MUL ({@code hw_<k>}, ..., {@code z_<k>}), PACK stacks.
     *
     * @param scaledStep the step whose recurrent weight of unit 3 is x1.5 (a mutant inside the body), or -1
     */
    private Path rnnTflite(int steps, int width, int scaledStep, String name) {
        float[] w = weights(width);
        float[] mutated = w.clone();
        mutated[3] *= 1.5f;
        int[] unit = {width};
        UnpackOptionsT rows = new UnpackOptionsT();
        rows.setNum(steps);
        rows.setAxis(0);
        UnpackOptionsT columns = new UnpackOptionsT();
        columns.setNum(steps);
        columns.setAxis(1);
        TinyTflite model = new TinyTflite().input("h0", width).input("xs", steps, width).input("rs", width, steps)
                .constant("w", unit, w).constant("w_mutated", unit, mutated);
        List<String> xs = new ArrayList<>();
        List<String> rs = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            xs.add("x_" + k);
            rs.add("r_" + k);
        }
        model.op(BuiltinOperator.UNPACK, List.of("xs"), xs, unit, TinyTflite.options(BuiltinOptions.UnpackOptions, rows));
        model.op(BuiltinOperator.UNPACK, List.of("rs"), rs, unit, TinyTflite.options(BuiltinOptions.UnpackOptions, columns));
        String h = "h0";
        List<String> hs = new ArrayList<>();
        List<String> zs = new ArrayList<>();
        for (int k = 0; k < steps; k++) {
            String next = k == steps - 1 ? "h" : "h_" + k;
            model.op(BuiltinOperator.MUL, List.of(h, k == scaledStep ? "w_mutated" : "w"), List.of("hw_" + k), unit, null)
                    .op(BuiltinOperator.ADD, List.of("hw_" + k, "x_" + k), List.of("a_" + k), unit, null)
                    .op(BuiltinOperator.ADD, List.of("a_" + k, "r_" + (steps - 1 - k)), List.of("b_" + k), unit, null)
                    .op(BuiltinOperator.TANH, List.of("b_" + k), List.of(next), unit, null)
                    .op(BuiltinOperator.MUL, List.of(next, "x_" + k), List.of("z_" + k), unit, null);
            hs.add(next);
            zs.add(0, "z_" + k);
            h = next;
        }
        PackOptionsT stackRows = new PackOptionsT();
        stackRows.setValuesCount(steps);
        stackRows.setAxis(0);
        PackOptionsT stackColumns = new PackOptionsT();
        stackColumns.setValuesCount(steps);
        stackColumns.setAxis(1);
        model.op(BuiltinOperator.PACK, hs, List.of("ys"), new int[] {steps, width},
                TinyTflite.options(BuiltinOptions.PackOptions, stackRows));
        model.op(BuiltinOperator.PACK, zs, List.of("zs"), new int[] {width, steps},
                TinyTflite.options(BuiltinOptions.PackOptions, stackColumns));
        return model.write(dir.resolve(name + ".tflite"), "h", "ys", "zs");
    }

    @Test
    void aVerifyPairsEveryIterationAndLocalizesAMutantInsideTheBody() throws Exception {
        Path onnx = dir.resolve("rnn.onnx");
        rnn(5, 16);
        ParityReport report = new ParityVerifier().verify(VerifyRequest.of(onnx, rnnTflite(5, 16, -1, "rnn"))
                .invocation(List.of("test"), List.of()).build());
        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        UnrolledLoopSummary cell = report.alignment().unrolledLoops().get(0);
        assertEquals("Scan", cell.op());
        assertEquals(5, cell.iterations());
        assertEquals(-1, cell.comparedIteration(), "no WHILE: every iteration is compared");
        assertTrue(cell.describe().startsWith("Scan 'cell': its 6-node body was unrolled"), cell.describe());
        // 25 of 30 when written: every iteration's Mul, Add, Add, Tanh and Mul; y_t, an Identity, holds h_new's values.
        assertEquals(30, cell.activations(), cell.describe());
        assertTrue(cell.paired() >= 20 && cell.paired() + cell.accounted() == 30, cell.describe());
        for (int k = 0; k < 5; k++) {
            int step = k;
            assertTrue(report.layers().stream().anyMatch(l -> l.onnx().equals("hw@" + step) && l.tflite().equals("hw_" + step)),
                    () -> "hw@" + step + " unpaired: " + report.layers().stream().map(l -> l.onnx() + "=" + l.tflite()).toList());
        }

        ParityReport mutant = new ParityVerifier().verify(VerifyRequest.of(onnx, rnnTflite(5, 16, 2, "mutant"))
                .invocation(List.of("test"), List.of()).build());
        assertEquals(Verdict.FAIL, mutant.verdict(), mutant.summary());
        FirstDivergence d = mutant.firstDivergence();
        assertTrue(d != null && d.onnx().equals("hw@2") && d.tflite().equals("hw_2"), () -> String.valueOf(d));
        assertEquals("isolated", d.locatedBy(), d::toString);
    }

    /**
     * y = Loop(3, "", v0) body { i, c, v -> c, Scan(acc over xs starting from Loop(m, "", v) body { j, c2, u -> c2,
     * u * half }) }: the inner loop's trip count m is a Constant of the outer body, known once the outer loop is
     * unrolled; the Scan reads the main graph's xs. {@code padding} Identity nodes after the Scan make the outer body
     * heavier.
     */
    private ModelFile nested(long outerCount, long innerCount, int padding) throws Exception {
        OnnxMl.GraphProto inner = OnnxMl.GraphProto.newBuilder().setName("inner_body")
                .addInput(typed("j", INT64)).addInput(typed("c2", BOOL)).addInput(value("u", 2))
                .addNode(node("Identity", "keep2", List.of("c2"), "c2_out"))
                .addNode(node("Mul", "halve", List.of("u", "half"), "p"))
                .addOutput(typed("c2_out", BOOL)).addOutput(value("p", 2)).build();
        OnnxMl.GraphProto accumulate = OnnxMl.GraphProto.newBuilder().setName("acc_body")
                .addInput(value("s", 2)).addInput(value("x", 2))
                .addNode(node("Add", "sum", List.of("s", "x"), "t"))
                .addNode(node("Identity", "emit", List.of("t"), "t_out"))
                .addOutput(value("t", 2)).addOutput(value("t_out", 2)).build();
        OnnxMl.NodeProto count = node("Constant", "inner_count", List.of(), "m").toBuilder()
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value")
                        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(OnnxMl.TensorProto.newBuilder()
                                .setDataType(INT64).addInt64Data(innerCount))).build();
        OnnxMl.GraphProto.Builder outer = OnnxMl.GraphProto.newBuilder().setName("outer_body")
                .addInput(typed("i", INT64)).addInput(typed("c", BOOL)).addInput(value("v", 2))
                .addNode(node("Identity", "keep", List.of("c"), "c_out"))
                .addNode(count)
                .addNode(node("Loop", "inner", List.of("m", "", "v"), "halved").toBuilder()
                        .addAttribute(graph("body", inner)).build())
                .addNode(node("Scan", "acc", List.of("halved", "xs"), "summed", "sums").toBuilder()
                        .addAttribute(graph("body", accumulate))
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("num_scan_inputs")
                                .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(1)).build())
                .addOutput(typed("c_out", BOOL));
        String carried = "summed";
        for (int p = 0; p < padding; p++) {
            outer.addNode(node("Identity", "pad_" + p, List.of(carried), "padded_" + p));
            carried = "padded_" + p;
        }
        outer.addOutput(value(carried, 2));
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("nested")
                .addNode(node("Loop", "outer", List.of("M", "", "v0"), "y").toBuilder()
                        .addAttribute(graph("body", outer.build())).build())
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("M").setDataType(INT64).addInt64Data(outerCount))
                .addInitializer(floats("half", 0.5f, 0.25f))
                .addInput(value("v0", 2)).addInput(value("xs", 4, 2)).addOutput(value("y", 2));
        return write("nested", g.build());
    }

    @Test
    void loopsNestedInAnUnrolledBodyAreUnrolledInTheNextRound() throws Exception {
        Random random = new Random(37);
        Runs runs = run(nested(3, 2, 0), Map.of("v0", random(random, 2), "xs", random(random, 4, 2)));
        assertEquals(List.of(), runs.unrolled().notUnrolled());
        assertTrue(runs.unrolled().side().graph().nodes().stream()
                .noneMatch(n -> n.opType().equals("Loop") || n.opType().equals("Scan")));
        assertSameOutputs(runs);
        List<UnrolledLoop> loops = runs.unrolled().loops();
        assertEquals("outer", loops.get(0).node());
        // Round 2: each outer iteration's copies of the inner Loop (2 iterations) and of the Scan (4, the rows of xs).
        assertEquals(List.of("Loop inner@0", "Loop inner@1", "Loop inner@2", "Scan acc@0", "Scan acc@1", "Scan acc@2"),
                loops.subList(1, loops.size()).stream().map(l -> l.op() + " " + l.node()).toList());
        Map<String, Tensor> captured = runs.unrolled().side().result().intermediates();
        // Outer iteration 2, inner iteration 1 and Scan iteration 3, named by both.
        assertTrue(captured.containsKey("p@2@1"), captured.keySet()::toString);
        assertArrayEquals(runs.whole().outputs().get("y").data(), captured.get("t@2@3").data());
        // The outer iteration holds what the loops nested in it computed.
        assertTrue(loops.get(0).tensors().get(2).containsAll(List.of("p@2@1", "t@2@3")), loops.get(0).tensors()::toString);
        assertTrue(!loops.get(0).tensors().get(1).contains("t@2@3"));
    }

    @Test
    void nestedLoopsOverTheBoundStayWholeAndAreNamed() throws Exception {
        Random random = new Random(38);
        // Each of the 3 inner Loop copies alone fits (5,000 iterations of 2 nodes), all of them do not.
        Runs runs = run(nested(3, 5_000, 0), Map.of("v0", random(random, 2), "xs", random(random, 4, 2)));
        assertSameOutputs(runs);
        assertEquals(List.of("outer"), runs.unrolled().loops().stream().map(UnrolledLoop::node).toList());
        assertEquals(List.of("the nodes [Loop 'inner@0', Loop 'inner@1', Loop 'inner@2', Scan 'acc@0', and 2 more]"
                + " were not unrolled (nested in unrolled bodies, their 30024 body nodes unrolled with the"
                + " 12 before exceed 12000): their bodies' values are not captured"), runs.unrolled().notUnrolled());
        // 300 outer iterations of 40 nodes use the whole bound: no round is tried for the 600 nested copies.
        Runs full = run(nested(300, 2, 36), Map.of("v0", random(random, 2), "xs", random(random, 4, 2)));
        assertSameOutputs(full);
        assertEquals(300, full.unrolled().loops().get(0).iterations());
        assertEquals(List.of("the nodes [Loop 'inner@0', Scan 'acc@0', Loop 'inner@1', Scan 'acc@1', and 596 more] were"
                + " not unrolled (the 12000 body nodes unrolled before leave none of the 12000): their bodies' values are"
                + " not captured"), full.unrolled().notUnrolled());
    }

    @Test
    void anIfAnUnrolledBodyHeldIsNamedInTheNotes() throws Exception {
        // y = Loop(2, "", v0) body { i, c, v -> c, If(Cast(i, bool)) then -v else v }
        OnnxMl.GraphProto negate = OnnxMl.GraphProto.newBuilder().setName("then")
                .addNode(node("Neg", "negate", List.of("v"), "negated"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("negated")).build();
        OnnxMl.GraphProto keep = OnnxMl.GraphProto.newBuilder().setName("else")
                .addNode(node("Identity", "same", List.of("v"), "kept"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("kept")).build();
        OnnxMl.GraphProto body = OnnxMl.GraphProto.newBuilder().setName("body")
                .addInput(typed("i", INT64)).addInput(typed("c", BOOL)).addInput(value("v", 2))
                .addNode(node("Identity", "keep", List.of("c"), "c_out"))
                .addNode(node("Cast", "odd", List.of("i"), "flag").toBuilder().addAttribute(OnnxMl.AttributeProto
                        .newBuilder().setName("to").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(BOOL)).build())
                .addNode(node("If", "pick", List.of("flag"), "picked").toBuilder().addAttribute(graph("then_branch", negate))
                        .addAttribute(graph("else_branch", keep)).build())
                .addOutput(typed("c_out", BOOL)).addOutput(value("picked", 2)).build();
        ModelFile model = write("branchy", OnnxMl.GraphProto.newBuilder().setName("branchy")
                .addNode(node("Loop", "outer", List.of("M", "", "v0"), "y").toBuilder().addAttribute(graph("body", body))
                        .build())
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("M").setDataType(INT64).addInt64Data(2))
                .addInput(value("v0", 2)).addOutput(value("y", 2)).build());
        Runs runs = run(model, Map.of("v0", Tensor.of(Shape.of(2), new float[] {1, -2})));
        assertSameOutputs(runs);
        assertArrayEquals(new float[] {-1, 2}, runs.unrolled().side().result().outputs().get("y").data());
        assertEquals(List.of("If 'pick@0', copied out of iteration 0 of Loop 'outer', was not inlined: its branches'"
                + " values are not captured", "If 'pick@1', copied out of iteration 1 of Loop 'outer', was not inlined:"
                + " its branches' values are not captured"), runs.unrolled().notUnrolled());
    }
}
