package org.tensorparity.testing;

import static org.tensorparity.testing.TfliteModelBuilder.ints;
import static org.tensorparity.testing.TfliteModelBuilder.options;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.CallOnceOptionsT;
import org.tensorflow.lite.schema.IfOptionsT;
import org.tensorflow.lite.schema.ReducerOptionsT;
import org.tensorflow.lite.schema.TensorType;
import org.tensorflow.lite.schema.VarHandleOptionsT;

/**
 * Small model pairs whose TFLite side holds several subgraphs, as converters write them: an {@code IF} choosing
 * between two branch subgraphs, a {@code CALL_ONCE} initialising a resource variable, two signatures over two
 * subgraphs. Each ONNX side computes the same function; a TFLite constant can be changed to make a mutant whose broken
 * layer is known.
 */
public final class ControlFlowPairs {
    /** The then branch's weights and bias (x * W + B), and the else branch's (x * W2 + B2). */
    public static final float[] THEN_W = {1.5f, -2f, 0.5f, 3f};
    public static final float[] THEN_B = {0.1f, 0.2f, 0.3f, 0.4f};
    public static final float[] ELSE_W = {-1f, 2f, -3f, 0.25f};
    public static final float[] ELSE_B = {0.5f, -0.5f, 1f, -1f};
    /** The value a CALL_ONCE initialiser assigns to the variable the main graph adds to its input. */
    public static final float[] BIAS = {0.25f, -0.75f, 2f, 1f};
    public static final float[] ENCODE_W = {2f, -1f, 0.5f, 4f};
    public static final float[] DECODE_W = {0.5f, 3f, -2f, 1f};
    public static final float[] DECODE_B = {1f, 2f, -1f, 0f};

    private ControlFlowPairs() {
    }

    /** Where a pair was written. */
    public record Pair(Path onnx, Path tflite) {
    }

    /**
     * y = If(sum(x) > 0, x * THEN_W + THEN_B, x * ELSE_W + ELSE_B) + x, x [1,4]. The TFLite IF's branches are
     * subgraphs 1 (then) and 2 (else); {@code thenW} and {@code elseW} are the TFLite branches' weights (pass
     * {@link #THEN_W} and {@link #ELSE_W} for the correct pair).
     */
    public static Pair ifPair(Path dir, String name, float[] thenW, float[] elseW) throws IOException {
        TfliteModelBuilder b = new TfliteModelBuilder();
        TfliteModelBuilder.Graph main = b.subgraph("main");
        TfliteModelBuilder.Graph then = b.subgraph("then");
        TfliteModelBuilder.Graph otherwise = b.subgraph("else");
        int x = main.tensor("serving_default_x:0", TensorType.FLOAT32, 1, 4);
        int axes = main.intConstant("axes", new int[] {0, 1}, 2);
        int sum = main.tensor("sum", TensorType.FLOAT32);
        int zero = main.constant("zero", new float[] {0f});
        int cond = main.tensor("cond", TensorType.BOOL);
        int z = main.tensor("branch", TensorType.FLOAT32, 1, 4);
        int y = main.tensor("StatefulPartitionedCall:0", TensorType.FLOAT32, 1, 4);
        ReducerOptionsT keep = new ReducerOptionsT();
        keep.setKeepDims(false);
        IfOptionsT branches = new IfOptionsT();
        branches.setThenSubgraphIndex(then.index());
        branches.setElseSubgraphIndex(otherwise.index());
        main.op(BuiltinOperator.SUM, options(BuiltinOptions.ReducerOptions, keep), ints(x, axes), sum)
                .op(BuiltinOperator.GREATER, null, ints(sum, zero), cond)
                .op(BuiltinOperator.IF, options(BuiltinOptions.IfOptions, branches), ints(cond, x), z)
                .op(BuiltinOperator.ADD, null, ints(z, x), y)
                .io(ints(x), ints(y));
        branch(then, "then", thenW, THEN_B);
        branch(otherwise, "else", elseW, ELSE_B);

        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName(name)
                .addInput(OnnxValueInfos.value("x", 1, 4)).addOutput(OnnxValueInfos.value("y", 1, 4))
                .addInitializer(ints64("axes", 0, 1)).addInitializer(floats("zero", new float[] {0f}))
                .addInitializer(floats("then_w", THEN_W, 1, 4)).addInitializer(floats("then_b", THEN_B, 1, 4))
                .addInitializer(floats("else_w", ELSE_W, 1, 4)).addInitializer(floats("else_b", ELSE_B, 1, 4))
                .addNode(node("ReduceSum", "sum", "x", "axes").addAttribute(OnnxMl.AttributeProto.newBuilder()
                        .setName("keepdims").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(0)))
                .addNode(node("Greater", "cond", "sum", "zero"))
                .addNode(node("If", "branch", "cond")
                        .addAttribute(graphAttribute("then_branch", onnxBranch("then")))
                        .addAttribute(graphAttribute("else_branch", onnxBranch("else"))))
                .addNode(node("Add", "y", "branch", "x"));
        return write(dir, name, g, b);
    }

