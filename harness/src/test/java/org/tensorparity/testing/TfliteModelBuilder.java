package org.tensorparity.testing;

import com.google.flatbuffers.FlatBufferBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.Buffer;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.Operator;
import org.tensorflow.lite.schema.OperatorCode;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SignatureDef;
import org.tensorflow.lite.schema.SignatureDefT;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.Tensor;
import org.tensorflow.lite.schema.TensorMapT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Writes small TFLite models with several subgraphs (IF branches, CALL_ONCE initialisers, one subgraph per signature)
 * from the flatbuffer schema's object API, the way the converters lay them out: buffer 0 the empty sentinel, every
 * activation an empty buffer of its own, constant data aligned to 16 bytes, zero-length vectors left out (the object
 * API's empty vectors are the trap {@code TfliteCut} documents).
 */
public final class TfliteModelBuilder {
    private static final int DATA_ALIGNMENT = 16;
    /** The schema version converters write. */
    private static final int SCHEMA_VERSION = 3;
    /** The largest builtin code the deprecated byte field can hold. */
    private static final int PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

    private final List<Graph> graphs = new ArrayList<>();
    private final Map<Integer, Integer> opcodes = new LinkedHashMap<>();
    private final List<byte[]> buffers = new ArrayList<>();
    private final List<SignatureDefT> signatures = new ArrayList<>();

    public TfliteModelBuilder() {
        buffers.add(null);
    }

    /** A new subgraph, numbered in the order added (the first is the main graph). */
    public Graph subgraph(String name) {
        Graph g = new Graph(graphs.size(), name);
        graphs.add(g);
        return g;
    }

    /**
     * A signature over {@code graph}: {@code inputs} and {@code outputs} map the signature's own names to tensors of
     * that graph, in order (name, tensor, name, tensor, ...).
     */
    public TfliteModelBuilder signature(String key, Graph graph, Object[] inputs, Object[] outputs) {
        SignatureDefT s = new SignatureDefT();
        s.setSignatureKey(key);
        s.setSubgraphIndex(graph.index);
        s.setInputs(maps(inputs));
        s.setOutputs(maps(outputs));
        signatures.add(s);
        return this;
    }

    private static TensorMapT[] maps(Object[] pairs) {
        TensorMapT[] out = new TensorMapT[pairs.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = new TensorMapT();
            out[i].setName((String) pairs[2 * i]);
            out[i].setTensorIndex((Integer) pairs[2 * i + 1]);
        }
        return out;
    }

    /** One subgraph: its tensors and operators, added in order. */
    public final class Graph {
        private final int index;
        private final String name;
        private final List<TensorT> tensors = new ArrayList<>();
        private final List<OperatorT> operators = new ArrayList<>();
        private int[] inputs = new int[0];
        private int[] outputs = new int[0];

        private Graph(int index, String name) {
            this.index = index;
            this.name = name;
        }

        public int index() {
            return index;
        }

        /** An activation tensor. */
        public int tensor(String tensorName, byte type, int... shape) {
            return add(tensorName, type, shape, null);
        }

        /** A float32 constant. */
        public int constant(String tensorName, float[] values, int... shape) {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                b.putFloat(v);
            }
            return add(tensorName, TensorType.FLOAT32, shape, b.array());
        }

        /** An int32 constant. */
        public int intConstant(String tensorName, int[] values, int... shape) {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            for (int v : values) {
                b.putInt(v);
            }
            return add(tensorName, TensorType.INT32, shape, b.array());
        }

        private int add(String tensorName, byte type, int[] shape, byte[] data) {
            TensorT t = new TensorT();
            t.setName(tensorName);
            t.setType(type);
            t.setShape(shape);
            t.setBuffer(buffers.size());
            buffers.add(data);
            tensors.add(t);
            return tensors.size() - 1;
        }

        /** An operator of builtin code {@code code} (a {@code BuiltinOperator} constant), options may be null. */
        public Graph op(int code, BuiltinOptionsUnion options, int[] in, int... out) {
            OperatorT op = new OperatorT();
            op.setOpcodeIndex(opcodes.computeIfAbsent(code, c -> opcodes.size()));
            op.setInputs(in);
            op.setOutputs(out);
            if (options != null) {
                op.setBuiltinOptions(options);
            }
            operators.add(op);
            return this;
        }

        public Graph io(int[] in, int[] out) {
            this.inputs = in;
            this.outputs = out;
            return this;
        }
    }

    /** Options of type {@code type} (a {@code BuiltinOptions} constant) holding {@code value}. */
    public static BuiltinOptionsUnion options(byte type, Object value) {
        BuiltinOptionsUnion u = new BuiltinOptionsUnion();
        u.setType(type);
        u.setValue(value);
        return u;
    }

    public static int[] ints(int... values) {
        return values;
    }

    /** The model's flatbuffer, with the {@code TFL3} identifier. */
    public byte[] bytes() {
        FlatBufferBuilder fbb = new FlatBufferBuilder(4096);
        int[] bufferOffsets = new int[buffers.size()];
        for (int b = 0; b < buffers.size(); b++) {
            byte[] data = buffers.get(b);
            if (data == null) {
                Buffer.startBuffer(fbb);
                bufferOffsets[b] = Buffer.endBuffer(fbb);
            } else {
                fbb.createUnintializedVector(1, data.length, DATA_ALIGNMENT).put(data);
                bufferOffsets[b] = Buffer.createBuffer(fbb, fbb.endVector());
            }
        }
        int[] subgraphOffsets = new int[graphs.size()];
        for (Graph g : graphs) {
            int[] tensors = g.tensors.stream().mapToInt(t -> Tensor.pack(fbb, t)).toArray();
            int[] ops = g.operators.stream().mapToInt(o -> Operator.pack(fbb, o)).toArray();
            subgraphOffsets[g.index] = SubGraph.createSubGraph(fbb, SubGraph.createTensorsVector(fbb, tensors),
                    SubGraph.createInputsVector(fbb, g.inputs), SubGraph.createOutputsVector(fbb, g.outputs),
                    SubGraph.createOperatorsVector(fbb, ops), fbb.createString(g.name));
        }
        int[] codes = new int[opcodes.size()];
        opcodes.forEach((code, i) -> {
            OperatorCodeT c = new OperatorCodeT();
            c.setBuiltinCode(code);
            // TFLite runs max(deprecated_builtin_code, builtin_code): both written, as converters do.
            c.setDeprecatedBuiltinCode((byte) Math.min(code, PLACEHOLDER_FOR_GREATER_OP_CODES));
            c.setVersion(1);
            codes[i] = OperatorCode.pack(fbb, c);
        });
        int[] signatureOffsets = signatures.stream().mapToInt(s -> SignatureDef.pack(fbb, s)).toArray();
        int root = Model.createModel(fbb, SCHEMA_VERSION, Model.createOperatorCodesVector(fbb, codes),
                Model.createSubgraphsVector(fbb, subgraphOffsets), fbb.createString("tensor-parity test model"),
                Model.createBuffersVector(fbb, bufferOffsets), 0, 0,
                signatures.isEmpty() ? 0 : Model.createSignatureDefsVector(fbb, signatureOffsets));
        Model.finishModelBuffer(fbb, root);
        return fbb.sizedByteArray();
    }
}
