package org.tensorparity.testing;

import com.google.flatbuffers.FlatBufferBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;
import org.tensorflow.lite.schema.WhileOptionsT;

/**
 * Small TFLite files with {@code WHILE} loops, written by the flatbuffers object API: input {@code x} float [1,2],
 * output {@code y}, doubled once per iteration of the (innermost) body.
 */
public final class TfliteLoops {
    private static final int[] OPS = {BuiltinOperator.WHILE, BuiltinOperator.LESS, BuiltinOperator.ADD};
    private static final int WHILE = 0;
    private static final int LESS = 1;
    private static final int ADD = 2;

    private TfliteLoops() {
    }

    /**
     * count, y = WHILE(i < limit) { i + 1, x + x } over x [1,2] from i = 0: cond is subgraph 1, body subgraph 2. A
     * TFLite operator is named by its first output.
     */
    public static byte[] loop(int limit) {
        Builder b = new Builder();
        b.mainLoop();
        b.cond(limit, "");
        b.body("");
        return b.bytes();
    }

    /**
     * y = WHILE(i < 3) { i + 1, WHILE(j < inner) { j + 1, x + x } } over x [1,2]: the outer loop's cond and body are
     * subgraphs 1 and 2, the inner loop's 3 and 4.
     */
    public static byte[] nested(int inner) {
        Builder b = new Builder();
        b.mainLoop();
        b.cond(3, "outer_");
        SubGraphT body = b.subgraph("outer_body");
        int i = b.tensor(body, "outer_i", TensorType.INT32, null);
        int v = b.tensor(body, "outer_v", TensorType.FLOAT32, null);
        int one = b.tensor(body, "outer_one", TensorType.INT32, 1);
        int next = b.tensor(body, "outer_next", TensorType.INT32, null);
        int innerStart = b.tensor(body, "inner_start", TensorType.INT32, 0);
        int innerCount = b.tensor(body, "inner_count", TensorType.INT32, null);
        int doubled = b.tensor(body, "inner_x", TensorType.FLOAT32, null);
        b.op(body, ADD, new int[] {i, one}, new int[] {next});
        b.whileOp(body, new int[] {innerStart, v}, new int[] {innerCount, doubled}, 3, 4);
        body.setInputs(new int[] {i, v});
        body.setOutputs(new int[] {next, doubled});
        b.cond(inner, "inner_");
        b.body("inner_");
        return b.bytes();
    }

    /** Writes a model by the object API: buffer 0 empty, each tensor a buffer of its own. */
    private static final class Builder {
        /** The main graph both files share: count, y = WHILE(start = 0, x), cond subgraph 1, body subgraph 2. */
        void mainLoop() {
            SubGraphT main = subgraph("main");
            int x = tensor(main, "x", TensorType.FLOAT32, null);
            int start = tensor(main, "start", TensorType.INT32, 0);
            int count = tensor(main, "count", TensorType.INT32, null);
            int y = tensor(main, "y", TensorType.FLOAT32, null);
            whileOp(main, new int[] {start, x}, new int[] {count, y}, 1, 2);
            main.setInputs(new int[] {x});
            main.setOutputs(new int[] {y});
        }

        private final List<SubGraphT> subgraphs = new ArrayList<>();
        private final List<BufferT> buffers = new ArrayList<>(List.of(new BufferT()));
        private final Map<SubGraphT, List<TensorT>> tensors = new HashMap<>();
        private final Map<SubGraphT, List<OperatorT>> operators = new HashMap<>();

        SubGraphT subgraph(String name) {
            SubGraphT s = new SubGraphT();
            s.setName(name);
            subgraphs.add(s);
            tensors.put(s, new ArrayList<>());
            operators.put(s, new ArrayList<>());
            return s;
        }

