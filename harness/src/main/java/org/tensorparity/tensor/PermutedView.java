package org.tensorparity.tensor;

/**
 * The values of {@code TensorPermuter.permute(t, p)} read range by range, in the permuted tensor's row-major
 * order, without materializing the permuted tensor. A comparison reads its candidate through it block by block,
 * so the candidate is read from memory once instead of being copied out, written and read again.
 *
 * <p>A range is read as runs along the permuted tensor's innermost axis (after {@link TensorPermuter}'s
 * simplification: size-1 axes dropped, adjacent axes merged): a contiguous run is copied, any other is gathered
 * at its constant source stride. Not thread-safe (it keeps an odometer).
 */
public final class PermutedView {
    private final float[] src;
    private final int rank;
    private final int[] dim;
    private final long[] stride;
    private final int[] index;

    private PermutedView(float[] src, TensorPermuter.Plan plan) {
        this.src = src;
        this.rank = plan.rank;
        this.dim = plan.dim;
        this.stride = plan.srcStride;
        this.index = new int[plan.rank];
    }

    /**
     * A view of {@code t} permuted by {@code p} (axis {@code i} of the view is axis {@code p.axis(i)} of {@code t}).
     *
     * @throws IllegalArgumentException if the permutation's rank differs from the tensor's
     */
    public static PermutedView of(Tensor t, Permutation p) {
        if (p.rank() != t.shape().rank()) {
            throw new IllegalArgumentException("permutation " + p + " does not fit shape " + t.shape());
        }
        return new PermutedView(t.data(), TensorPermuter.Plan.of(t.shape(), p));
    }

    /** The value at row-major offset {@code offset} of the permuted tensor. */
    public float get(long offset) {
        long rest = offset;
        long s = 0;
        for (int k = rank - 1; k >= 0; k--) {
            int d = dim[k];
            s += (rest % d) * stride[k];
            rest /= d;
        }
        return src[(int) s];
    }

    /** Writes the permuted tensor's values at offsets [from, from + length) to {@code dst[at..at + length)}. */
    public void read(long from, float[] dst, int at, int length) {
        if (length <= 0) {
            return;
        }
        if (rank == 0) {
            dst[at] = src[0]; // one value: every axis had extent 1
            return;
        }
        long rest = from;
        long s = 0;
        for (int k = rank - 1; k >= 0; k--) {
            int d = dim[k];
            int x = (int) (rest % d);
            index[k] = x;
            s += x * stride[k];
            rest /= d;
        }
        int last = rank - 1;
        int inner = dim[last];
        int step = (int) stride[last];
        int out = at;
        int left = length;
        while (true) {
            int run = Math.min(left, inner - index[last]);
            int p = (int) s;
            if (step == 1) {
                System.arraycopy(src, p, dst, out, run);
            } else {
                for (int j = 0; j < run; j++) {
                    dst[out + j] = src[p];
                    p += step;
                }
            }
            out += run;
            left -= run;
            if (left == 0) {
                return;
            }
            // The run reached the end of the innermost axis: carry into the outer ones.
            s -= (long) index[last] * step;
            index[last] = 0;
            for (int k = last - 1; k >= 0; k--) {
                if (++index[k] < dim[k]) {
                    s += stride[k];
                    break;
                }
                index[k] = 0;
                s -= stride[k] * (dim[k] - 1);
            }
        }
    }
}
