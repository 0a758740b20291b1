package org.tensorparity.tensor;

import java.util.Arrays;

/**
 * Transposes tensors: {@code permute(t, p)} is numpy's {@code np.transpose(t, p.axes())}.
 *
 * <p>The kernel first simplifies the problem: axes of extent 1 are dropped, and output axes that are
 * also adjacent and in order in the source are merged (NCHW to NHWC becomes a batch of {@code [C, H*W]}
 * to {@code [H*W, C]} matrix transposes). What is left is either a copy of contiguous rows, or a 2-D
 * transpose of the source's innermost axis with the output's innermost axis, done in square tiles so
 * that both the reads and the writes of a tile stay in the L1 cache, repeated over the remaining axes.
 * Every rank is handled by the same code; only the loop counts differ.
 */
public final class TensorPermuter {
    /** Tile edge of the 2-D transpose: 32 x 32 floats (4 KB read, 4 KB written) fit in L1 together. */
    private static final int TILE = 32;
    /**
     * Values read in place, read into the heap to be permuted (isolation permutes the converted model's values it
     * feeds): a thread keeps up to 1 M floats (4 MB), so that a permuted copy does not cost a heap copy more.
     */
    private static final ThreadBuffer SOURCE = new ThreadBuffer(1 << 20);

    private TensorPermuter() {}

    /**
     * The tensor with its axes permuted: axis {@code i} of the result is axis {@code p.axis(i)} of
     * {@code t}. The identity permutation returns {@code t} itself; otherwise the result is a new tensor
     * with the same dtype.
     *
     * @throws IllegalArgumentException if the permutation's rank differs from the tensor's
     */
    public static Tensor permute(Tensor t, Permutation p) {
        Shape outShape = p.apply(t.shape());
        if (p.isIdentity()) {
            return t;
        }
        float[] out = new float[t.size()];
        permuteInto(t, p, out);
        return Tensor.wrap(t.dtype(), outShape, out);
    }

    /**
     * Writes the permutation of {@code t}'s values into {@code dst}, which may be longer than needed; values read in
     * place are read through this thread's buffer.
     *
     * @throws IllegalArgumentException if the permutation's rank differs from the tensor's, or {@code dst} is short
     */
    public static void permuteInto(Tensor t, Permutation p, float[] dst) {
        permuteInto(SOURCE.valuesOf(t), t.shape(), p, dst);
    }

    /**
     * Writes the permutation of {@code src} (row-major, of shape {@code shape}) into {@code dst}. Either may be
     * longer than needed: only the first {@code shape.elementCount()} values are read and written.
     * {@code src} and {@code dst} must not be the same array.
     *
     * @throws IllegalArgumentException if ranks or lengths do not fit, or {@code src == dst}
     */
    public static void permuteInto(float[] src, Shape shape, Permutation p, float[] dst) {
        if (p.rank() != shape.rank()) {
            throw new IllegalArgumentException("permutation " + p + " does not fit shape " + shape);
        }
        long count = shape.elementCount();
        if (src.length < count) {
            throw new IllegalArgumentException("shape " + shape + " holds " + count + " values, got " + src.length);
        }
        if (dst.length < count) {
            throw new IllegalArgumentException("destination holds " + dst.length + " values, needs " + count);
        }
        if (src == dst && count > 1 && !p.isIdentity()) {
            throw new IllegalArgumentException("cannot permute an array in place");
        }
        if (count == 0) {
            return;
        }
        Plan plan = Plan.of(shape, p);
        if (plan.rank == 0 || plan.srcStride[plan.rank - 1] == 1) {
            copyRows(src, dst, plan);
        } else {
            transposeTiles(src, dst, plan);
        }
    }

    /**
     * The permutation reduced to its essentials: output dimensions with their source strides, size-1
     * axes dropped and axes that stay adjacent merged.
     */
    private static final class Plan {
        final int rank;
        final int[] dim;
        final long[] srcStride;
        final long[] dstStride;

        private Plan(int rank, int[] dim, long[] srcStride) {
            this.rank = rank;
            this.dim = dim;
            this.srcStride = srcStride;
            this.dstStride = new long[rank];
            long s = 1;
            for (int k = rank - 1; k >= 0; k--) {
                dstStride[k] = s;
                s *= dim[k];
            }
        }

        static Plan of(Shape shape, Permutation p) {
            long[] strides = shape.strides();
            int[] dim = new int[p.rank()];
            long[] stride = new long[p.rank()];
            int r = 0;
            for (int k = 0; k < p.rank(); k++) {
                int d = shape.dim(p.axis(k));
                if (d == 1) {
                    continue;
                }
                long s = strides[p.axis(k)];
                if (r > 0 && stride[r - 1] == s * d) {
                    dim[r - 1] *= d;
                    stride[r - 1] = s;
                } else {
                    dim[r] = d;
                    stride[r] = s;
                    r++;
                }
            }
            return new Plan(r, Arrays.copyOf(dim, r), Arrays.copyOf(stride, r));
        }
    }

