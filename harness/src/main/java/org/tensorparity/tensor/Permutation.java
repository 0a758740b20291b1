package org.tensorparity.tensor;

import java.util.Arrays;

/**
 * An axis permutation with numpy's {@code transpose} meaning: axis {@code i} of the result is axis
 * {@code axes[i]} of the source. NCHW to NHWC is {@code (0,2,3,1)}.
 */
public final class Permutation {
    public static final Permutation NCHW_TO_NHWC = new Permutation(new int[] {0, 2, 3, 1});
    public static final Permutation NHWC_TO_NCHW = new Permutation(new int[] {0, 3, 1, 2});

    private final int[] axes;

    private Permutation(int[] axes) {
        this.axes = axes;
    }

    public static Permutation of(int... axes) {
        boolean[] seen = new boolean[axes.length];
        for (int a : axes) {
            if (a < 0 || a >= axes.length || seen[a]) {
                throw new IllegalArgumentException(Arrays.toString(axes) + " is not a permutation");
            }
            seen[a] = true;
        }
        return new Permutation(axes.clone());
    }

    public static Permutation identity(int rank) {
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        return new Permutation(axes);
    }

    public int rank() {
        return axes.length;
    }

    public int axis(int i) {
        return axes[i];
    }

    public int[] axes() {
        return axes.clone();
    }

    public boolean isIdentity() {
        for (int i = 0; i < axes.length; i++) {
            if (axes[i] != i) {
                return false;
            }
        }
        return true;
    }

    public Permutation inverse() {
        int[] inv = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            inv[axes[i]] = i;
        }
        return new Permutation(inv);
    }

    /** The shape a tensor of {@code source} shape has after this permutation. */
    public Shape apply(Shape source) {
        if (source.rank() != axes.length) {
            throw new IllegalArgumentException("permutation " + this + " does not fit shape " + source);
        }
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = source.dim(axes[i]);
        }
        return Shape.of(out);
    }

    /** Every permutation of {@code rank} axes, identity first, then in lexicographic order. */
    public static java.util.List<Permutation> all(int rank) {
        java.util.List<Permutation> out = new java.util.ArrayList<>();
        permute(new int[rank], new boolean[rank], 0, out);
        return out;
    }

    private static void permute(int[] current, boolean[] used, int depth, java.util.List<Permutation> out) {
        if (depth == current.length) {
            out.add(new Permutation(current.clone()));
            return;
        }
        for (int a = 0; a < current.length; a++) {
            if (!used[a]) {
                used[a] = true;
                current[depth] = a;
                permute(current, used, depth + 1, out);
                used[a] = false;
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Permutation other && Arrays.equals(axes, other.axes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(axes);
    }

    /** {@code (0,2,3,1)}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < axes.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(axes[i]);
        }
        return sb.append(')').toString();
    }
}