        /** A scalar int32 (a constant when {@code value} is given) or a float [1,2]. */
        int tensor(SubGraphT s, String name, byte type, Integer value) {
            TensorT t = new TensorT();
            t.setName(name);
            t.setType(type);
            t.setShape(type == TensorType.FLOAT32 ? new int[] {1, 2} : new int[0]);
            BufferT buffer = new BufferT();
            if (value != null) {
                int v = value;
                buffer.setData(new int[] {v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24});
            }
            buffers.add(buffer);
            t.setBuffer(buffers.size() - 1);
            tensors.get(s).add(t);
            return tensors.get(s).size() - 1;
        }

        void op(SubGraphT s, int opcode, int[] inputs, int[] outputs) {
            OperatorT op = new OperatorT();
            op.setOpcodeIndex(opcode);
            op.setInputs(inputs);
            op.setOutputs(outputs);
            operators.get(s).add(op);
        }

        void whileOp(SubGraphT s, int[] inputs, int[] outputs, int cond, int body) {
            op(s, WHILE, inputs, outputs);
            WhileOptionsT options = new WhileOptionsT();
            options.setCondSubgraphIndex(cond);
            options.setBodySubgraphIndex(body);
            BuiltinOptionsUnion union = new BuiltinOptionsUnion();
            union.setType(BuiltinOptions.WhileOptions);
            union.setValue(options);
            List<OperatorT> ops = operators.get(s);
            ops.get(ops.size() - 1).setBuiltinOptions(union);
        }

        /** The condition i < limit over (i, x). */
        void cond(int limit, String prefix) {
            SubGraphT cond = subgraph(prefix + "cond");
            int i = tensor(cond, prefix + "cond_i", TensorType.INT32, null);
            int x = tensor(cond, prefix + "cond_x", TensorType.FLOAT32, null);
            int bound = tensor(cond, prefix + "limit", TensorType.INT32, limit);
            TensorT go = new TensorT();
            go.setName(prefix + "go");
            go.setType(TensorType.BOOL);
            go.setShape(new int[0]);
            buffers.add(new BufferT());
            go.setBuffer(buffers.size() - 1);
            tensors.get(cond).add(go);
            op(cond, LESS, new int[] {i, bound}, new int[] {tensors.get(cond).size() - 1});
            cond.setInputs(new int[] {i, x});
            cond.setOutputs(new int[] {tensors.get(cond).size() - 1});
        }

        /** The body (i, x) -> (i + 1, x + x). */
        void body(String prefix) {
            SubGraphT body = subgraph(prefix + "body");
            int i = tensor(body, prefix + "i", TensorType.INT32, null);
            int x = tensor(body, prefix + "x_in", TensorType.FLOAT32, null);
            int one = tensor(body, prefix + "one", TensorType.INT32, 1);
            int next = tensor(body, prefix + "next", TensorType.INT32, null);
            int doubled = tensor(body, prefix + "doubled", TensorType.FLOAT32, null);
            op(body, ADD, new int[] {i, one}, new int[] {next});
            op(body, ADD, new int[] {x, x}, new int[] {doubled});
            body.setInputs(new int[] {i, x});
            body.setOutputs(new int[] {next, doubled});
        }

        byte[] bytes() {
            ModelT model = new ModelT();
            model.setVersion(3);
            OperatorCodeT[] codes = new OperatorCodeT[OPS.length];
            for (int k = 0; k < codes.length; k++) {
                codes[k] = new OperatorCodeT();
                codes[k].setBuiltinCode(OPS[k]);
                codes[k].setDeprecatedBuiltinCode((byte) Math.min(OPS[k], 127));
                codes[k].setVersion(1);
            }
            model.setOperatorCodes(codes);
            for (SubGraphT s : subgraphs) {
                s.setTensors(tensors.get(s).toArray(TensorT[]::new));
                s.setOperators(operators.get(s).toArray(OperatorT[]::new));
            }
            model.setSubgraphs(subgraphs.toArray(SubGraphT[]::new));
            model.setBuffers(buffers.toArray(BufferT[]::new));
            FlatBufferBuilder builder = new FlatBufferBuilder(4096);
            Model.finishModelBuffer(builder, Model.pack(builder, model));
            return builder.sizedByteArray();
        }
    }

}
