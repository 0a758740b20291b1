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
 * @param reordered true when the weights, off as mapped, are the reference's in the other order of a matrix's two axes
 *     ({@link #ofReordered}): a matrix read transposed, or not transposed where it should have been
 */
public record QuantizedWeightCheck(String storage, int channels, int channelsOff, List<Integer> firstOff,
        double worstSteps, int biasOff, boolean reordered) {
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
     * Weights a kernel of fewer than four output channels must hold, nonzero and within a step in its channels that
     * are, for its layout to count as confirmed: a layout read another way puts each weight against another one. On
     * the corpus's int8 weights (GTCRN-Micro's full-integer and dynamic-range conversions, YOLOX-nano's dynamic-range
     * one: 159 tensors), a nonzero weight lies within a step of another of its tensor drawn at random 1.4-2.2% of the
     * time, 5.2% in the worst tensor: sixteen such matches by chance, below one in 10^20.
     */
    static final int SMALL_KERNEL_SUPPORT = 16;

    /**
     * The check of {@code converted} against {@code reference}; empty when the layouts are not confirmed to
     * correspond: when more than a quarter of the channels are off by more than {@link #WITHIN_STEPS}, or, in a kernel
     * of fewer than four channels (where one channel off is more than a quarter), when none is within it or those that
     * are hold fewer than {@link #SMALL_KERNEL_SUPPORT} nonzero weights.
     *
     * @param reference the reference weights, output channels first, and their bias (null when it is not known)
     * @param converted the converted weights' real values, in the same order, and their bias (null when not known)
     * @param steps each output channel's quantization step
     * @param storage the integer type the codes are stored in, in words
     */
    public static Optional<QuantizedWeightCheck> of(WeightDifference.Weights reference,
            WeightDifference.Weights converted, float[] steps, String storage) {
        QuantizedWeightCheck check = measure(reference, converted, steps, null, storage);
        boolean confirmed = check.channelsOff * 4 <= check.channels || (check.channels < 4
                && check.channelsOff < check.channels && supportWithin(reference, converted, steps, check.firstOff)
                >= SMALL_KERNEL_SUPPORT);
        return confirmed ? Optional.of(check) : Optional.empty();
    }

    /**
     * The check of a matrix whose stored weights do not map onto the reference's ({@link #of} is empty) but hold its
     * values in the other order of its two axes: {@code otherOrder}, the same stored weights read with the axes the
     * other way round, is confirmed within {@link #WITHIN_STEPS} as {@link #of} confirms a layout. A correct conversion
     * never gets here: its weights map as they are, and only a symmetric matrix, which maps either way, reads the same
     * in both orders. Empty when the other order does not confirm either.
     *
     * @param otherSteps each reference channel's largest step among the stored weights {@code otherOrder} puts there
     */
    public static Optional<QuantizedWeightCheck> ofReordered(WeightDifference.Weights reference,
            WeightDifference.Weights converted, float[] steps, WeightDifference.Weights otherOrder,
            float[] otherSteps, String storage) {
        if (of(reference, otherOrder, otherSteps, storage).isEmpty()) {
            return Optional.empty();
        }
        QuantizedWeightCheck asMapped = measure(reference, converted, steps, null, storage);
        return Optional.of(new QuantizedWeightCheck(storage, asMapped.channels, asMapped.channelsOff,
                asMapped.firstOff, asMapped.worstSteps, 0, true));
    }

    /** How many nonzero converted weights (at least half a step) the channels not listed {@code off} hold. */
    private static int supportWithin(WeightDifference.Weights reference, WeightDifference.Weights converted,
            float[] steps, List<Integer> off) {
        int n = reference.perChannel();
        int support = 0;
        for (int c = 0; c < reference.channels(); c++) {
            if (!off.contains(c)) {
                for (int i = c * n; i < (c + 1) * n; i++) {
                    if (Math.abs(converted.kernel()[i]) >= steps[c] / 2) {
                        support++;
                    }
                }
            }
        }
        return support;
    }

    /**
     * The check of a BatchNormalization a converter kept as elementwise operators: its stored factors (one per channel,
     * {@code converted}'s kernel) and shifts (its bias) against the reference's, each within {@link #WITHIN_STEPS} of
     * its own step. No channel count confirms the correspondence here: the caller has proven it from the graphs (the
     * converted operators read the very tensor the reference's is fed, along its channel axis), and a zero point
     * shifted moves every channel alike.
     *
     * @param reference the reference's factors ({@code [channels, 1]}) and shifts (null when not compared)
     * @param converted the converted factors and shifts in the same channel order
     * @param steps each channel's factor step
     * @param biasSteps each channel's shift step; null when the shifts are stored as floats, compared as a bias is
     */
    public static QuantizedWeightCheck ofFactors(WeightDifference.Weights reference,
            WeightDifference.Weights converted, float[] steps, float[] biasSteps, String storage) {
        return measure(reference, converted, steps, biasSteps, storage);
    }

    private static QuantizedWeightCheck measure(WeightDifference.Weights reference,
            WeightDifference.Weights converted, float[] steps, float[] biasSteps, String storage) {
        int channels = reference.channels();
        int n = reference.perChannel();
        List<Integer> off = new ArrayList<>();
        double worst = 0;
        for (int c = 0; c < channels; c++) {
            double channelDiff = 0;
            for (int i = c * n; i < (c + 1) * n; i++) {
                channelDiff = Math.max(channelDiff, Math.abs(reference.kernel()[i] - converted.kernel()[i]));
            }
            double channelWorst = inSteps(channelDiff, steps[c]);
            worst = Math.max(worst, channelWorst);
            if (!(channelWorst <= WITHIN_STEPS)) {
                off.add(c);
            }
        }
        int biasOff = 0;
        if (reference.bias() != null && converted.bias() != null) {
            // As the diagnosis compares biases: a BatchNorm folded in float32 moves one by a few roundings.
            double tol = WeightDifference.biasTolerance(reference, converted);
            for (int c = 0; c < channels; c++) {
                double diff = Math.abs(reference.bias(c) - converted.bias(c));
                if (!(biasSteps == null ? diff <= tol : inSteps(diff, biasSteps[c]) <= WITHIN_STEPS)) {
                    biasOff++;
                }
            }
        }
        return new QuantizedWeightCheck(storage, channels, off.size(), off.subList(0, Math.min(off.size(), SHOWN)),
                worst, biasOff, false);
    }

    /** A difference in steps; a zero step (an all-zero channel's) makes any difference off, by a finite count. */
    private static double inSteps(double diff, float step) {
        return diff == 0 ? 0 : diff / Math.max(step, Float.MIN_VALUE);
    }

    /**
     * True when some channel holds a weight beyond {@link #WITHIN_STEPS}, or a bias beyond its tolerance, or the
     * weights are in the other order: the converted operator's constants were changed.
     */
    public boolean differs() {
        return channelsOff > 0 || biasOff > 0 || reordered;
    }

    /** The finding in words, to follow "its" or "by itself its". */
    public String describe() {
        if (reordered) {
            return storage + " weights hold the ONNX weights in the other order of the matrix's two axes (one of the"
                    + " two read transposed): as mapped, " + channelsOff + " of " + channels
                    + " output channels are off, by up to " + ShortNumber.format(worstSteps) + " steps";
        }
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
        return biasOff == 0 ? b.toString() : b.append(", and its bias in ").append(biasOff)
                .append(biasOff == 1 ? " channel" : " channels").toString();
    }
}
