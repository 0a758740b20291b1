package org.tensorparity.backend.ort;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputGenerator;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.OnnxValueInfos;
import org.tensorparity.testing.RealPairs;

/**
 * An instrumented run in passes computes what the one-session instrumented run computes, every value bit for bit,
 * on real models cut into several passes: convolution networks, a recurrent speech model, a model whose main graph
 * holds an {@code If}, one whose main graph holds a {@code Loop}.
 */
class OnnxPassesTest {
    private static final RunnerSettings INSTRUMENTED = RunnerSettings.DEFAULT.instrumented();

    @Test
    void yoloxNanoInPassesIsTheOneSessionRunBitForBit() throws Exception {
        ModelFile yolox = real("yolox-nano-onnxtf/yolox_nano.onnx");
        assertSameRun(yolox, generated(yolox), 8);
    }

    @Test
    void gtcrnMicroInPassesIsTheOneSessionRunBitForBit() throws Exception {
        ModelFile gtcrn = real("gtcrn-micro-onnx2tf/gtcrn_micro.onnx");
        assertSameRun(gtcrn, generated(gtcrn), 8);
    }

    /**
     * Silero VAD's main graph is one If on the sample rate, whose branches read the model's inputs from the enclosing
     * scope; its five nodes run one per pass.
     */
    @Test
    void sileroVadsTopLevelIfInPassesIsTheOneSessionRunBitForBit() throws Exception {
        ModelFile silero = real("silero-vad-onnx2tf/silero_vad_v5.1.onnx");
        InputGenerator g = new InputGenerator(7, InputDistribution.DEFAULT);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("input", g.generate("input", DType.FLOAT32, Shape.of(1, 512)));
        feeds.put("state", g.generate("state", DType.FLOAT32, Shape.of(2, 1, 128)));
        feeds.put("sr", Tensor.wrap(DType.INT64, Shape.of(), new float[] {16000}));
        assertSameRun(silero, feeds, Integer.MAX_VALUE);
    }

    /**
     * In passes of one node each too: a BatchNormalization cut from the convolution it reads would differ (ONNX Runtime
     * runs it as an NCHWc convolution in the whole graph), so it stays in that convolution's pass.
     */
    @Test
    void theDaSiamRpnFixtureInPassesIsTheOneSessionRunBitForBit() throws Exception {
        ModelFile detection = ModelFile.read(FixturePairs.pair("detection-271-onnxtf").onnx(), ModelFormat.ONNX);
        assertSameRun(detection, generated(detection), 8);
        assertSameRun(detection, generated(detection), Integer.MAX_VALUE);
    }

    /** The GRU's Loop, in passes: within the bound it computes what one session does; past it, the same error. */
    @Test
    void theGruLoopInPassesIsBoundedAsInOneSession() throws Exception {
        ModelFile gru = real("precise-lite-gru-tf2onnx/hey_mycroft.onnx");
        Map<String, Tensor> feeds = Map.of("net_input", new InputGenerator(7, InputDistribution.DEFAULT)
                .generate("net_input", DType.FLOAT32, Shape.of(1, 29, 13)));
        assertSameRun(gru, feeds, 4);
        RunnerSettings tight = INSTRUMENTED.withMaxIterations(28);
        String one = assertThrows(ModelFailureException.class, () -> run(gru, tight, feeds)).getMessage();
        String passes = assertThrows(ModelFailureException.class,
                () -> run(gru, tight.withPassBytes(1024), feeds)).getMessage();
        assertEquals("ONNX model " + gru.ref().path() + ": Loop 'sequential/net/while_loop' runs more than 28 iterations"
                + " (--max-iterations 28)", passes);
        assertEquals(one, passes);
    }

