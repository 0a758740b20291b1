package org.tensorparity.tensor;

import java.util.Arrays;

/**
 * The dimensions of a tensor. A dimension of {@link #DYNAMIC} means "decided at run time" and only
 * appears in model signatures, never in a {@link Tensor}.
 */
public final class Shape {
    public static final int DYNAMIC = -1;

    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    public static Shape of(int... dims) {
        for (int d : dims) {
            if (d < DYNAMIC) {
                throw new IllegalArgumentException("negative dimension " + d + " in " + Arrays.toString(dims));
            }
        }
        return new Shape(dims.clone());
    }

    /** Converts a runtime's {@code long[]} shape; any negative value becomes {@link #DYNAMIC}. */
    public static Shape ofLongs(long[] dims) {
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("dimension " + dims[i] + " is too large");
            }
            out[i] = dims[i] < 0 ? DYNAMIC : (int) dims[i];
        }
        return new Shape(out);
    }

    /** Parses {@code 1x3x127x127} (also accepts commas). */
    public static Shape parse(String text) {
        String[] parts = text.trim().split("[x,]", -1);
        int[] dims = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                dims[i] = Integer.parseInt(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a shape like 1x3x127x127");
            }
            if (dims[i] <= 0) {
                throw new IllegalArgumentException("'" + text + "' has a dimension that is not positive");
            }
        }
        return new Shape(dims);
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    public int[] dims() {
        return dims.clone();
    }

    public long[] toLongs() {
        long[] out = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            out[i] = dims[i];
        }
        return out;
    }

    public boolean isDynamic() {
        for (int d : dims) {
            if (d == DYNAMIC) {
                return true;
            }
        }
        return false;
    }

    /** Number of elements; only defined for static shapes. */
    public long elementCount() {
        if (isDynamic()) {
            throw new IllegalStateException("shape " + this + " has dynamic dimensions");
        }
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** True when every static dimension of this signature shape equals the concrete one. */
    public boolean accepts(Shape concrete) {
        if (concrete.rank() != rank()) {
            return false;
        }
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != DYNAMIC && dims[i] != concrete.dims[i]) {
                return false;
            }
        }
        return true;
    }

    /** Row-major strides in elements. */
    public long[] strides() {
        long[] strides = new long[dims.length];
        long s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= dims[i];
        }
        return strides;
    }

    /** Multi-index of a flat row-major offset. */
    public int[] unravel(long flatIndex) {
        int[] index = new int[dims.length];
        long rest = flatIndex;
        for (int i = dims.length - 1; i >= 0; i--) {
            index[i] = (int) (rest % dims[i]);
            rest /= dims[i];
        }
        return index;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape other && Arrays.equals(dims, other.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [1,3,127,127]}, with {@code ?} for dynamic dimensions. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(dims[i] == DYNAMIC ? "?" : Integer.toString(dims[i]));
        }
        return sb.append(']').toString();
    }
}
