package org.tensorparity.tensor;

import java.util.Arrays;

/**
 * Affine quantization of a tensor: {@code real = scale * (code - zeroPoint)}, with one scale and zero point
 * for the whole tensor, or one per slice along {@code axis} (per-channel weights).
 *
 * <p>Instances are validated on construction: scales are finite and positive, the zero points are as
 * many as the scales, and a per-channel axis exists. The model file is untrusted: a zero scale would
 * divide by zero and a short scale vector would read past its end.
 */
public final class Quantization {
    private final DType storage;
    private final float[] scales;
    private final int[] zeroPoints;
    private final int axis;

    /**
     * @param storage the integer type the codes are stored in ({@code INT8}, {@code UINT8}, {@code INT16}, {@code INT32})
     * @param axis the quantized dimension when there are several scales; ignored for one
     * @throws IllegalArgumentException naming what is wrong
     */
    public Quantization(DType storage, float[] scales, int[] zeroPoints, int axis) {
        if (storage.isFloatingPoint() || storage == DType.BOOL) {
            throw new IllegalArgumentException("quantized values are stored as integers, not " + storage);
        }
        if (scales.length == 0) {
            throw new IllegalArgumentException("no scale");
        }
        for (float s : scales) {
            if (!(s > 0) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("scale " + s + " is not a finite positive number");
            }
        }
        if (zeroPoints.length != scales.length) {
            throw new IllegalArgumentException(scales.length + " scales but " + zeroPoints.length + " zero points");
        }
        for (int z : zeroPoints) {
            if (z < minCode(storage) || z > maxCode(storage)) {
                throw new IllegalArgumentException("zero point " + z + " is outside the " + storage + " range");
            }
        }
        if (scales.length > 1 && axis < 0) {
            throw new IllegalArgumentException("per-channel quantization needs an axis, got " + axis);
        }
        this.storage = storage;
        this.scales = scales.clone();
        this.zeroPoints = zeroPoints.clone();
        this.axis = scales.length > 1 ? axis : 0;
    }

    /** One scale and zero point for the whole tensor. */
    public static Quantization perTensor(DType storage, float scale, int zeroPoint) {
        return new Quantization(storage, new float[] {scale}, new int[] {zeroPoint}, 0);
    }

    /**
     * Checks that this quantization fits a tensor of {@code shape}: a per-channel axis within its rank,
     * with as many scales as the axis is long.
     *
     * @throws IllegalArgumentException naming what does not fit
     */
    public void requireFits(Shape shape) {
        if (scales.length > 1 && (axis >= shape.rank() || shape.dim(axis) != scales.length)) {
            throw new IllegalArgumentException(scales.length + " per-channel scales along axis " + axis
                    + " do not fit shape " + shape);
        }
    }

    public DType storage() {
        return storage;
    }

    public boolean perChannel() {
        return scales.length > 1;
    }

    public int axis() {
        return axis;
    }

    public int channels() {
        return scales.length;
    }

    public float scale(int channel) {
        return scales[channel];
    }

    public int zeroPoint(int channel) {
        return zeroPoints[channel];
    }

    /** The largest scale: the coarsest quantization step of the tensor. */
    public float maxScale() {
        float m = 0;
        for (float s : scales) {
            m = Math.max(m, s);
        }
        return m;
    }

    /** The smallest code the storage type holds. */
    public int minCode() {
        return minCode(storage);
    }

    /** The largest code the storage type holds. */
    public int maxCode() {
        return maxCode(storage);
    }

    private static int minCode(DType t) {
        return switch (t) {
            case INT8 -> -128;
            case UINT8 -> 0;
            case INT16 -> -32768;
            default -> Integer.MIN_VALUE;
        };
    }

    private static int maxCode(DType t) {
        return switch (t) {
            case INT8 -> 127;
            case UINT8 -> 255;
            case INT16 -> 32767;
            default -> Integer.MAX_VALUE;
        };
    }

    /** Element {@code i}'s channel in a tensor of {@code shape} (0 for per-tensor quantization). */
    public int channelOf(long flatIndex, Shape shape) {
        if (scales.length == 1) {
            return 0;
        }
        long inner = 1;
        for (int d = axis + 1; d < shape.rank(); d++) {
            inner *= shape.dim(d);
        }
        return (int) ((flatIndex / inner) % scales.length);
    }

    /**
     * Replaces stored codes, laid out in {@code shape}, with their real values, in place: a tensor read out
     * of the interpreter is dequantized without a second array.
     */
    public void dequantizeInPlace(float[] codes, Shape shape) {
        if (scales.length == 1) {
            float scale = scales[0];
            int zeroPoint = zeroPoints[0];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = scale * (codes[i] - zeroPoint);
            }
            return;
        }
        for (int i = 0; i < codes.length; i++) {
            int c = channelOf(i, shape);
            codes[i] = scales[c] * (codes[i] - zeroPoints[c]);
        }
    }

    /** The codes nearest to real {@code values} (rounded half away from zero, clamped to the storage range). */
    public float[] quantize(float[] values, Shape shape) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            int c = channelOf(i, shape);
            double code = Math.round(values[i] / (double) scales[c]) + (double) zeroPoints[c];
            out[i] = (float) Math.max(minCode(), Math.min(maxCode(), code));
        }
        return out;
    }

    /** {@code int8, scale 0.0039, zero point -128} or {@code int8, 64 per-channel scales along axis 0}. */
    @Override
    public String toString() {
        String type = storage.name().toLowerCase(java.util.Locale.ROOT);
        return scales.length == 1 ? type + ", scale " + scales[0] + ", zero point " + zeroPoints[0]
                : type + ", " + scales.length + " per-channel scales along axis " + axis;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantization q && storage == q.storage && axis == q.axis && Arrays.equals(scales, q.scales)
                && Arrays.equals(zeroPoints, q.zeroPoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scales) * 31 + Arrays.hashCode(zeroPoints) + axis;
    }
}