    /** The inner then branch's bias (m + INNER_B) and the inner else branch's (m + INNER_C) of {@link #nestedIfPair}. */
    public static final float[] INNER_B = {1f, 1f, -1f, 0.5f};
    public static final float[] INNER_C = {-2f, 0.25f, 0.75f, 1f};

    /**
     * {@link #ifPair} with an IF nested in the then branch: m = x * THEN_W, then If(sum(m) > 0, m + INNER_B, m +
     * INNER_C) in place of m + THEN_B. TFLite subgraphs: 1 outer then, 2 outer else, 3 inner then, 4 inner else;
     * {@code innerB} is the TFLite inner then branch's bias.
     */
    public static Pair nestedIfPair(Path dir, String name, float[] innerB) throws IOException {
        TfliteModelBuilder b = new TfliteModelBuilder();
        TfliteModelBuilder.Graph main = b.subgraph("main");
        TfliteModelBuilder.Graph then = b.subgraph("then");
        TfliteModelBuilder.Graph otherwise = b.subgraph("else");
        TfliteModelBuilder.Graph innerThen = b.subgraph("inner_then");
        TfliteModelBuilder.Graph innerElse = b.subgraph("inner_else");
        int x = main.tensor("serving_default_x:0", TensorType.FLOAT32, 1, 4);
        int z = conditional(main, "", x, then, otherwise);
        int y = main.tensor("StatefulPartitionedCall:0", TensorType.FLOAT32, 1, 4);
        main.op(BuiltinOperator.ADD, null, ints(z, x), y).io(ints(x), ints(y));

        int a = then.tensor("then/x", TensorType.FLOAT32, 1, 4);
        int w = then.constant("then/w", THEN_W, 1, 4);
        int m = then.tensor("then/mul", TensorType.FLOAT32, 1, 4);
        then.op(BuiltinOperator.MUL, null, ints(a, w), m);
        int inner = conditional(then, "then/", m, innerThen, innerElse);
        then.io(ints(a), ints(inner));
        branch(otherwise, "else", ELSE_W, ELSE_B);
        addition(innerThen, "inner_then", innerB);
        addition(innerElse, "inner_else", INNER_C);

        OnnxMl.GraphProto then_ = OnnxMl.GraphProto.newBuilder().setName("then_branch")
                .addNode(node("Mul", "then_mul", "x", "then_w"))
                .addNode(node("ReduceSum", "then_sum", "then_mul", "axes").addAttribute(keepdims0()))
                .addNode(node("Greater", "then_cond", "then_sum", "zero"))
                .addNode(node("If", "then_out", "then_cond")
                        .addAttribute(graphAttribute("then_branch", OnnxMl.GraphProto.newBuilder().setName("inner_then")
                                .addNode(node("Add", "inner_then_add", "then_mul", "inner_b"))
                                .addOutput(OnnxValueInfos.value("inner_then_add", 1, 4)).build()))
                        .addAttribute(graphAttribute("else_branch", OnnxMl.GraphProto.newBuilder().setName("inner_else")
                                .addNode(node("Add", "inner_else_add", "then_mul", "inner_c"))
                                .addOutput(OnnxValueInfos.value("inner_else_add", 1, 4)).build())))
                .addOutput(OnnxValueInfos.value("then_out", 1, 4)).build();
        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName(name)
                .addInput(OnnxValueInfos.value("x", 1, 4)).addOutput(OnnxValueInfos.value("y", 1, 4))
                .addInitializer(ints64("axes", 0, 1)).addInitializer(floats("zero", new float[] {0f}))
                .addInitializer(floats("then_w", THEN_W, 1, 4)).addInitializer(floats("inner_b", INNER_B, 1, 4))
                .addInitializer(floats("inner_c", INNER_C, 1, 4))
                .addInitializer(floats("else_w", ELSE_W, 1, 4)).addInitializer(floats("else_b", ELSE_B, 1, 4))
                .addNode(node("ReduceSum", "sum", "x", "axes").addAttribute(keepdims0()))
                .addNode(node("Greater", "cond", "sum", "zero"))
                .addNode(node("If", "branch", "cond").addAttribute(graphAttribute("then_branch", then_))
                        .addAttribute(graphAttribute("else_branch", onnxBranch("else"))))
                .addNode(node("Add", "y", "branch", "x"));
        return write(dir, name, g, b);
    }