    /**
     * A MatMul whose weights are a folded constant (the transpose of an initializer) in the whole graph: in a pass of
     * its own it is handed them as an initializer too, so that ONNX Runtime pre-packs them as in one session.
     */
    @Test
    void aFoldedConstantReachesALaterPassAsAConstant(@TempDir Path dir) throws Exception {
        int k = 1024;
        int n = 256;
        java.util.Random random = new java.util.Random(7);
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(4 * k * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < k * n; i++) {
            raw.putFloat((float) random.nextGaussian());
        }
        int floatType = OnnxMl.TensorProto.DataType.FLOAT_VALUE;
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("folded")
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("w").setDataType(floatType).addDims(n).addDims(k)
                        .setRawData(com.google.protobuf.ByteString.copyFrom(raw.flip())))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Transpose").setName("t").addInput("w").addOutput("wt"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").setName("m").addInput("x").addInput("wt")
                        .addOutput("y"))
                .addInput(OnnxValueInfos.value("x", 8, k)).addOutput(OnnxValueInfos.value("y", 8, n)).build();
        Path file = dir.resolve("folded.onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(16)).setGraph(graph).build()
                .toByteArray());
        ModelFile model = ModelFile.read(file, ModelFormat.ONNX);
        assertSameRun(model, generated(model), Integer.MAX_VALUE);
    }

    /**
     * Weights reshaped by a shape read from an activation of static shape: ONNX Runtime folds the Shape node, and the
     * Reshape after it, into constants in one session, so a later pass must be handed them as constants too.
     */
    @Test
    void aShapeOfStaticShapeFoldsIntoConstantsInPassesToo(@TempDir Path dir) throws Exception {
        int k = 1024;
        int n = 256;
        java.util.Random random = new java.util.Random(7);
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("shaped")
                .addInitializer(floats("w", random, (long) k * n))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("one").setDataType(OnnxMl.TensorProto.DataType
                        .INT64_VALUE).addDims(1).addInt64Data(1))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("rest").setDataType(OnnxMl.TensorProto.DataType
                        .INT64_VALUE).addDims(1).addInt64Data(-1))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Shape").setName("shape").addInput("x").addOutput("s"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Gather").setName("gather").addInput("s").addInput("one")
                        .addOutput("kdim"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Concat").setName("concat").addInput("kdim")
                        .addInput("rest").addOutput("wshape").addAttribute(OnnxMl.AttributeProto.newBuilder()
                                .setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(0)))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Reshape").setName("reshape").addInput("w")
                        .addInput("wshape").addOutput("wr"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("MatMul").setName("m").addInput("x").addInput("wr")
                        .addOutput("y"))
                .addInput(OnnxValueInfos.value("x", 8, k)).addOutput(OnnxValueInfos.value("y", 8, n));
        ModelFile model = write(dir, graph.build());
        assertSameRun(model, generated(model), Integer.MAX_VALUE);
    }

    /**
     * A BatchNormalization two nodes after a convolution, behind a Relu: ONNX Runtime runs all three in the NCHWc
     * layout in one session, so they share a pass, however small the budget.
     */
    @Test
    void aBatchNormalizationStaysWithTheConvolutionItsLayoutComesFrom(@TempDir Path dir) throws Exception {
        int c = 16;
        java.util.Random random = new java.util.Random(7);
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("layout")
                .addInitializer(floats("w", random, c, c, 3, 3))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Conv").setName("conv").addInput("x").addInput("w")
                        .addOutput("c").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("pads")
                                .setType(OnnxMl.AttributeProto.AttributeType.INTS).addAllInts(List.of(1L, 1L, 1L, 1L))))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Relu").setName("relu").addInput("c").addOutput("r"));
        OnnxMl.NodeProto.Builder bn = OnnxMl.NodeProto.newBuilder().setOpType("BatchNormalization").setName("bn")
                .addInput("r").addOutput("y");
        for (String p : List.of("scale", "bias", "mean", "var")) {
            OnnxMl.TensorProto t = floats(p, random, c);
            if (p.equals("var")) {
                java.nio.ByteBuffer v = t.getRawData().asReadOnlyByteBuffer().order(java.nio.ByteOrder.LITTLE_ENDIAN);
                java.nio.ByteBuffer positive = java.nio.ByteBuffer.allocate(4 * c).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < c; i++) {
                    positive.putFloat(Math.abs(v.getFloat()) + 0.1f);
                }
                t = t.toBuilder().setRawData(com.google.protobuf.ByteString.copyFrom(positive.flip())).build();
            }
            graph.addInitializer(t);
            bn.addInput(p);
        }
        graph.addNode(bn).addNode(OnnxMl.NodeProto.newBuilder().setOpType("Sigmoid").setName("out").addInput("y")
                .addOutput("z"));
        graph.addInput(OnnxValueInfos.value("x", 1, c, 32, 32)).addOutput(OnnxValueInfos.value("z", 1, c, 32, 32));
        ModelFile model = write(dir, graph.build());
        assertEquals(List.of(3, 1), assertSameRun(model, generated(model), Integer.MAX_VALUE));
    }

    private static OnnxMl.TensorProto floats(String name, java.util.Random random, long... dims) {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate((int) (4 * count)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < count; i++) {
            raw.putFloat((float) random.nextGaussian());
        }
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).setRawData(com.google.protobuf.ByteString.copyFrom(raw.flip()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static ModelFile write(Path dir, OnnxMl.GraphProto graph) throws Exception {
        Path file = dir.resolve(graph.getName() + ".onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(16)).setGraph(graph).build()
                .toByteArray());
        return ModelFile.read(file, ModelFormat.ONNX);
    }

    /** Without a pass budget the runner builds its one session at open, as before. */
    @Test
    void noPassBytesRunsInOneSession() throws Exception {
        ModelFile detection = ModelFile.read(FixturePairs.pair("detection-271-onnxtf").onnx(), ModelFormat.ONNX);
        try (OnnxRuntimeRunner r = OnnxRuntimeRunner.open(detection, INSTRUMENTED.withPassBytes(0))) {
            assertEquals(null, r.passes());
            assertTrue(r.run(generated(detection)).intermediates().size() > 10);
        }
    }

    /**
     * Runs {@code file} instrumented in one session, then in passes of a {@code parts}-th of its activations, and
     * checks every value, the signature and the graph equal; {@code keep} sees each value once, in execution order,
     * and what it returns is what the result holds. Returns the node count of each pass.
     */
    private static List<Integer> assertSameRun(ModelFile file, Map<String, Tensor> feeds, int parts) throws Exception {
        RunResult whole;
        List<TensorSpec> inputs;
        List<TensorSpec> outputs;
        List<?> nodes;
        try (OnnxRuntimeRunner r = OnnxRuntimeRunner.open(file, INSTRUMENTED)) {
            whole = r.run(feeds);
            inputs = r.signature().inputs();
            outputs = r.signature().outputs();
            nodes = r.graph().nodes();
        }
        long activations = whole.intermediates().values().stream().mapToLong(t -> (long) t.data().length * 4).sum();
        long passBytes = Math.max(1, activations / parts);
        List<String> handed = new ArrayList<>();
        Map<String, Tensor> returned = new LinkedHashMap<>();
        try (OnnxRuntimeRunner r = OnnxRuntimeRunner.open(file, INSTRUMENTED.withPassBytes(passBytes))) {
            assertEquals(inputs, r.signature().inputs(), "inputs");
            assertEquals(outputs, r.signature().outputs(), "outputs");
            assertEquals(nodes, r.graph().nodes());
            RunResult passes = r.run(feeds, (name, t) -> {
                handed.add(name);
                Tensor copy = Tensor.wrap(t.dtype(), t.shape(), t.data().clone());
                returned.put(name, copy);
                return copy;
            });
            int segments = r.passes().lastSegments().size();
            long first = largest(r.passes().lastSegmentBytes());
            assertTrue(segments >= 2, segments + " passes");
            assertEquals(List.copyOf(whole.intermediates().keySet()), List.copyOf(passes.intermediates().keySet()));
            assertEquals(whole.intermediates().size(), handed.size(), "each value handed once");
            passes.intermediates().forEach((name, t) -> assertSame(returned.get(name), t, name));
            passes.outputs().forEach((name, t) -> assertSame(returned.get(name), t, name));
            assertEquals(whole.outputs().keySet(), passes.outputs().keySet());
            List<String> differ = new ArrayList<>();
            whole.intermediates().forEach((name, t) -> {
                try {
                    assertBits(t, passes.intermediates().get(name), name);
                } catch (AssertionError e) {
                    differ.add(name);
                }
            });
            assertEquals(List.of(), differ, "values that differ, passes " + r.passes().lastSegments());
            // The second run is cut by the sizes the first measured.
            RunResult again = r.run(feeds);
            whole.intermediates().forEach((name, t) -> assertBits(t, again.intermediates().get(name), name));
            System.out.printf("%s: %d values, %d bytes of activations, passes of %d bytes: %d passes (largest %d bytes),"
                    + " then by measured sizes %d (largest %d bytes)%n", file.ref().path().getFileName(),
                    whole.intermediates().size(), activations, passBytes, segments, first,
                    r.passes().lastSegments().size(), largest(r.passes().lastSegmentBytes()));
            return r.passes().lastSegments();
        }
    }

    private static long largest(List<Long> bytes) {
        return bytes.stream().mapToLong(Long::longValue).max().orElse(0);
    }

    private static void assertBits(Tensor expected, Tensor actual, String name) {
        assertEquals(expected.dtype(), actual.dtype(), name);
        assertEquals(expected.shape(), actual.shape(), name);
        float[] e = expected.data();
        float[] a = actual.data();
        int[] eb = new int[e.length];
        int[] ab = new int[a.length];
        for (int i = 0; i < e.length; i++) {
            eb[i] = Float.floatToIntBits(e[i]);
        }
        for (int i = 0; i < a.length; i++) {
            ab[i] = Float.floatToIntBits(a[i]);
        }
        assertArrayEquals(eb, ab, name);
    }

    private static RunResult run(ModelFile file, RunnerSettings settings, Map<String, Tensor> feeds) throws Exception {
        try (OnnxRuntimeRunner r = OnnxRuntimeRunner.open(file, settings)) {
            return r.run(feeds);
        }
    }

    private static Map<String, Tensor> generated(ModelFile file) throws Exception {
        InputGenerator g = new InputGenerator(3, InputDistribution.DEFAULT);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (TensorSpec s : OnnxRuntimeRunner.declaredSignature(file).inputs()) {
            feeds.put(s.name(), g.generate(s.name(), s.dtype(), s.shape()));
        }
        return feeds;
    }

    private static ModelFile real(String path) throws Exception {
        Path folder = RealPairs.folder();
        return ModelFile.read(folder.resolve(path), ModelFormat.ONNX);
    }
}
