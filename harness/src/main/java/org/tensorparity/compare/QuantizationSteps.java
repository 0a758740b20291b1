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
 * @param saturatedShare the share (0..1) of the candidate's values at the ends of its code range: values
 *     beyond the range the model was calibrated for, clipped. Codes at the lowest end are not counted when
 *     the zero point sits there (a ReLU output's zeros)
 */
public record QuantizationSteps(String quantization, double step, double maxAbsSteps, double rmseSteps,
        double saturatedShare) {

    /** The figures of {@code metrics} for the quantized {@code candidate}; null when it is not quantized. */
    public static QuantizationSteps of(ErrorMetrics metrics, Tensor candidate) {
        Quantization q = candidate.quantization();
        if (q == null || metrics == null) {
            return null;
        }
        double step = q.maxScale();
        return new QuantizationSteps(q.toString(), step, metrics.maxAbs() / step, metrics.rmse() / step,
                saturatedShare(candidate, q));
    }

    private static double saturatedShare(Tensor t, Quantization q) {
        float[] v = t.data();
        if (v.length == 0) {
            return 0;
        }
        long saturated = 0;
        for (int i = 0; i < v.length; i++) {
            int c = q.channelOf(i, t.shape());
            long code = Math.round(v[i] / (double) q.scale(c)) + q.zeroPoint(c);
            if (code >= q.maxCode() || (code <= q.minCode() && q.zeroPoint(c) != q.minCode())) {
                saturated++;
            }
        }
        return (double) saturated / v.length;
    }
}