    /**
     * {@link #ifPair}'s function as the second of two signatures: subgraph 0 is signature {@code encode} (x *
     * ENCODE_W), subgraphs 1 and 2 the IF's branches, subgraph 3 signature {@code decode} (the IF pair's main graph).
     * Choosing {@code decode} swaps subgraphs 0 and 3 while the IF's branch indices stay.
     */
    public static Pair ifInSecondSignature(Path dir, String name) throws IOException {
        Pair pair = ifPair(dir, name, THEN_W, ELSE_W);
        TfliteModelBuilder b = new TfliteModelBuilder();
        TfliteModelBuilder.Graph encode = b.subgraph("encode");
        TfliteModelBuilder.Graph then = b.subgraph("then");
        TfliteModelBuilder.Graph otherwise = b.subgraph("else");
        TfliteModelBuilder.Graph decode = b.subgraph("decode");
        int ex = encode.tensor("encode_x:0", TensorType.FLOAT32, 1, 4);
        int w = encode.constant("encode/w", ENCODE_W, 1, 4);
        int code = encode.tensor("StatefulPartitionedCall:0", TensorType.FLOAT32, 1, 4);
        encode.op(BuiltinOperator.MUL, null, ints(ex, w), code).io(ints(ex), ints(code));
        int x = decode.tensor("decode_x:0", TensorType.FLOAT32, 1, 4);
        int z = conditional(decode, "", x, then, otherwise);
        int y = decode.tensor("StatefulPartitionedCall_1:0", TensorType.FLOAT32, 1, 4);
        decode.op(BuiltinOperator.ADD, null, ints(z, x), y).io(ints(x), ints(y));
        branch(then, "then", THEN_W, THEN_B);
        branch(otherwise, "else", ELSE_W, ELSE_B);
        b.signature("encode", encode, new Object[] {"x", ex}, new Object[] {"code", code});
        b.signature("decode", decode, new Object[] {"x", x}, new Object[] {"y", y});
        Files.write(pair.tflite(), b.bytes());
        return pair;
    }

    /** IF(sum(in) > 0, then(in), otherwise(in)) in {@code g}: its output. */
    private static int conditional(TfliteModelBuilder.Graph g, String prefix, int in, TfliteModelBuilder.Graph then,
            TfliteModelBuilder.Graph otherwise) {
        int axes = g.intConstant(prefix + "axes", new int[] {0, 1}, 2);
        int sum = g.tensor(prefix + "sum", TensorType.FLOAT32);
        int zero = g.constant(prefix + "zero", new float[] {0f});
        int cond = g.tensor(prefix + "cond", TensorType.BOOL);
        int out = g.tensor(prefix + "branch", TensorType.FLOAT32, 1, 4);
        ReducerOptionsT keep = new ReducerOptionsT();
        keep.setKeepDims(false);
        IfOptionsT branches = new IfOptionsT();
        branches.setThenSubgraphIndex(then.index());
        branches.setElseSubgraphIndex(otherwise.index());
        g.op(BuiltinOperator.SUM, options(BuiltinOptions.ReducerOptions, keep), ints(in, axes), sum)
                .op(BuiltinOperator.GREATER, null, ints(sum, zero), cond)
                .op(BuiltinOperator.IF, options(BuiltinOptions.IfOptions, branches), ints(cond, in), out);
        return out;
    }

    private static void addition(TfliteModelBuilder.Graph g, String prefix, float[] bias) {
        int a = g.tensor(prefix + "/x", TensorType.FLOAT32, 1, 4);
        int bt = g.constant(prefix + "/b", bias, 1, 4);
        int out = g.tensor(prefix + "/add", TensorType.FLOAT32, 1, 4);
        g.op(BuiltinOperator.ADD, null, ints(a, bt), out).io(ints(a), ints(out));
    }

    private static OnnxMl.AttributeProto keepdims0() {
        return OnnxMl.AttributeProto.newBuilder().setName("keepdims").setType(OnnxMl.AttributeProto.AttributeType.INT)
                .setI(0).build();
    }

    private static void branch(TfliteModelBuilder.Graph g, String prefix, float[] w, float[] bias) {
        int a = g.tensor(prefix + "/x", TensorType.FLOAT32, 1, 4);
        int wt = g.constant(prefix + "/w", w, 1, 4);
        int m = g.tensor(prefix + "/mul", TensorType.FLOAT32, 1, 4);
        int bt = g.constant(prefix + "/b", bias, 1, 4);
        int out = g.tensor(prefix + "/add", TensorType.FLOAT32, 1, 4);
        g.op(BuiltinOperator.MUL, null, ints(a, wt), m).op(BuiltinOperator.ADD, null, ints(m, bt), out)
                .io(ints(a), ints(out));
    }

