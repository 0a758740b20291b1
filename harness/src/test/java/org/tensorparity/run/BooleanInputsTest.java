package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorparity.testing.OnnxValueInfos.value;

import ai.onnx.proto.OnnxMl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorparity.bind.InputSource;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.ParityReport;
import org.tensorparity.testing.TinyTflite;

/**
 * Boolean inputs fed the value their ONNX graph implies: a mask all true, an {@code If} selector the branch the TFLite
 * model holds; otherwise seeded, and the report says so. Real ONNX and TFLite files written here, run in both runtimes.
 */
class BooleanInputsTest {
    private static final int BOOL = OnnxMl.TensorProto.DataType.BOOL_VALUE;

    @TempDir
    Path dir;

    private static OnnxMl.NodeProto node(String op, String name, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs).addOutput(output).build();
    }

    private static OnnxMl.ValueInfoProto bool(String name, long... shape) {
        return value(name, shape).toBuilder().setType(value(name, shape).getType().toBuilder()
                .setTensorType(value(name, shape).getType().getTensorType().toBuilder().setElemType(BOOL))).build();
    }

    private Path onnx(String name, OnnxMl.GraphProto graph) throws Exception {
        Path file = dir.resolve(name + ".onnx");
        Files.write(file, OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setVersion(16)).setGraph(graph).build().toByteArray());
        return file;
    }

    /** y = x through one TFLite operator of builtin code {@code code}. */
    private Path tflite(String name, int code) {
        return new TinyTflite().input("x", 4).op(code, List.of("x"), List.of("y"), new int[] {4}, null)
                .write(dir.resolve(name + ".tflite"), "y");
    }

    private static ParityReport verify(Path onnx, Path tflite, String input, InputSource source) throws Exception {
        VerifyRequest.Builder request = VerifyRequest.of(onnx, tflite).invocation(List.of("test"), List.of());
        if (source != null) {
            request.source(input, source);
        }
        return new ParityVerifier().verify(request.build());
    }

    private static String fedTo(ParityReport report, String input) {
        return report.warnings().stream().filter(w -> w.startsWith("ONNX input '" + input + "'")).findFirst()
                .orElseThrow(() -> new AssertionError(report.warnings().toString()));
    }

    /** flag selects If 'choose': its then_branch is Relu(x), its else_branch Sigmoid(x). */
    private Path selector() throws Exception {
        OnnxMl.GraphProto then = OnnxMl.GraphProto.newBuilder().setName("then")
                .addNode(node("Relu", "rectify", List.of("x"), "rectified"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("rectified")).build();
        OnnxMl.GraphProto otherwise = OnnxMl.GraphProto.newBuilder().setName("else")
                .addNode(node("Sigmoid", "squash", List.of("x"), "squashed"))
                .addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("squashed")).build();
        return onnx("selector", OnnxMl.GraphProto.newBuilder().setName("selector")
                .addNode(node("If", "choose", List.of("flag"), "y").toBuilder()
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("then_branch")
                                .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(then))
                        .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("else_branch")
                                .setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(otherwise)).build())
                .addInput(value("x", 4)).addInput(bool("flag")).addOutput(value("y", 4)).build());
    }

    @Test
    void aSelectorTakesTheBranchTheTfliteModelHolds() throws Exception {
        Path onnx = selector();
        ParityReport sigmoid = verify(onnx, tflite("sigmoid", BuiltinOperator.LOGISTIC), null, null);
        assertEquals(Verdict.PASS, sigmoid.verdict(), sigmoid.summary());
        assertTrue(fedTo(sigmoid, "flag").contains("(value 0, as the graph implies: it selects a branch: 0 takes the"
                + " else_branch of If 'choose', the one the TFLite model holds (0 of 1 operator types of the then_branch"
                + " of If 'choose', 1 of 1 operator types of the else_branch of If 'choose' have a TFLite counterpart))"),
                fedTo(sigmoid, "flag"));
        ParityReport relu = verify(onnx, tflite("relu", BuiltinOperator.RELU), null, null);
        assertEquals(Verdict.PASS, relu.verdict(), relu.summary());
        assertTrue(fedTo(relu, "flag").contains("value 1, as the graph implies: it selects a branch: 1 takes the"
                + " then_branch of If 'choose'"), fedTo(relu, "flag"));
        // A value given wins: the other branch runs, and the outputs differ.
        ParityReport forced = verify(onnx, tflite("sigmoid2", BuiltinOperator.LOGISTIC), "flag",
                InputSource.Literal.parse("true"));
        assertEquals(Verdict.FAIL, forced.verdict(), forced.summary());
        assertTrue(fedTo(forced, "flag").contains("(values true)"), fedTo(forced, "flag"));
    }

    @Test
    void aMaskIsAllTrueAndAnyOtherBooleanIsSeededWithAWarning() throws Exception {
        // y = Sigmoid(Where(mask, x, 0)): all true keeps x, as the TFLite model (Sigmoid of x) computes.
        OnnxMl.TensorProto zero = OnnxMl.TensorProto.newBuilder().setName("zero").addDims(1)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).addFloatData(0).build();
        Path masked = onnx("masked", OnnxMl.GraphProto.newBuilder().setName("masked").addInitializer(zero)
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Where").setName("keep").addInput("mask").addInput("x")
                        .addInput("zero").addOutput("kept"))
                .addNode(node("Sigmoid", "squash", List.of("kept"), "y"))
                .addInput(value("x", 4)).addInput(bool("mask", 4)).addOutput(value("y", 4)).build());
        Path sigmoid = tflite("sigmoid", BuiltinOperator.LOGISTIC);
        ParityReport report = verify(masked, sigmoid, null, null);
        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        assertTrue(fedTo(report, "mask").contains("(value 1, as the graph implies: a mask, the condition of Where"
                + " 'keep': all true keeps every value)"), fedTo(report, "mask"));

        // y = Sigmoid(x) + Cast(flag) * 0: a boolean the graph implies nothing of stays seeded, and is named.
        Path cast = onnx("cast", OnnxMl.GraphProto.newBuilder().setName("cast").addInitializer(zero)
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Cast").setName("as_float").addInput("flag")
                        .addOutput("f").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("to")
                                .setType(OnnxMl.AttributeProto.AttributeType.INT)
                                .setI(OnnxMl.TensorProto.DataType.FLOAT_VALUE)))
                .addNode(node("Mul", "nothing", List.of("f", "zero"), "g"))
                .addNode(node("Sigmoid", "squash", List.of("x"), "s"))
                .addNode(node("Add", "plus", List.of("s", "g"), "y"))
                .addInput(value("x", 4)).addInput(bool("flag", 4)).addOutput(value("y", 4)).build());
        ParityReport seeded = verify(cast, sigmoid, null, null);
        assertEquals(Verdict.PASS, seeded.verdict(), seeded.summary());
        assertTrue(seeded.warnings().contains("ONNX input 'flag' (bool) is seeded at random, each element true or"
                + " false: its graph implies no value (--input flag=ones or =0 feeds one)"), seeded.warnings()::toString);
        ParityReport given = verify(cast, sigmoid, "flag", InputSource.Literal.parse("ones"));
        assertTrue(given.warnings().stream().noneMatch(w -> w.contains("seeded at random")), given.warnings()::toString);
    }
}
