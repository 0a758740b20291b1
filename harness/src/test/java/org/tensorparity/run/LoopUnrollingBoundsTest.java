package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorparity.testing.OnnxValueInfos.typed;
import static org.tensorparity.testing.OnnxValueInfos.value;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/** Which {@code Loop} nodes are unrolled: as many iterations as the run made, within {@link LoopUnrolling#MAX_UNROLLED_NODES}. */
class LoopUnrollingBoundsTest {
    private static final RunnerSettings INSTRUMENTED = RunnerSettings.DEFAULT.instrumented();

    @TempDir
    Path dir;

    private LoopUnrolling.Result unroll(long tripCount, boolean conditionInput, boolean scanOutput) throws Exception {
        // y[, ys] = Loop(M, cond, x) body { i, c, v -> c, Mul(v, 1.0001)[, the same as a scan output] }
        OnnxMl.GraphProto.Builder body = OnnxMl.GraphProto.newBuilder().setName("body")
                .addInput(typed("i", OnnxMl.TensorProto.DataType.INT64_VALUE))
                .addInput(typed("c", OnnxMl.TensorProto.DataType.BOOL_VALUE))
                .addInput(value("v", 2))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("keep").addInput("c").addOutput("c_out"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Mul").setName("scale").addInput("v").addInput("factor")
                        .addOutput("scaled"))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("factor").addDims(1)
                        .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).addFloatData(1.0001f))
                .addOutput(typed("c_out", OnnxMl.TensorProto.DataType.BOOL_VALUE))
                .addOutput(value("scaled", 2));
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("loop")
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("M")
                        .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addInt64Data(tripCount))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("go")
                        .setDataType(OnnxMl.TensorProto.DataType.BOOL_VALUE).addInt32Data(1))
                .addInput(value("x", 2)).addOutput(value("y", 2));
        if (scanOutput) {
            body.addOutput(value("scaled", 2));
            graph.addOutput(value("ys", tripCount, 2));
        }
        OnnxMl.NodeProto.Builder loop = OnnxMl.NodeProto.newBuilder().setOpType("Loop").setName("repeat").addInput("M")
                .addInput(conditionInput ? "go" : "").addInput("x").addOutput("y")
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("body")
                        .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(body));
        if (scanOutput) {
            loop.addOutput("ys");
        }
        graph.addNode(loop);
        Path file = dir.resolve("loop.onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setVersion(16)).setGraph(graph).build().toByteArray());
        ModelFile model = ModelFile.read(file, ModelFormat.ONNX);
        Map<String, Tensor> feeds = Map.of("x", Tensor.of(Shape.of(2), new float[] {1, -1}));
        CapturedRun.Side first;
        try (ModelRunner runner = Runtimes.standard().openOnnx(model, INSTRUMENTED)) {
            first = new CapturedRun.Side(runner.graph(), runner.run(feeds));
        }
        return LoopUnrolling.unroll(Runtimes.standard(), CapturePlan.whole(), INSTRUMENTED, model, first, feeds);
    }

    @Test
    void theIterationsComeFromTheScanOutputOrTheTripCount() throws Exception {
        LoopUnrolling.Result scanned = unroll(5, true, true);
        assertEquals(List.of(), scanned.notUnrolled());
        assertEquals(5, scanned.loops().get(0).iterations());
        assertTrue(scanned.side().result().intermediates().containsKey("scaled@4"));
        LoopUnrolling.Result counted = unroll(4, false, false);
        assertEquals(4, counted.loops().get(0).iterations());
        assertEquals(counted.side().result().outputs().get("y").data()[0],
                counted.side().result().intermediates().get("scaled@3").data()[0]);
    }

    @Test
    void aLoopWhoseIterationsAreUnknownOrTooManyStaysWhole() throws Exception {
        LoopUnrolling.Result unknown = unroll(4, true, false);
        assertEquals(List.of(), unknown.loops());
        assertEquals(List.of("Loop 'repeat' was not unrolled (the run captured no scan output and no trip count with a"
                + " condition that never changes, so how many iterations it made is not known): its body's values are"
                + " not captured"), unknown.notUnrolled());
        // 6,001 iterations of a 2-node body: 12,002 nodes unrolled, just over the bound.
        LoopUnrolling.Result tooMany = unroll(6_001, true, true);
        assertEquals(List.of(), tooMany.loops());
        assertEquals(List.of("Loop 'repeat' was not unrolled (6001 iterations of its 2-node body exceed 12000 nodes"
                + " unrolled): its body's values are not captured"), tooMany.notUnrolled());
    }
}
