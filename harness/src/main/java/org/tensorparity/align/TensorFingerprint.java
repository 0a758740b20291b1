package org.tensorparity.align;

import org.tensorparity.tensor.Tensor;

/**
 * Statistics of a tensor's values that no layout permutation changes, so an ONNX tensor and its NHWC
 * counterpart have the same fingerprint without knowing the permutation.
 */
public record TensorFingerprint(double mean, double std, double min, double max) {

    /**
     * The statistics of {@code t}'s finite values. One loop without branches serves the common case, all values
     * finite (their sum then is): it runs over every captured tensor of both models, 14 M values on the full-size
     * DaSiamRPN detection pair, mostly before the JIT has compiled it, and took 27-39 ms there against 49-88 ms
     * for a loop that tested each value and took minima with {@code Math.min} (2-core CI machine). A loop with
     * four sums unrolled took 75-123 ms: longer to compile than it saved. Any NaN or infinity: the slow loop.
     */
    public static TensorFingerprint of(Tensor t) {
        float[] v = t.data();
        double sum = 0;
        double sq = 0;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            sum += x;
            sq += (double) x * x;
            min = x < min ? x : min;
            max = x > max ? x : max;
        }
        if (!Double.isFinite(sum)) {
            return ofFiniteValues(v);
        }
        return v.length == 0 ? new TensorFingerprint(0, 0, 0, 0) : fromSums(sum, sq, v.length, min, max);
    }

    private static TensorFingerprint ofFiniteValues(float[] v) {
        double sum = 0;
        double sq = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int finite = 0;
        for (float x : v) {
            if (Float.isFinite(x)) {
                sum += x;
                sq += (double) x * x;
                min = Math.min(min, x);
                max = Math.max(max, x);
                finite++;
            }
        }
        return finite == 0 ? new TensorFingerprint(0, 0, 0, 0) : fromSums(sum, sq, finite, min, max);
    }

    private static TensorFingerprint fromSums(double sum, double sq, int count, double min, double max) {
        double mean = sum / count;
        return new TensorFingerprint(mean, Math.sqrt(Math.max(0, sq / count - mean * mean)), min, max);
    }

    /** Relative distance, 0 for identical value sets; scaled by this tensor's magnitude. */
    public double distanceTo(TensorFingerprint other) {
        double scale = Math.max(Math.max(Math.abs(min), Math.abs(max)), 1e-30);
        double d = Math.abs(mean - other.mean) + Math.abs(std - other.std) + Math.abs(min - other.min)
                + Math.abs(max - other.max);
        return d / (4 * scale);
    }

    // Written out: isolation groups aligned tensors by fingerprint in a hash map, and the generated versions are
    // assembled from method handles on their first call, which on YOLOX-nano spun about 100 classes and set C2
    // compiling the JDK's bytecode generator (docs/performance.md, "Records' equals and hashCode written out").
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorFingerprint f && Double.compare(mean, f.mean) == 0 && Double.compare(std, f.std) == 0
                && Double.compare(min, f.min) == 0 && Double.compare(max, f.max) == 0;
    }

    @Override
    public int hashCode() {
        return ((Double.hashCode(mean) * 31 + Double.hashCode(std)) * 31 + Double.hashCode(min)) * 31
                + Double.hashCode(max);
    }
}