    private static OnnxMl.GraphProto onnxBranch(String prefix) {
        return OnnxMl.GraphProto.newBuilder().setName(prefix + "_branch")
                .addNode(node("Mul", prefix + "_mul", "x", prefix + "_w"))
                .addNode(node("Add", prefix + "_add", prefix + "_mul", prefix + "_b"))
                .addOutput(OnnxValueInfos.value(prefix + "_add", 1, 4)).build();
    }

    /**
     * y = x + BIAS, x [1,4]. The TFLite model reads BIAS from a resource variable that a CALL_ONCE initialiser
     * (subgraph 1) assigns, as Keras stateful models convert; {@code bias} is the value it assigns.
     */
    public static Pair callOncePair(Path dir, String name, float[] bias) throws IOException {
        TfliteModelBuilder b = new TfliteModelBuilder();
        TfliteModelBuilder.Graph main = b.subgraph("main");
        TfliteModelBuilder.Graph init = b.subgraph("init");
        int x = main.tensor("serving_default_x:0", TensorType.FLOAT32, 1, 4);
        int handle = main.tensor("bias_handle", TensorType.RESOURCE);
        int value = main.tensor("bias_value", TensorType.FLOAT32, 1, 4);
        int y = main.tensor("StatefulPartitionedCall:0", TensorType.FLOAT32, 1, 4);
        CallOnceOptionsT once = new CallOnceOptionsT();
        once.setInitSubgraphIndex(init.index());
        main.op(BuiltinOperator.CALL_ONCE, options(BuiltinOptions.CallOnceOptions, once), ints())
                .op(BuiltinOperator.VAR_HANDLE, options(BuiltinOptions.VarHandleOptions, variable()), ints(), handle)
                .op(BuiltinOperator.READ_VARIABLE, null, ints(handle), value)
                .op(BuiltinOperator.ADD, null, ints(x, value), y)
                .io(ints(x), ints(y));
        int initHandle = init.tensor("init/bias_handle", TensorType.RESOURCE);
        int initValue = init.constant("init/bias", bias, 1, 4);
        init.op(BuiltinOperator.VAR_HANDLE, options(BuiltinOptions.VarHandleOptions, variable()), ints(), initHandle)
                .op(BuiltinOperator.ASSIGN_VARIABLE, null, ints(initHandle, initValue));

        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName(name)
                .addInput(OnnxValueInfos.value("x", 1, 4)).addOutput(OnnxValueInfos.value("y", 1, 4))
                .addInitializer(floats("bias", BIAS, 1, 4)).addNode(node("Add", "y", "x", "bias"));
        return write(dir, name, g, b);
    }

    /**
     * y = x + v, then v = y: a TFLite model whose main graph assigns the variable it reads (a running sum, how stateful
     * RNNs convert their state), initialised by CALL_ONCE to {@code initial}; against ONNX y = x + BIAS, the first
     * run's function. Each TFLite run starts from the state the previous one left.
     */
    public static Pair statefulPair(Path dir, String name, float[] initial) throws IOException {
        TfliteModelBuilder b = new TfliteModelBuilder();
        TfliteModelBuilder.Graph main = b.subgraph("main");
        TfliteModelBuilder.Graph init = b.subgraph("init");
        int x = main.tensor("serving_default_x:0", TensorType.FLOAT32, 1, 4);
        int handle = main.tensor("bias_handle", TensorType.RESOURCE);
        int value = main.tensor("bias_value", TensorType.FLOAT32, 1, 4);
        int y = main.tensor("StatefulPartitionedCall:0", TensorType.FLOAT32, 1, 4);
        CallOnceOptionsT once = new CallOnceOptionsT();
        once.setInitSubgraphIndex(init.index());
        main.op(BuiltinOperator.CALL_ONCE, options(BuiltinOptions.CallOnceOptions, once), ints())
                .op(BuiltinOperator.VAR_HANDLE, options(BuiltinOptions.VarHandleOptions, variable()), ints(), handle)
                .op(BuiltinOperator.READ_VARIABLE, null, ints(handle), value)
                .op(BuiltinOperator.ADD, null, ints(x, value), y)
                .op(BuiltinOperator.ASSIGN_VARIABLE, null, ints(handle, y))
                .io(ints(x), ints(y));
        int initHandle = init.tensor("init/bias_handle", TensorType.RESOURCE);
        int initValue = init.constant("init/bias", initial, 1, 4);
        init.op(BuiltinOperator.VAR_HANDLE, options(BuiltinOptions.VarHandleOptions, variable()), ints(), initHandle)
                .op(BuiltinOperator.ASSIGN_VARIABLE, null, ints(initHandle, initValue));

        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName(name)
                .addInput(OnnxValueInfos.value("x", 1, 4)).addOutput(OnnxValueInfos.value("y", 1, 4))
                .addInitializer(floats("bias", BIAS, 1, 4)).addNode(node("Add", "y", "x", "bias"));
        return write(dir, name, g, b);
    }

