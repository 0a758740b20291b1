package org.tensorparity.tensor;

import java.util.Objects;

/**
 * An immutable, heap-resident tensor: a shape and its row-major values.
 *
 * <p>Values are held as {@code float} whatever the model's element type ({@link #dtype()} records it):
 * comparisons run in float, and integer values are exact up to 2^24. The array is never exposed for
 * writing: {@link #data()} is for read-only use by kernels in this project.
 */
public final class Tensor {
    private final DType dtype;
    private final Shape shape;
    private final float[] data;

    private Tensor(DType dtype, Shape shape, float[] data) {
        this.dtype = Objects.requireNonNull(dtype);
        this.shape = Objects.requireNonNull(shape);
        this.data = data;
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
        return new Tensor(dtype, shape, data);
    }

    public static Tensor of(Shape shape, float... data) {
        return wrap(DType.FLOAT32, shape, data.clone());
    }

    public DType dtype() {
        return dtype;
    }

    public Shape shape() {
        return shape;
    }

    public int size() {
        return data.length;
    }

    public float get(int flatIndex) {
        return data[flatIndex];
    }

    /** The backing array, shared and read-only by contract (kernels use it to avoid copies). */
    public float[] data() {
        return data;
    }

    /** Same values seen with another shape of the same element count (no copy). */
    public Tensor reshape(Shape newShape) {
        return wrap(dtype, newShape, data);
    }

    @Override
    public String toString() {
        return "Tensor" + shape + " " + dtype;
    }
}