    /** The innermost output axis is contiguous in the source: copy whole rows. */
    private static void copyRows(float[] src, float[] dst, Plan plan) {
        if (plan.rank <= 1) {
            int n = plan.rank == 0 ? 1 : plan.dim[0];
            System.arraycopy(src, 0, dst, 0, n);
            return;
        }
        int outer = plan.rank - 1;
        int row = plan.dim[outer];
        int[] index = new int[outer];
        long srcBase = 0;
        int dstPos = 0;
        long rows = 1;
        for (int k = 0; k < outer; k++) {
            rows *= plan.dim[k];
        }
        for (long r = 0; r < rows; r++) {
            System.arraycopy(src, (int) srcBase, dst, dstPos, row);
            dstPos += row;
            srcBase = advance(index, plan.dim, plan.srcStride, outer, srcBase);
        }
    }

    /**
     * Transposes the source's innermost axis (output axis {@code q}) with the output's innermost axis
     * in TILE x TILE tiles, for every combination of the other axes.
     */
    private static void transposeTiles(float[] src, float[] dst, Plan plan) {
        int last = plan.rank - 1;
        int q = -1;
        for (int k = 0; k < last; k++) {
            if (plan.srcStride[k] == 1) {
                q = k;
            }
        }
        if (q < 0) {
            throw new IllegalStateException("no unit-stride axis in a non-trivial permutation");
        }
        int rowsDim = plan.dim[q];
        int colsDim = plan.dim[last];
        int colStride = (int) plan.srcStride[last];
        int dstRowStride = (int) plan.dstStride[q];

        // The other axes, iterated by an odometer, each with its source and destination stride.
        int others = plan.rank - 2;
        int[] oDim = new int[others];
        long[] oSrc = new long[others];
        long[] oDst = new long[others];
        for (int k = 0, o = 0; k < last; k++) {
            if (k != q) {
                oDim[o] = plan.dim[k];
                oSrc[o] = plan.srcStride[k];
                oDst[o] = plan.dstStride[k];
                o++;
            }
        }
        long combos = 1;
        for (int d : oDim) {
            combos *= d;
        }
        int[] index = new int[others];
        long srcBase = 0;
        long dstBase = 0;
        for (long c = 0; c < combos; c++) {
            transpose2d(src, (int) srcBase, colStride, dst, (int) dstBase, dstRowStride, rowsDim, colsDim);
            // advance both bases together
            for (int k = others - 1; k >= 0; k--) {
                if (++index[k] < oDim[k]) {
                    srcBase += oSrc[k];
                    dstBase += oDst[k];
                    break;
                }
                index[k] = 0;
                srcBase -= oSrc[k] * (oDim[k] - 1);
                dstBase -= oDst[k] * (oDim[k] - 1);
            }
        }
    }

    /**
     * {@code dst[dstOff + i*dstRowStride + j] = src[srcOff + i + j*srcColStride]} for
     * {@code i < rows, j < cols}: the source is contiguous along i, the destination along j.
     */
    private static void transpose2d(
            float[] src, int srcOff, int srcColStride, float[] dst, int dstOff, int dstRowStride, int rows, int cols) {
        if (cols < TILE / 2) {
            // Few, short destination rows (e.g. 3 channels): stream the source, scatter into the rows.
            for (int j = 0; j < cols; j++) {
                int s = srcOff + j * srcColStride;
                int d = dstOff + j;
                for (int i = 0; i < rows; i++) {
                    dst[d + i * dstRowStride] = src[s + i];
                }
            }
            return;
        }
        for (int i0 = 0; i0 < rows; i0 += TILE) {
            int i1 = Math.min(rows, i0 + TILE);
            for (int j0 = 0; j0 < cols; j0 += TILE) {
                int j1 = Math.min(cols, j0 + TILE);
                int i = i0;
                // Four destination rows at a time: each step reads four adjacent source values.
                for (; i + 3 < i1; i += 4) {
                    int d0 = dstOff + i * dstRowStride;
                    int d1 = d0 + dstRowStride;
                    int d2 = d1 + dstRowStride;
                    int d3 = d2 + dstRowStride;
                    for (int j = j0; j < j1; j++) {
                        int s = srcOff + i + j * srcColStride;
                        dst[d0 + j] = src[s];
                        dst[d1 + j] = src[s + 1];
                        dst[d2 + j] = src[s + 2];
                        dst[d3 + j] = src[s + 3];
                    }
                }
                for (; i < i1; i++) {
                    int d = dstOff + i * dstRowStride;
                    int s = srcOff + i;
                    for (int j = j0; j < j1; j++) {
                        dst[d + j] = src[s + j * srcColStride];
                    }
                }
            }
        }
    }

    /** Odometer step over the first {@code n} axes; returns the new source offset. */
    private static long advance(int[] index, int[] dim, long[] stride, int n, long base) {
        for (int k = n - 1; k >= 0; k--) {
            if (++index[k] < dim[k]) {
                return base + stride[k];
            }
            index[k] = 0;
            base -= stride[k] * (dim[k] - 1);
        }
        return base;
    }
}
