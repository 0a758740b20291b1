package org.tensorparity.align;

import org.tensorparity.tensor.Tensor;

/**
 * Statistics of a tensor's values that no layout permutation changes, so an ONNX tensor and its NHWC
 * counterpart have the same fingerprint without knowing the permutation.
 */
public record TensorFingerprint(double mean, double std, double min, double max) {
    /**
     * Values read in place read at a time: 64 KB, which stay in the L2 cache while they are summed. Such a tensor (a
     * TFLite capture) is never copied to the heap whole.
     */
    private static final int CHUNK = 16 * 1024;

    /**
     * The statistics of {@code t}'s finite values. One loop without branches serves the common case, all values
     * finite (their sum then is): it runs over every captured tensor of both models, 14 M values on the full-size
     * DaSiamRPN detection pair, mostly before the JIT has compiled it, and took 27-39 ms there against 49-88 ms
     * for a loop that tested each value and took minima with {@code Math.min} (2-core CI machine). A loop with
     * four sums unrolled took 75-123 ms: longer to compile than it saved. Any NaN or infinity: the slow loop.
     */
    public static TensorFingerprint of(Tensor t) {
        int n = t.size();
        if (n == 0) {
            return new TensorFingerprint(0, 0, 0, 0);
        }
        Sums all = new Sums();
        // Read once (a spilled tensor reads its values back from disk on every data()), or a part at a time in place.
        float[] values = t.readsInPlace() ? null : t.data();
        float[] chunk = values == null ? new float[Math.min(n, CHUNK)] : null;
        forEachChunk(t, values, chunk, all::addAll);
        if (Double.isFinite(all.sum)) {
            return fromSums(all.sum, all.sq, n, all.min, all.max);
        }
        Sums finite = new Sums();
        forEachChunk(t, values, chunk, finite::addFinite);
        return finite.count == 0 ? new TensorFingerprint(0, 0, 0, 0)
                : fromSums(finite.sum, finite.sq, finite.count, finite.min, finite.max);
    }

    /** Values {@code [from, to)} of {@code v}, in order. */
    private interface Part {
        void add(float[] v, int from, int to);
    }

    /** Hands {@code t}'s values to {@code part} in order: {@code values} at once, or else through {@code chunk}. */
    private static void forEachChunk(Tensor t, float[] values, float[] chunk, Part part) {
        if (values != null) {
            part.add(values, 0, t.size());
            return;
        }
        for (int from = 0; from < t.size(); from += chunk.length) {
            int count = Math.min(chunk.length, t.size() - from);
            t.read(from, chunk, 0, count);
            part.add(chunk, 0, count);
        }
    }

    /** The running sums of a fingerprint, over the values handed in so far in order. */
    private static final class Sums {
        double sum;
        double sq;
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        int count;

        void addAll(float[] v, int from, int to) {
            double s = sum;
            double q = sq;
            float lo = min;
            float hi = max;
            for (int i = from; i < to; i++) {
                float x = v[i];
                s += x;
                q += (double) x * x;
                lo = x < lo ? x : lo;
                hi = x > hi ? x : hi;
            }
            sum = s;
            sq = q;
            min = lo;
            max = hi;
        }

        void addFinite(float[] v, int from, int to) {
            for (int i = from; i < to; i++) {
                float x = v[i];
                if (Float.isFinite(x)) {
                    sum += x;
                    sq += (double) x * x;
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                    count++;
                }
            }
        }
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
