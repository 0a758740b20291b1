package org.tensorparity.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * {@link Runtimes#inlineBranches} on an ONNX file written here and run in ONNX Runtime: the rewritten model computes
 * what the {@code If} computed, with the branch's values captured under their own names, and a name the branch shares
 * with the main graph renamed in the branch, its nested subgraphs included.
 */
class IfInlinerTest {
    @TempDir
    Path dir;

    @Test
    void theTakenBranchRunsInlineWithItsNamesKeptAndAClashRenamed() throws Exception {
        // y = If(c) then { t = Neg(x); inner = If(c) then { u = Abs(t) } else { u2 = Identity(t) }; scaled = Mul(inner, two) }
        //            else { e = Identity(x) }
        // after the If, the main graph defines 'scaled' and 't' too: scaled = Relu(y), t = Identity(scaled).
        OnnxMl.GraphProto innerThen = OnnxMl.GraphProto.newBuilder().setName("inner_then")
                .addNode(node("Abs", "abs_t", "t", "u")).addOutput(name("u")).build();
        OnnxMl.GraphProto innerElse = OnnxMl.GraphProto.newBuilder().setName("inner_else")
                .addNode(node("Identity", "id_t", "t", "u2")).addOutput(name("u2")).build();
        OnnxMl.GraphProto then = OnnxMl.GraphProto.newBuilder().setName("then")
                .addNode(node("Neg", "neg", "x", "t"))
                .addNode(ifNode("inner", "c", "inner_out", innerThen, innerElse))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Mul").setName("relu_after").addInput("inner_out")
                        .addInput("two").addOutput("scaled"))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("two").addDims(1)
                        .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).addFloatData(2))
                .addOutput(name("scaled")).build();
        OnnxMl.GraphProto otherwise = OnnxMl.GraphProto.newBuilder().setName("else")
                .addNode(node("Identity", "id_x", "x", "e")).addOutput(name("e")).build();
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("clash")
                .addNode(ifNode("outer", "c", "y", then, otherwise))
                .addNode(node("Relu", "relu_after", "y", "scaled"))
                .addNode(node("Identity", "copy", "scaled", "t"))
                .addInput(value("x", OnnxMl.TensorProto.DataType.FLOAT_VALUE, 3))
                .addInput(value("c", OnnxMl.TensorProto.DataType.BOOL_VALUE))
                .addOutput(value("scaled", OnnxMl.TensorProto.DataType.FLOAT_VALUE, 3)).build();
        Path file = dir.resolve("clash.onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setVersion(16)).setGraph(graph).build().toByteArray());
        ModelFile original = ModelFile.read(file, ModelFormat.ONNX);
        Map<String, Tensor> feeds = Map.of("x", Tensor.of(Shape.of(3), new float[] {1, -2, 3}),
                "c", Tensor.wrap(org.tensorparity.tensor.DType.BOOL, Shape.of(), new float[] {1}));
        RunnerSettings instrumented = RunnerSettings.DEFAULT.instrumented();
        float[] expected;
        try (ModelRunner runner = Runtimes.standard().openOnnx(original, instrumented)) {
            expected = runner.run(feeds).outputs().get("scaled").data();
        }
        assertArrayEquals(new float[] {2, 4, 6}, expected);

        InlinedModel once = Runtimes.standard().inlineBranches(original, Map.of("y", true), 0);
        InlinedBranch outer = once.inlined().get(0);
        assertEquals("outer", outer.node());
        assertEquals("then_branch", outer.branch());
        assertEquals("c", outer.condition());
        assertEquals(3, outer.nodes());
        // The branch's 'scaled' and 't' clash with the main graph's: renamed with the If's name, in the nested If too.
        assertTrue(outer.tensors().containsAll(java.util.Set.of("t__outer", "inner_out", "scaled__outer")),
                outer.tensors()::toString);
        assertEquals(original.ref(), once.file().ref(), "reports keep naming the user's file");
        try (ModelRunner runner = Runtimes.standard().openOnnx(once.file(), instrumented)) {
            RunResult run = runner.run(feeds);
            assertArrayEquals(expected, run.outputs().get("scaled").data());
            assertArrayEquals(new float[] {-1, 2, -3}, run.intermediates().get("t__outer").data(), "the branch's values are captured");
            assertTrue(runner.graph().nodes().stream().anyMatch(n -> n.opType().equals("If") && n.name().equals("inner")));
        }
        // The nested If, now in the main graph, is inlined in turn; it reads the renamed 't' from outside itself.
        InlinedModel twice = Runtimes.standard().inlineBranches(once.file(), Map.of("inner_out", true), 1);
        assertEquals(1, twice.inlined().get(0).depth());
        try (ModelRunner runner = Runtimes.standard().openOnnx(twice.file(), instrumented)) {
            RunResult run = runner.run(feeds);
            assertArrayEquals(expected, run.outputs().get("scaled").data());
            assertArrayEquals(new float[] {1, 2, 3}, run.intermediates().get("u").data());
            assertTrue(runner.graph().nodes().stream().noneMatch(n -> n.opType().equals("If")));
        }
    }

    private static OnnxMl.NodeProto node(String op, String name, String in, String out) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addInput(in).addOutput(out).build();
    }

    private static OnnxMl.NodeProto ifNode(String name, String cond, String out, OnnxMl.GraphProto then,
            OnnxMl.GraphProto otherwise) {
        return OnnxMl.NodeProto.newBuilder().setOpType("If").setName(name).addInput(cond).addOutput(out)
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch")
                        .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(then))
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("else_branch")
                        .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(otherwise)).build();
    }

    private static OnnxMl.ValueInfoProto name(String name) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).build();
    }

    private static OnnxMl.ValueInfoProto value(String name, int elemType, long... shape) {
        OnnxMl.TensorShapeProto.Builder dims = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : shape) {
            dims.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(dims))).build();
    }
}
