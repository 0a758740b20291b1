package org.tensorparity.tensor;

/**
 * IEEE 754 binary16 conversions ({@code Float.float16ToFloat} only arrives in Java 20). Every half
 * value is exactly a float, so {@link #fromFloat} of {@link #toFloat} gives back the same bits
 * (NaN payloads aside).
 */
public final class Float16 {
    private Float16() {
    }

    /** The float value of the half with these bits. */
    public static float toFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa x 2^-24, exact in float.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }

    /** The nearest half (ties to even), infinity beyond its range, as numpy's {@code astype(float16)}. */
    public static short fromFloat(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int magnitude = bits & 0x7FFF_FFFF;
        if (magnitude >= 0x7F80_0000) {
            // Infinity stays infinity; NaN stays a (quiet) NaN.
            int nan = magnitude > 0x7F80_0000 ? 0x200 | ((magnitude >>> 13) & 0x3FF) : 0;
            return (short) (sign | 0x7C00 | nan);
        }
        if (magnitude >= 0x477F_F000) {
            // 65520 and above round beyond the largest half, 65504.
            return (short) (sign | 0x7C00);
        }
        if (magnitude < 0x3880_0000) {
            // Below 2^-14, the smallest normal half: count units of 2^-24 (exact scaling, rint ties to even).
            // A result of 1024 is correctly the smallest normal half's bit pattern.
            int units = (int) Math.rint(Float.intBitsToFloat(magnitude) * 0x1p24f);
            return (short) (sign | units);
        }
        int half = (((magnitude >>> 23) - 127 + 15) << 10) | ((magnitude >>> 13) & 0x3FF);
        int dropped = magnitude & 0x1FFF;
        if (dropped > 0x1000 || (dropped == 0x1000 && (half & 1) == 1)) {
            half++; // a carry out of the mantissa correctly bumps the exponent
        }
        return (short) (sign | half);
    }
}
