package org.tensorparity.align;

import org.tensorparity.tensor.Tensor;

/**
 * Statistics of a tensor's values that no layout permutation changes, so an ONNX tensor and its NHWC
 * counterpart have the same fingerprint without knowing the permutation.
 */
public record TensorFingerprint(double mean, double std, double min, double max) {

    public static TensorFingerprint of(Tensor t) {
        float[] v = t.data();
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
        if (finite == 0) {
            return new TensorFingerprint(0, 0, 0, 0);
        }
        double mean = sum / finite;
        return new TensorFingerprint(mean, Math.sqrt(Math.max(0, sq / finite - mean * mean)), min, max);
    }

    /** Relative distance, 0 for identical value sets; scaled by this tensor's magnitude. */
    public double distanceTo(TensorFingerprint other) {
        double scale = Math.max(Math.max(Math.abs(min), Math.abs(max)), 1e-30);
        double d = Math.abs(mean - other.mean) + Math.abs(std - other.std) + Math.abs(min - other.min)
                + Math.abs(max - other.max);
        return d / (4 * scale);
    }
}
