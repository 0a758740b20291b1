package org.tensorparity.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A BatchNormalization as a converter folds it into the weighted operator before it: each output channel's weights
 * scaled by {@code s = gamma / sqrt(var + eps)}, its bias made {@code (b - mean) * s + beta}. The diagnosis compares
 * weights on either side of the fold: the reference folded as the converter should have, or the converted weights
 * unfolded by the reference's BatchNormalization.
 *
 * @param gamma the scale, one per output channel
 * @param beta the shift
 * @param mean the running mean
 * @param var the running variance
 * @param eps the epsilon added to the variance
 */
public record BatchNormFold(float[] gamma, float[] beta, float[] mean, float[] var, double eps) {

    private double factor(int c) {
        return gamma[c] / Math.sqrt(var[c] + eps);
    }

    /** {@code weights} (output channels first) with this BatchNormalization folded in; a null bias reads as zeros. */
    public WeightDifference.Weights fold(WeightDifference.Weights weights) {
        int channels = weights.channels();
        int n = weights.perChannel();
        float[] kernel = new float[weights.kernel().length];
        float[] bias = new float[channels];
        for (int c = 0; c < channels; c++) {
            double s = factor(c);
            for (int i = c * n; i < (c + 1) * n; i++) {
                kernel[i] = (float) (weights.kernel()[i] * s);
            }
            bias[c] = (float) ((weights.bias(c) - mean[c]) * s + beta[c]);
        }
        return new WeightDifference.Weights(kernel, weights.shape(), bias);
    }

    /**
     * Folded weights with this BatchNormalization taken out again: what the operator before it held. Null when a
     * channel's factor is zero (its weights are lost in the fold).
     */
    public WeightDifference.Weights unfold(WeightDifference.Weights folded) {
        int channels = folded.channels();
        int n = folded.perChannel();
        float[] kernel = new float[folded.kernel().length];
        float[] bias = new float[channels];
        for (int c = 0; c < channels; c++) {
            double s = factor(c);
            if (s == 0) {
                return null;
            }
            for (int i = c * n; i < (c + 1) * n; i++) {
                kernel[i] = (float) (folded.kernel()[i] / s);
            }
            bias[c] = (float) ((folded.bias(c) - beta[c]) / s + mean[c]);
        }
        return new WeightDifference.Weights(kernel, folded.shape(), bias);
    }

    /**
     * The epsilon a converter folded with, if {@code folded} holds {@code unfolded} (the operator's own weights, output
     * channels first) folded with this BatchNormalization's other parameters: each channel's factor {@code k} (least
     * squares) gives {@code (gamma / k)^2 - var}; the median over channels, at least 0. Empty when no channel tells.
     */
    public OptionalDouble impliedEpsilon(float[] unfolded, float[] folded) {
        int channels = gamma.length;
        int n = unfolded.length / channels;
        List<Double> candidates = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            double dot = 0;
            double norm = 0;
            for (int i = c * n; i < (c + 1) * n; i++) {
                dot += (double) unfolded[i] * folded[i];
                norm += (double) unfolded[i] * unfolded[i];
            }
            double k = norm == 0 ? 0 : dot / norm;
            if (k != 0 && gamma[c] != 0) {
                candidates.add((gamma[c] / k) * (gamma[c] / k) - var[c]);
            }
        }
        if (candidates.isEmpty()) {
            return OptionalDouble.empty();
        }
        candidates.sort(Double::compare);
        return OptionalDouble.of(Math.max(0, candidates.get(candidates.size() / 2)));
    }
}
