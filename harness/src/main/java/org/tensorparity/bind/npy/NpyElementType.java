package org.tensorparity.bind.npy;

import org.tensorparity.tensor.Float16;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;
import org.tensorparity.tensor.DType;

/**
 * The numpy element types an array file may hold, by their {@code descr} code without the byte-order
 * character ({@code f4}, {@code u1}, ...), with the {@link DType} a tensor of them records. Unsigned
 * 16- and 32-bit arrays have no {@link DType} of their own: they become the narrowest signed type that
 * holds every value ({@code u2} -> INT32, {@code u4} -> INT64).
 */
enum NpyElementType {
    F2("f2", DType.FLOAT16),
    F4("f4", DType.FLOAT32),
    F8("f8", DType.FLOAT64),
    I1("i1", DType.INT8),
    I2("i2", DType.INT16),
    I4("i4", DType.INT32),
    I8("i8", DType.INT64),
    U1("u1", DType.UINT8),
    U2("u2", DType.INT32),
    U4("u4", DType.INT64),
    B1("b1", DType.BOOL);

    private final String code;
    private final DType dtype;

    NpyElementType(String code, DType dtype) {
        this.code = code;
        this.dtype = dtype;
    }

    /** The {@code descr} code without byte order, e.g. {@code f4}. */
    String code() {
        return code;
    }

    DType dtype() {
        return dtype;
    }

    /** Bytes per element. */
    int size() {
        return code.charAt(1) - '0';
    }

    /** The type with this code ({@code f4}), if supported. */
    static Optional<NpyElementType> ofCode(String code) {
        return Arrays.stream(values()).filter(t -> t.code.equals(code)).findFirst();
    }

    /** The type a tensor of {@code dtype} is written as: its own, so a saved input reloads with its type. */
    static NpyElementType forDType(DType dtype) {
        return switch (dtype) {
            case FLOAT16 -> F2;
            case FLOAT32 -> F4;
            case FLOAT64 -> F8;
            case INT8 -> I1;
            case INT16 -> I2;
            case INT32 -> I4;
            case INT64 -> I8;
            case UINT8 -> U1;
            case BOOL -> B1;
        };
    }

    /** The supported codes, for error messages: {@code f2, f4, ...}. */
    static String supportedCodes() {
        return Arrays.stream(values()).map(NpyElementType::code).collect(Collectors.joining(", "));
    }

    /** Reads one element at the buffer's position (in the buffer's byte order) as a float. */
    float read(ByteBuffer in) {
        return switch (this) {
            case F2 -> Float16.toFloat(in.getShort());
            case F4 -> in.getFloat();
            case F8 -> (float) in.getDouble();
            case I1 -> in.get();
            case I2 -> in.getShort();
            case I4 -> in.getInt();
            case I8 -> in.getLong();
            case U1 -> in.get() & 0xFF;
            case U2 -> in.getShort() & 0xFFFF;
            case U4 -> in.getInt() & 0xFFFF_FFFFL;
            // numpy reads any non-zero byte as True.
            case B1 -> in.get() != 0 ? 1f : 0f;
        };
    }

    /**
     * Writes {@code value} as one element. Integer types take the value as a whole number (a tensor of an
     * integer type only holds whole numbers in range); BOOL writes 1 for any non-zero value.
     */
    void write(ByteBuffer out, float value) {
        switch (this) {
            case F2 -> out.putShort(Float16.fromFloat(value));
            case F4 -> out.putFloat(value);
            case F8 -> out.putDouble(value);
            case I1, U1 -> out.put((byte) (long) value);
            case I2 -> out.putShort((short) (long) value);
            case I4 -> out.putInt((int) (long) value);
            case I8 -> out.putLong((long) value);
            case B1 -> out.put(value != 0 ? (byte) 1 : (byte) 0);
            // forDType never picks these: their tensors are INT32/INT64 and written as such.
            case U2, U4 -> throw new IllegalStateException("tensors are never written as " + code);
        }
    }
}
