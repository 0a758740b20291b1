package org.tensorparity.backend.tflite;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteTypeGetName;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteBool;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat16;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteFloat64;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt16;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt32;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt64;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteInt8;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteUInt8;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.tensorflowlite.TfLiteIntArray;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Float16;
import org.tensorparity.tensor.InPlaceValues;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Moves values between heap {@link Tensor}s (always float) and TFLite tensor buffers of any numeric
 * element type, maps TFLite's types and shapes to ours, and copies TFLite's integer lists to Java arrays.
 */
final class TensorCopier {
    private TensorCopier() {
    }

    /** Our element type for a TfLiteType, empty for types a parity run cannot carry (strings, resources...). */
    static Optional<DType> dtype(int tfliteType) {
        DType d = null;
        if (tfliteType == kTfLiteFloat32) {
            d = DType.FLOAT32;
        } else if (tfliteType == kTfLiteFloat16) {
            d = DType.FLOAT16;
        } else if (tfliteType == kTfLiteFloat64) {
            d = DType.FLOAT64;
        } else if (tfliteType == kTfLiteInt8) {
            d = DType.INT8;
        } else if (tfliteType == kTfLiteUInt8) {
            d = DType.UINT8;
        } else if (tfliteType == kTfLiteInt16) {
            d = DType.INT16;
        } else if (tfliteType == kTfLiteInt32) {
            d = DType.INT32;
        } else if (tfliteType == kTfLiteInt64) {
            d = DType.INT64;
        } else if (tfliteType == kTfLiteBool) {
            d = DType.BOOL;
        }
        return Optional.ofNullable(d);
    }

    /** TFLite's own name for a type ({@code STRING}, {@code RESOURCE}), for messages. */
    static String typeName(int tfliteType) {
        BytePointer name = TfLiteTypeGetName(tfliteType);
        return name == null || name.isNull() ? "type " + tfliteType : name.getString();
    }

    /** The dimensions of a TfLiteIntArray; a null array (a scalar never given a shape) is rank 0. */
    static int[] dims(TfLiteIntArray array) {
        if (array == null || array.isNull()) {
            return new int[0];
        }
        int[] dims = new int[array.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = array.data(i);
        }
        return dims;
    }

    /** Copies a bytedeco std::vector&lt;int&gt; and frees the copy; an empty vector arrives as null. */
    static int[] ints(IntPointer vector) {
        if (vector == null || vector.isNull()) {
            return new int[0];
        }
        try (vector) {
            int[] out = new int[(int) (vector.limit() - vector.position())];
            vector.get(out);
            return out;
        }
    }

    /** The tensor's current (static) shape. */
    static Shape shape(TfLiteTensor tensor) {
        return Shape.of(dims(tensor.dims()));
    }

