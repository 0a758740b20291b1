package org.tensorparity.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorparity.testing.OnnxValueInfos.typed;
import static org.tensorparity.testing.OnnxValueInfos.value;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.RealPairs;

/** ONNX {@code Loop} bodies unrolled into the main graph compute what the {@code Loop} computes, bit for bit. */
class LoopUnrollerTest {
    @TempDir
    Path dir;

    private static final RunnerSettings INSTRUMENTED = RunnerSettings.DEFAULT.instrumented();

    @Test
    void theGruLoopUnrolledComputesTheSameBits() throws Exception {
        RealPairs.Expectation gru = RealPairs.expectations().stream().filter(e -> e.name().equals("precise-lite-gru"))
                .findFirst().orElseThrow();
        ModelFile original = ModelFile.read(gru.onnxPath(), ModelFormat.ONNX);
        Random random = new Random(35);
        float[] frames = new float[29 * 13];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = (float) random.nextGaussian();
        }
        Map<String, Tensor> feeds = Map.of("net_input", Tensor.of(Shape.of(1, 29, 13), frames));
        RunResult before;
        try (ModelRunner runner = Runtimes.standard().openOnnx(original, INSTRUMENTED)) {
            before = runner.run(feeds);
        }
        // The iterations are read from the captured scan output: 29.
        UnrolledModel unrolled = Runtimes.standard().unrollLoops(original, before.intermediates(), 12_000);
        assertEquals(java.util.List.of(), unrolled.notUnrolled());
        UnrolledLoop loop = unrolled.unrolled().get(0);
        assertEquals("sequential/net/while_loop", loop.node());
        assertEquals(29, loop.tensors().size());
        assertEquals(38, loop.bodyNodes());
        assertTrue(loop.tensors().get(28).contains("sequential/net/while/gru_cell/add_5@28"), loop.tensors().get(28)::toString);
        try (ModelRunner runner = Runtimes.standard().openOnnx(unrolled.file(), INSTRUMENTED)) {
            RunResult after = runner.run(feeds);
            assertTrue(runner.graph().nodes().stream().noneMatch(n -> n.opType().equals("Loop")));
            assertArrayEquals(before.outputs().get("Identity").data(), after.outputs().get("Identity").data());
            // Every output of the Loop, the final state and the stacked scan output included.
            for (String out : loop.outputs()) {
                assertArrayEquals(before.intermediates().get(out).data(), after.intermediates().get(out).data(), out);
                assertEquals(before.intermediates().get(out).shape(), after.intermediates().get(out).shape(), out);
            }
            // Iteration 28's state is the Loop's final state.
            assertArrayEquals(after.intermediates().get("sequential/net/while_loop:2").data(),
                    after.intermediates().get("sequential/net/while/gru_cell/add_5@28").data());
        }
    }

    @Test
    void aLoopWithoutConditionRunsItsTripCountUnrolled() throws Exception {
        // y, ys = Loop(M=3, cond="", x) body { i, c, v -> c, doubled = Mul(v, two), doubled }: y = 8x, ys = [2x, 4x, 8x]
        OnnxMl.GraphProto body = OnnxMl.GraphProto.newBuilder().setName("body")
                .addInput(typed("i", OnnxMl.TensorProto.DataType.INT64_VALUE))
                .addInput(typed("c", OnnxMl.TensorProto.DataType.BOOL_VALUE))
                .addInput(value("v", 2))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("keep").addInput("c").addOutput("c_out"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Mul").setName("double").addInput("v").addInput("two")
                        .addOutput("doubled"))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("two").addDims(1)
                        .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).addFloatData(2))
                .addOutput(typed("c_out", OnnxMl.TensorProto.DataType.BOOL_VALUE))
                .addOutput(value("doubled", 2))
                .addOutput(value("doubled", 2)).build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("loop")
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Loop").setName("triple").addInput("M").addInput("")
                        .addInput("x").addOutput("y").addOutput("ys")
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("body")
                                .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(body)))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("M")
                        .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addInt64Data(3))
                .addInput(value("x", 2))
                .addOutput(value("y", 2)).addOutput(value("ys", 3, 2)).build();
        Path file = dir.resolve("loop.onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setVersion(16)).setGraph(graph).build().toByteArray());
        ModelFile original = ModelFile.read(file, ModelFormat.ONNX);
        Map<String, Tensor> feeds = Map.of("x", Tensor.of(Shape.of(2), new float[] {1, -0.1f}));
        // The iterations are the trip count, an initializer: nothing ends the loop early.
        UnrolledModel unrolled = Runtimes.standard().unrollLoops(original, Map.of(), 12_000);
        assertEquals(3, unrolled.unrolled().get(0).iterations());
        try (ModelRunner loop = Runtimes.standard().openOnnx(original, INSTRUMENTED);
                ModelRunner flat = Runtimes.standard().openOnnx(unrolled.file(), INSTRUMENTED)) {
            RunResult expected = loop.run(feeds);
            RunResult actual = flat.run(feeds);
            assertArrayEquals(new float[] {8, -0.8f}, expected.outputs().get("y").data());
            assertArrayEquals(expected.outputs().get("y").data(), actual.outputs().get("y").data());
            assertArrayEquals(expected.outputs().get("ys").data(), actual.outputs().get("ys").data());
            assertEquals(Shape.of(3, 2), actual.outputs().get("ys").shape());
            assertArrayEquals(new float[] {4, -0.4f}, actual.intermediates().get("doubled@1").data());
        }
    }
}
