package org.tensorparity.testing;

import com.google.flatbuffers.FlatBufferBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.lite.schema.BufferT;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.ModelT;
import org.tensorflow.lite.schema.OperatorCodeT;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.SubGraphT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;

/**
 * Small float32 TFLite models written op by op with the flatbuffers object API, for tests that need a converted
 * counterpart of a hand-built ONNX graph. Tensors are named; vectors left empty are left absent, as converters write
 * them (the object API's empty vectors are misread by TFLite).
 */
public final class TinyTflite {
    private final List<TensorT> tensors = new ArrayList<>();
    private final Map<String, Integer> byName = new LinkedHashMap<>();
    private final List<BufferT> buffers = new ArrayList<>(List.of(new BufferT()));
    private final List<OperatorT> operators = new ArrayList<>();
    private final List<Integer> opcodes = new ArrayList<>();
    private final List<String> inputs = new ArrayList<>();

    /** A graph input. */
    public TinyTflite input(String name, int... shape) {
        tensor(name, shape, 0);
        inputs.add(name);
        return this;
    }

    /** A float32 constant. */
    public TinyTflite constant(String name, int[] shape, float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        int[] data = new int[bytes.capacity()];
        for (int i = 0; i < data.length; i++) {
            data[i] = bytes.get(i) & 0xff;
        }
        BufferT buffer = new BufferT();
        buffer.setData(data);
        buffers.add(buffer);
        tensor(name, shape, buffers.size() - 1);
        return this;
    }

    /**
     * An operator of builtin code {@code code} reading {@code in} and writing new tensors {@code out} of {@code shape}
     * each.
     *
     * @param options its builtin options (type, value), or null for the defaults
     */
    public TinyTflite op(int code, List<String> in, List<String> out, int[] shape, BuiltinOptionsUnion options) {
        out.forEach(o -> tensor(o, shape, 0));
        int index = opcodes.indexOf(code);
        if (index < 0) {
            opcodes.add(code);
            index = opcodes.size() - 1;
        }
        OperatorT op = new OperatorT();
        op.setOpcodeIndex(index);
        op.setInputs(in.stream().mapToInt(byName::get).toArray());
        op.setOutputs(out.stream().mapToInt(byName::get).toArray());
        if (options != null) {
            op.setBuiltinOptions(options);
        }
        operators.add(op);
        return this;
    }

    /** Builtin options of type {@code type} (a {@code BuiltinOptions} number). */
    public static BuiltinOptionsUnion options(byte type, Object value) {
        BuiltinOptionsUnion u = new BuiltinOptionsUnion();
        u.setType(type);
        u.setValue(value);
        return u;
    }

    /** Writes the model whose outputs are {@code outputs} to {@code target}. */
    public Path write(Path target, String... outputs) {
        SubGraphT main = new SubGraphT();
        main.setName("main");
        main.setTensors(tensors.toArray(TensorT[]::new));
        main.setInputs(inputs.stream().mapToInt(byName::get).toArray());
        main.setOutputs(List.of(outputs).stream().mapToInt(byName::get).toArray());
        main.setOperators(operators.toArray(OperatorT[]::new));
        ModelT model = new ModelT();
        model.setVersion(3);
        model.setDescription("tensor-parity test model");
        model.setOperatorCodes(opcodes.stream().map(code -> {
            OperatorCodeT c = new OperatorCodeT();
            c.setBuiltinCode(code);
            c.setDeprecatedBuiltinCode((byte) Math.min(code, 127));
            c.setVersion(1);
            return c;
        }).toArray(OperatorCodeT[]::new));
        model.setSubgraphs(new SubGraphT[] {main});
        model.setBuffers(buffers.toArray(BufferT[]::new));
        FlatBufferBuilder builder = new FlatBufferBuilder(4096);
        Model.finishModelBuffer(builder, Model.pack(builder, model));
        try {
            return Files.write(target, builder.sizedByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void tensor(String name, int[] shape, int buffer) {
        TensorT t = new TensorT();
        t.setName(name);
        t.setShape(shape);
        t.setType(TensorType.FLOAT32);
        t.setBuffer(buffer);
        tensors.add(t);
        byName.put(name, tensors.size() - 1);
    }
}
