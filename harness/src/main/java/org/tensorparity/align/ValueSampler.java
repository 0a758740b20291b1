package org.tensorparity.align;

import java.util.SplittableRandom;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/**
 * Tells whether two tensors hold the same values under a layout, from a fixed sample of the reference's
 * elements: the relative RMS difference
 *
 * <pre>  d = sqrt(sum (r - c)^2) / max(sqrt(sum r^2), sqrt(sum c^2))</pre>
 *
 * over the sampled positions, with each candidate value read where the layout puts the reference element.
 * {@code d} is 0 for identical values, about 1e-6 for a correct float32 conversion, a few 1e-2 for 8-bit
 * quantization, and near or above 1 for unrelated values or the right values in the wrong layout. Unlike
 * summary statistics it tells apart tensors that hold the same kind of values at different positions:
 * the four sibling slices of YOLOX's Focus layer, or a map and its H/W transpose.
 */
final class ValueSampler {
    /** Sampled elements per tensor: enough to tell unrelated tensors apart with a wide margin, cheap per pair. */
    static final int SAMPLES = 256;
    /** Samples after which a candidate that already differs widely is given up. */
    static final int PROBE = 32;

    private final int[][] positions;
    private final float[] values;

    /** Samples {@code reference}; the positions are fixed by its shape alone, so the result is deterministic. */
    ValueSampler(Tensor reference) {
        Shape shape = reference.shape();
        int n = reference.size();
        int k = Math.min(SAMPLES, n);
        int[] flat = new int[k];
        if (k == n) {
            for (int i = 0; i < n; i++) {
                flat[i] = i;
            }
        } else {
            // Spread over the whole tensor with a random offset inside each stride, so that no channel or
            // row period aliases with the sampling.
            SplittableRandom random = new SplittableRandom(0x5eed ^ n);
            double stride = (double) n / k;
            for (int i = 0; i < k; i++) {
                flat[i] = (int) Math.min(n - 1, Math.floor(i * stride + random.nextDouble() * stride));
            }
        }
        positions = new int[k][];
        values = new float[k];
        float[] data = reference.data();
        for (int i = 0; i < k; i++) {
            positions[i] = shape.unravel(flat[i]);
            values[i] = data[flat[i]];
        }
    }

    /**
     * Where each sampled reference element lies in a candidate held under {@code layout}: flat offsets into the
     * candidate's values. They depend only on the reference's shape and the layout, so callers reuse them
     * for every candidate of that shape.
     */
    int[] offsets(Shape referenceShape, TensorLayout layout) {
        int[] axes = layout.permutation().axes();
        long[] strides = layout.permutation().apply(referenceShape).strides();
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            long offset = 0;
            for (int a = 0; a < axes.length; a++) {
                offset += positions[i][axes[a]] * strides[a];
            }
            out[i] = (int) offset;
        }
        return out;
    }

    /** A candidate's values at {@code offsets} ({@link #offsets}), in the order of the samples. */
    static float[] gather(Tensor candidate, int[] offsets) {
        float[] sampled = new float[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            sampled[i] = candidate.get(offsets[i]);
        }
        return sampled;
    }

    /**
     * The relative RMS difference of a candidate whose sampled elements are {@code sampled} ({@link #gather}; see the
     * class comment), or infinity once the first {@value #PROBE} samples already differ by more than
     * {@code giveUpAbove}: unrelated tensors, most of the candidates, cost a fraction of a full pass.
     */
    double distance(float[] sampled, double giveUpAbove) {
        Difference sums = new Difference();
        for (int i = 0; i < sampled.length; i++) {
            sums.add(values[i], sampled[i]);
            if (i == PROBE - 1 && sampled.length > PROBE && sums.relative() > giveUpAbove) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return sums.distance(sampled.length);
    }

    /**
     * The same relative RMS difference as {@link #distance}, over every element: for candidates a sample cannot tell
     * apart, such as a MaxPool's output and the ReLU after it where fewer than one value in 256 is negative.
     */
    static double wholeDistance(Tensor reference, Tensor candidate, TensorLayout layout) {
        float[] r = reference.data();
        float[] c = layout.toReference(candidate, reference.shape()).data();
        Difference sums = new Difference();
        for (int i = 0; i < r.length; i++) {
            sums.add(r[i], c[i]);
        }
        return sums.distance(r.length);
    }

    /** The sums behind a relative RMS difference, pair by pair. */
    private static final class Difference {
        private double diff;
        private double candSquares;
        private double refSquares;
        private int mismatches;

        void add(float r, float c) {
            boolean finiteR = Float.isFinite(r);
            boolean finiteC = Float.isFinite(c);
            if (finiteR && finiteC) {
                double d = (double) r - c;
                diff += d * d;
                candSquares += (double) c * c;
                refSquares += (double) r * r;
            } else if (finiteR != finiteC || !sameNonFinite(r, c)) {
                mismatches++;
            }
        }

        double relative() {
            double norm = Math.sqrt(Math.max(refSquares, candSquares));
            return norm > 0 ? Math.sqrt(diff) / norm : (diff > 0 ? Double.POSITIVE_INFINITY : 0);
        }

        /** The difference over {@code count} pairs: a NaN or infinity on one side only is as far apart as values get. */
        double distance(int count) {
            double d = relative();
            return mismatches == 0 ? d : Math.max(d, 2.0 * mismatches / count);
        }

        private static boolean sameNonFinite(float a, float b) {
            return Float.isNaN(a) ? Float.isNaN(b) : a == b;
        }
    }
}
