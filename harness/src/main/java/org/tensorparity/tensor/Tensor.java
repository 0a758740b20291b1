package org.tensorparity.tensor;

import java.nio.FloatBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable tensor: a shape and its row-major values, on the heap unless {@linkplain #stored stored} elsewhere.
 *
 * <p>Values are held as {@code float} whatever the model's element type ({@link #dtype()} records it):
 * comparisons run in float, and integer values are exact up to 2^24. A quantized tensor (an int8 activation
 * of a TFLite model) holds its <em>real</em> values, {@code scale * (code - zeroPoint)}, and keeps its
 * {@link #quantization()}: nothing downstream can compare raw codes by mistake. The array is never exposed
 * for writing: {@link #data()} is for read-only use by kernels in this project.
 *
 * <p>A {@linkplain #stored stored} tensor keeps its values elsewhere (a layer-by-layer capture under a memory budget
 * keeps them on disk, a TFLite capture leaves them {@linkplain InPlaceValues in the interpreter's memory}) and reads
 * them on each {@link #data()}: callers use the array they get and let it go. Code that reads every captured value
 * ({@link #get}, {@link #read}, {@link #values}) reads such a tensor without making it a heap array of its own.
 */
public final class Tensor {
    private final DType dtype;
    private final Shape shape;
    /** The values; null for a stored tensor, whose {@link #stored} source reads them. */
    private final float[] data;
    private final StoredValues stored;
    private final Quantization quantization;

    private Tensor(DType dtype, Shape shape, float[] data, Quantization quantization) {
        this(dtype, shape, data, null, quantization);
    }

    private Tensor(DType dtype, Shape shape, float[] data, StoredValues stored, Quantization quantization) {
        this.dtype = Objects.requireNonNull(dtype);
        this.shape = Objects.requireNonNull(shape);
        this.data = data;
        this.stored = stored;
        this.quantization = quantization;
    }

    /** Values a stored tensor reads when asked for them: the same values on every read. */
    @FunctionalInterface
    public interface StoredValues {
        /** Every value, in an array the caller only reads (a spill to disk hands out the one it keeps). */
        float[] read();

        /** The value at {@code index}; values kept where one can be read alone override this. */
        default float get(int index) {
            return read()[index];
        }

        /** Values {@code [from, from + count)} into {@code target} from {@code offset}. */
        default void read(int from, float[] target, int offset, int count) {
            System.arraycopy(read(), from, target, offset, count);
        }

        /**
         * Whether a value or a range is read alone, where the values are kept ({@link InPlaceValues}); false when
         * every read reads them all, as values spilled to disk are.
         */
        default boolean readsInPlace() {
            return false;
        }
    }

    /**
     * A tensor whose values {@code values} reads on demand, with the dtype, shape and quantization of {@code like},
     * which held the same values on the heap.
     */
    public static Tensor stored(Tensor like, StoredValues values) {
        return new Tensor(like.dtype, like.shape, null, Objects.requireNonNull(values), like.quantization);
    }

    /** A float32 tensor of {@code shape} whose values are read in place, where a runtime keeps them. */
    public static Tensor inPlace(Shape shape, InPlaceValues values) {
        if (shape.isDynamic() || shape.elementCount() != values.size()) {
            throw new IllegalArgumentException("shape " + shape + " does not hold the " + values.size() + " values");
        }
        return new Tensor(DType.FLOAT32, shape, null, values, null);
    }

    /** Whether the values live elsewhere and are read on each {@link #data()}. */
    public boolean isStored() {
        return data == null;
    }

    /** Takes ownership of {@code data}: the caller must not modify it afterwards. */
    public static Tensor wrap(DType dtype, Shape shape, float[] data) {
        if (shape.isDynamic()) {
            throw new IllegalArgumentException("a tensor needs a static shape, got " + shape);
        }
        if (shape.elementCount() != data.length) {
            throw new IllegalArgumentException(
                    "shape " + shape + " holds " + shape.elementCount() + " values, got " + data.length);
        }
        return new Tensor(dtype, shape, data, null);
    }

    /**
     * A quantized tensor from its stored codes: takes ownership of {@code codes} and replaces them with
     * their real values.
     *
     * @throws IllegalArgumentException when the quantization does not fit the shape
     */
    public static Tensor fromCodes(Shape shape, float[] codes, Quantization quantization) {
        quantization.requireFits(shape);
        Tensor t = wrap(quantization.storage(), shape, codes);
        quantization.dequantizeInPlace(codes, shape);
        return new Tensor(t.dtype, shape, codes, quantization);
    }

    public static Tensor of(Shape shape, float... data) {
        return wrap(DType.FLOAT32, shape, data.clone());
    }

    public DType dtype() {
        return dtype;
    }

    /**
     * This tensor's real values as a plain float32 tensor: itself unless it is quantized, in which case the
     * quantization is dropped (for handing values to another model, which knows nothing of this one's codes).
     */
    public Tensor asReal() {
        return quantization == null ? this : new Tensor(DType.FLOAT32, shape, data, stored, null);
    }

    /** How the model stores this tensor's values as integers; null for a tensor that is not quantized. */
    public Quantization quantization() {
        return quantization;
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return (int) shape.elementCount();
    }

    /** The value at {@code flatIndex}, read alone from a stored tensor that keeps its values where it can be. */
    public float get(int flatIndex) {
        return data != null ? data[flatIndex] : stored.get(flatIndex);
    }

    /** Values {@code [from, from + count)} into {@code target} from {@code offset}. */
    public void read(int from, float[] target, int offset, int count) {
        if (data != null) {
            System.arraycopy(data, from, target, offset, count);
        } else {
            stored.read(from, target, offset, count);
        }
    }

    /**
     * Whether values are read alone where they are kept ({@link StoredValues#readsInPlace()}): code that reads some
     * values, or reads them a part at a time, then reads only those.
     */
    public boolean readsInPlace() {
        return data == null && stored.readsInPlace();
    }

    /**
     * The values where a runtime keeps them, for handing to another runtime without a copy: empty unless they are
     * {@linkplain #readsInPlace() read in place}. The buffer is read-only and valid while the tensor can be read.
     */
    public Optional<FloatBuffer> inPlaceBuffer() {
        return data == null && stored instanceof InPlaceValues v ? Optional.of(v.buffer()) : Optional.empty();
    }

    /**
     * The values to read now, in the first {@link #size()} places of the array returned: as {@link #data()} gives
     * them, except that values {@linkplain #readsInPlace() read in place} are read into {@code scratch} when it has
     * room for them (a new array otherwise). A kernel that keeps a scratch array per thread reads them without a heap
     * array for each.
     */
    public float[] values(float[] scratch) {
        if (!readsInPlace()) {
            return data();
        }
        int n = size();
        float[] target = scratch != null && scratch.length >= n ? scratch : new float[n];
        stored.read(0, target, 0, n);
        return target;
    }

    /**
     * The backing array, shared and read-only by contract (kernels use it to avoid copies); for a stored tensor,
     * its values as read now.
     */
    public float[] data() {
        return data != null ? data : stored.read();
    }

    /** Same values seen with another shape of the same element count (no copy; a stored tensor stays stored). */
    public Tensor reshape(Shape newShape) {
        if (newShape.isDynamic() || newShape.elementCount() != shape.elementCount()) {
            throw new IllegalArgumentException("shape " + newShape + " does not hold the " + shape.elementCount()
                    + " values of " + shape);
        }
        if (quantization != null && quantization.perChannel()) {
            // Per-channel scales are tied to an axis of this shape; a re-cut view keeps the values only.
            return new Tensor(DType.FLOAT32, newShape, data, stored, null);
        }
        return new Tensor(dtype, newShape, data, stored, quantization);
    }

    /**
     * The part of this tensor from {@code start} (inclusive) to {@code end} (exclusive) along {@code axis}, copied. A
     * per-tensor quantization is kept; per-channel scales, tied to this shape, are dropped with the codes.
     */
    public Tensor slice(int axis, int start, int end) {
        int[] dims = shape.dims();
        if (axis < 0 || axis >= dims.length || start < 0 || end > dims[axis] || start >= end) {
            throw new IllegalArgumentException("no slice [" + start + ":" + end + "] of axis " + axis + " in " + shape);
        }
        long inner = 1;
        for (int d = axis + 1; d < dims.length; d++) {
            inner *= dims[d];
        }
        float[] data = data();
        long outer = data.length / (inner * dims[axis]);
        int width = (int) ((end - start) * inner);
        float[] out = new float[(int) (outer * width)];
        for (long o = 0; o < outer; o++) {
            System.arraycopy(data, (int) ((o * dims[axis] + start) * inner), out, (int) (o * width), width);
        }
        dims[axis] = end - start;
        Shape cut = Shape.of(dims);
        if (quantization != null && !quantization.perChannel()) {
            return new Tensor(dtype, cut, out, quantization);
        }
        return wrap(quantization == null ? dtype : DType.FLOAT32, cut, out);
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " " + dtype;
    }
}
