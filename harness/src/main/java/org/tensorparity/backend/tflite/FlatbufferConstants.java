package org.tensorparity.backend.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.tensorflow.lite.schema.Model;
import org.tensorflow.lite.schema.SubGraph;
import org.tensorflow.lite.schema.TensorType;
import org.tensorparity.ModelFailureException;
import org.tensorparity.model.ModelFile;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Float16;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * The constant tensors (weights, biases) of a {@code .tflite} file's main subgraph, read from its flatbuffer in
 * Java: no interpreter is needed, so a diagnosis can read the converted model's weights after its runner closed.
 * Names are the runner's ({@link TensorNames}); a quantized constant comes back as its real values.
 */
public final class FlatbufferConstants {
    private FlatbufferConstants() {
    }

    /**
     * The constants among {@code names} that the file stores as float32, float16, float64 or quantized integers;
     * other names (activations, constants of other types) are left out.
     *
     * @throws ModelFailureException when the file's tables are damaged
     */
    public static Map<String, Tensor> read(ModelFile file, Set<String> names) throws ModelFailureException {
        try {
            return readHere(file.bytes(), names);
        } catch (IndexOutOfBoundsException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw new ModelFailureException("TFLite model " + file.ref().path() + ": cannot read its constants: "
                    + e.getMessage(), e);
        }
    }

    private static Map<String, Tensor> readHere(ByteBuffer bytes, Set<String> wanted) {
        Model model = Model.getRootAsModel(bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN));
        Map<String, Tensor> out = new LinkedHashMap<>();
        if (model.subgraphsLength() == 0) {
            return out;
        }
        SubGraph graph = model.subgraphs(0);
        FlatbufferFacts facts = null;
        Set<String> used = new HashSet<>();
        for (int i = 0; i < graph.tensorsLength(); i++) {
            org.tensorflow.lite.schema.Tensor t = graph.tensors(i);
            String name = t.name() == null || t.name().isEmpty() ? "tensor_" + i : t.name();
            if (!used.add(name)) {
                name = name + "#" + i;
                used.add(name);
            }
            if (!wanted.contains(name)) {
                continue;
            }
            var buffer = model.buffers((int) t.buffer());
            ByteBuffer data = buffer == null ? null : buffer.dataAsByteBuffer();
            if (data == null || !data.hasRemaining()) {
                continue;
            }
            data = data.order(ByteOrder.LITTLE_ENDIAN);
            int[] dims = new int[t.shapeLength()];
            for (int k = 0; k < dims.length; k++) {
                dims[k] = t.shape(k);
            }
            Shape shape = Shape.of(dims);
            float[] values = values(t.type(), data, (int) shape.elementCount());
            if (values == null) {
                continue;
            }
            if (t.type() == TensorType.INT8 || t.type() == TensorType.UINT8 || t.type() == TensorType.INT16) {
                if (facts == null) {
                    facts = FlatbufferFacts.of(bytes);
                }
                Quantization q = facts.quantization(i);
                if (q != null) {
                    out.put(name, Tensor.fromCodes(shape, values, q));
                }
            } else {
                out.put(name, Tensor.wrap(DType.FLOAT32, shape, values));
            }
        }
        return out;
    }

    /** The stored values as floats, or null for a type weights are not stored in (or a size that does not fit). */
    private static float[] values(byte type, ByteBuffer data, int count) {
        int width = switch (type) {
            case TensorType.FLOAT32 -> 4;
            case TensorType.FLOAT16, TensorType.INT16 -> 2;
            case TensorType.FLOAT64 -> 8;
            case TensorType.INT8, TensorType.UINT8 -> 1;
            default -> 0;
        };
        if (width == 0 || data.remaining() != (long) count * width) {
            return null;
        }
        float[] v = new float[count];
        int base = data.position();
        for (int i = 0; i < count; i++) {
            int at = base + i * width;
            v[i] = switch (type) {
                case TensorType.FLOAT32 -> data.getFloat(at);
                case TensorType.FLOAT16 -> Float16.toFloat(data.getShort(at));
                case TensorType.FLOAT64 -> (float) data.getDouble(at);
                case TensorType.INT16 -> data.getShort(at);
                case TensorType.INT8 -> data.get(at);
                default -> data.get(at) & 0xff;
            };
        }
        return v;
    }
}