    private static VarHandleOptionsT variable() {
        VarHandleOptionsT v = new VarHandleOptionsT();
        v.setContainer("");
        v.setSharedName("bias");
        return v;
    }

    /**
     * A TFLite model with two signatures over two subgraphs, as a multi-function SavedModel converts: {@code first}
     * (subgraph 0: code = x * ENCODE_W) and {@code second} (subgraph 1: y = code * DECODE_W + DECODE_B, with
     * {@code decodeB} the TFLite bias); its input tensors are named {@code <key>_<name>:0}. The ONNX model is the
     * second signature's function: input {@code code}, output {@code y}.
     */
    public static Pair signaturePair(Path dir, String name, String first, String second, float[] decodeB)
            throws IOException {
        TfliteModelBuilder b = new TfliteModelBuilder();
        TfliteModelBuilder.Graph encode = b.subgraph(first);
        TfliteModelBuilder.Graph decode = b.subgraph(second);
        int x = encode.tensor(first + "_x:0", TensorType.FLOAT32, 1, 4);
        int w = encode.constant("encode/w", ENCODE_W, 1, 4);
        int code = encode.tensor("StatefulPartitionedCall:0", TensorType.FLOAT32, 1, 4);
        encode.op(BuiltinOperator.MUL, null, ints(x, w), code).io(ints(x), ints(code));
        int in = decode.tensor(second + "_code:0", TensorType.FLOAT32, 1, 4);
        int dw = decode.constant("decode/w", DECODE_W, 1, 4);
        int m = decode.tensor("decode/mul", TensorType.FLOAT32, 1, 4);
        int db = decode.constant("decode/b", decodeB, 1, 4);
        int y = decode.tensor("StatefulPartitionedCall_1:0", TensorType.FLOAT32, 1, 4);
        decode.op(BuiltinOperator.MUL, null, ints(in, dw), m).op(BuiltinOperator.ADD, null, ints(m, db), y)
                .io(ints(in), ints(y));
        b.signature(first, encode, new Object[] {"x", x}, new Object[] {"code", code});
        b.signature(second, decode, new Object[] {"code", in}, new Object[] {"y", y});

        OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName(name)
                .addInput(OnnxValueInfos.value("code", 1, 4)).addOutput(OnnxValueInfos.value("y", 1, 4))
                .addInitializer(floats("decode_w", DECODE_W, 1, 4)).addInitializer(floats("decode_b", DECODE_B, 1, 4))
                .addNode(node("Mul", "decode_mul", "code", "decode_w")).addNode(node("Add", "y", "decode_mul", "decode_b"));
        return write(dir, name, g, b);
    }

    private static Pair write(Path dir, String name, OnnxMl.GraphProto.Builder graph, TfliteModelBuilder tflite)
            throws IOException {
        Path onnx = dir.resolve(name + ".onnx");
        Path tfl = dir.resolve(name + ".tflite");
        Files.write(onnx, OnnxMl.ModelProto.newBuilder().setIrVersion(8)
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setVersion(13)).setGraph(graph).build()
                .toByteArray());
        Files.write(tfl, tflite.bytes());
        return new Pair(onnx, tfl);
    }

    private static OnnxMl.NodeProto.Builder node(String op, String output, String... inputs) {
        OnnxMl.NodeProto.Builder n = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output + "_node")
                .addOutput(output);
        for (String i : inputs) {
            n.addInput(i);
        }
        return n;
    }

    private static OnnxMl.AttributeProto graphAttribute(String name, OnnxMl.GraphProto graph) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.GRAPH)
                .setG(graph).build();
    }

    private static OnnxMl.TensorProto floats(String name, float[] values, long... shape) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE);
        for (long d : shape) {
            t.addDims(d);
        }
        for (float v : values) {
            t.addFloatData(v);
        }
        return t.build();
    }

    private static OnnxMl.TensorProto ints64(String name, long... values) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name)
                .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addDims(values.length);
        for (long v : values) {
            t.addInt64Data(v);
        }
        return t.build();
    }
}