    /**
     * The shape the model declares: {@code shape_signature} where the file has one, so a -1 dimension
     * reads as {@link Shape#DYNAMIC} even though the interpreter stores it as 1.
     */
    static Shape declaredShape(TfLiteTensor tensor) {
        int[] signature = dims(tensor.dims_signature());
        int[] current = dims(tensor.dims());
        if (signature.length == 0 && current.length != 0) {
            return Shape.of(current);
        }
        int[] out = signature.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] < 0) {
                out[i] = Shape.DYNAMIC;
            }
        }
        return Shape.of(out);
    }

    /**
     * Writes {@code values} into the tensor, converting from float to the tensor's type. Integer types
     * truncate toward zero and wrap like a C cast, exactly as the ONNX Runtime runner converts, so both
     * runtimes see the same numbers.
     */
    static void write(TfLiteTensor tensor, DType dtype, float[] values) {
        ByteBuffer buffer = buffer(tensor, dtype, values.length);
        switch (dtype) {
            case FLOAT32 -> buffer.asFloatBuffer().put(values);
            case FLOAT64 -> {
                for (int i = 0; i < values.length; i++) {
                    buffer.putDouble(i * 8, values[i]);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < values.length; i++) {
                    buffer.putShort(i * 2, Float16.fromFloat(values[i]));
                }
            }
            case INT64 -> {
                for (int i = 0; i < values.length; i++) {
                    buffer.putLong(i * 8, (long) values[i]);
                }
            }
            case INT32 -> {
                for (int i = 0; i < values.length; i++) {
                    buffer.putInt(i * 4, (int) values[i]);
                }
            }
            case INT16 -> {
                for (int i = 0; i < values.length; i++) {
                    buffer.putShort(i * 2, (short) (int) values[i]);
                }
            }
            case INT8, UINT8 -> {
                for (int i = 0; i < values.length; i++) {
                    buffer.put(i, (byte) (int) values[i]);
                }
            }
            case BOOL -> {
                for (int i = 0; i < values.length; i++) {
                    buffer.put(i, (byte) (values[i] != 0 ? 1 : 0));
                }
            }
        }
    }

    /** Copies the tensor to the heap as float values. */
    static Tensor read(TfLiteTensor tensor, DType dtype) {
        Shape shape = shape(tensor);
        int n = Math.toIntExact(shape.elementCount());
        float[] values = new float[n];
        ByteBuffer buffer = buffer(tensor, dtype, n);
        switch (dtype) {
            case FLOAT32 -> buffer.asFloatBuffer().get(values);
            case FLOAT64 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = (float) buffer.getDouble(i * 8);
                }
            }
            case FLOAT16 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = Float16.toFloat(buffer.getShort(i * 2));
                }
            }
            case INT64 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = buffer.getLong(i * 8);
                }
            }
            case INT32 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = buffer.getInt(i * 4);
                }
            }
            case INT16 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = buffer.getShort(i * 2);
                }
            }
            case INT8 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = buffer.get(i);
                }
            }
            case UINT8 -> {
                for (int i = 0; i < n; i++) {
                    values[i] = buffer.get(i) & 0xFF;
                }
            }
            case BOOL -> {
                for (int i = 0; i < n; i++) {
                    values[i] = buffer.get(i) != 0 ? 1f : 0f;
                }
            }
        }
        return Tensor.wrap(dtype, shape, values);
    }

    /** A float32 tensor's values read where the interpreter keeps them, while {@code lease} holds. */
    static Tensor readInPlace(TfLiteTensor tensor, InPlaceValues.Lease lease) {
        Shape shape = shape(tensor);
        int n = Math.toIntExact(shape.elementCount());
        return Tensor.inPlace(shape, new InPlaceValues(buffer(tensor, DType.FLOAT32, n).asFloatBuffer(), lease));
    }

    private static ByteBuffer buffer(TfLiteTensor tensor, DType dtype, int elements) {
        long expected = (long) elements * elementBytes(dtype);
        if (tensor.bytes() != expected) {
            throw new IllegalStateException("tensor '" + name(tensor) + "' holds " + tensor.bytes()
                    + " bytes, expected " + expected + " for " + elements + " " + dtype + " values");
        }
        if (expected == 0) {
            return ByteBuffer.allocate(0);
        }
        BytePointer data = tensor.data().raw();
        if (data == null || data.isNull()) {
            throw new IllegalStateException("tensor '" + name(tensor) + "' has no data buffer");
        }
        return data.capacity(expected).limit(expected).asByteBuffer().order(ByteOrder.nativeOrder());
    }

    private static String name(TfLiteTensor tensor) {
        BytePointer name = tensor.name();
        return name == null || name.isNull() ? "" : name.getString();
    }

    static int elementBytes(DType dtype) {
        return switch (dtype) {
            case FLOAT64, INT64 -> 8;
            case FLOAT32, INT32 -> 4;
            case FLOAT16, INT16 -> 2;
            case INT8, UINT8, BOOL -> 1;
        };
    }
}
