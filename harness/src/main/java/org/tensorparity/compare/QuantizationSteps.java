package org.tensorparity.compare;

import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Tensor;

/**
 * A comparison of a quantized candidate in the units that matter for it: its quantization step. Pure
 * rounding of a correct value to the nearest code gives an RMSE of 0.29 steps (1/sqrt(12)) and a max of
 * 0.5 steps; more is error the quantized computation carried in from upstream or added itself.
 *
 * @param quantization the candidate's quantization, in words
 * @param step the quantization step the figures are in: the scale, or the largest per-channel scale
 * @param maxAbsSteps {@code max |d|} in steps
 * @param rmseSteps the RMSE of {@code d} in steps
 * @param clippedShare the share (0..1) of the reference's values that lie beyond what the candidate's codes
 *     can represent (by more than half a step): values clipped at the quantized range, because the model
 *     meets values it was not calibrated for, or because an operator's fixed output range (a LOGISTIC's
 *     [0, 1)) is imposed on values outside it
 */
public record QuantizationSteps(String quantization, double step, double maxAbsSteps, double rmseSteps,
        double clippedShare) {

    /**
     * The figures of {@code metrics} for the quantized {@code candidate} against {@code reference} (any
     * layout: only the reference's values are counted); null when the candidate is not quantized.
     */
    public static QuantizationSteps of(ErrorMetrics metrics, Tensor reference, Tensor candidate) {
        Quantization q = candidate.quantization();
        if (q == null || metrics == null) {
            return null;
        }
        double step = q.maxScale();
        return new QuantizationSteps(q.toString(), step, metrics.maxAbs() / step, metrics.rmse() / step,
                clippedShare(reference, metrics.reference(), q));
    }

    /**
     * Per-channel quantization counts against the widest channel's range, so it never over-counts; TFLite
     * quantizes activations per tensor, where the range is exact. A reference whose finite range lies within
     * the codes' range (a well-calibrated tensor, the common case) clips nothing and is not read again.
     */
    private static double clippedShare(Tensor reference, ValueRange range, Quantization q) {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < q.channels(); c++) {
            low = Math.min(low, (q.minCode() - q.zeroPoint(c) - 0.5) * (double) q.scale(c));
            high = Math.max(high, (q.maxCode() - q.zeroPoint(c) + 0.5) * (double) q.scale(c));
        }
        if (!range.hasFiniteValues() || (range.min() >= low && range.max() <= high)) {
            return 0;
        }
        float[] v = reference.data();
        long finite = 0;
        long clipped = 0;
        for (float x : v) {
            if (Float.isFinite(x)) {
                finite++;
                if (x < low || x > high) {
                    clipped++;
                }
            }
        }
        return finite == 0 ? 0 : (double) clipped / finite;
    }
}
