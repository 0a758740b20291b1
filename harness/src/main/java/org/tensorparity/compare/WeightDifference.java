package org.tensorparity.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tensorparity.text.ShortNumber;

/**
 * How two versions of one layer's weights differ, once the converted ones are known to reproduce what the converted
 * layer computes: compared directly, element by element, in the reference's layout with the output channels first.
 * The first of these that fits every element (within {@link #SAME}) is the answer: the converted weights sit on a
 * coarser number grid ({@link DiagnosisKind#PRECISION}), only the bias differs ({@link DiagnosisKind#OFFSET}), some
 * output channels are scaled ({@link DiagnosisKind#SCALE}), output channels are permuted ({@link DiagnosisKind#PERMUTATION}), the kernel is
 * flipped ({@link DiagnosisKind#KERNEL_FLIP}) or the matrix transposed ({@link DiagnosisKind#TRANSPOSE}); else
 * {@link DiagnosisKind#WEIGHTS_OTHER}.
 */
public final class WeightDifference {
    /**
     * Two weights agree when they differ by at most this share of the kernel's largest magnitude. A BatchNorm folded
     * in float32 moves a weight by a few float32 roundings (1e-7 of it); a correct conversion whose BatchNorm is folded
     * on one side only (the corpus's UltraFace port) adds up to 2.6e-4 of scale alone; the changes told here move the weights they touch
     * by a third or more (a channel x1.5, channels swapped, a kernel flipped). Rounding to a coarser grid (bfloat16
     * moves a weight by up to 3.9e-3 of it) is told by the grid itself, first.
     */
    static final double SAME = 1e-3;
    /** A channel's factor within this of 1 is no scaling: what {@link #SAME} lets the weights differ by. */
    private static final double UNSCALED = SAME;
    /** Most differing channels searched for a permutation: each is compared with every channel. */
    private static final int MAX_PERMUTED = 256;

    /**
     * One side's weights, output channels first.
     *
     * @param kernel the weights, row-major
     * @param shape their shape; {@code shape[0]} is the output channels
     * @param bias one value per output channel, or null for none (zeros)
     */
    public record Weights(float[] kernel, int[] shape, float[] bias) {
        /** How many output channels. */
        public int channels() {
            return shape[0];
        }

        /** How many weights each output channel has. */
        public int perChannel() {
            return kernel.length / shape[0];
        }

        /** The bias of channel {@code c}; 0 without a bias. */
        public double bias(int c) {
            return bias == null ? 0 : bias[c];
        }
    }

    /** The kind, and what changed in words (channels, factors, the grid). */
    public record Found(DiagnosisKind kind, String detail) {
    }

    private WeightDifference() {
    }

    /**
     * How {@code converted} differs from {@code reference} (same shapes).
     *
     * @throws IllegalArgumentException when the shapes differ
     */
    public static Found of(Weights reference, Weights converted) {
        if (!java.util.Arrays.equals(reference.shape(), converted.shape())) {
            throw new IllegalArgumentException("weights of shapes " + java.util.Arrays.toString(reference.shape())
                    + " and " + java.util.Arrays.toString(converted.shape()));
        }
        double tol = SAME * Math.max(maxAbs(reference.kernel()), Float.MIN_NORMAL);
        double biasTol = biasTolerance(reference, converted);
        int channels = reference.channels();
        boolean kernelSame = close(reference.kernel(), converted.kernel(), tol);
        List<Integer> biasDiffers = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            if (Math.abs(reference.bias(c) - converted.bias(c)) > biasTol) {
                biasDiffers.add(c);
            }
        }
        Found grid = WeightGrids.precision(reference.kernel(), converted.kernel());
        if (grid != null && !biasDiffers.isEmpty()) {
            // A float16 model's weights sit on the float16 grid by design: what changed besides is the bias.
            Found offset = offset(reference, converted, biasDiffers);
            return new Found(offset.kind(), offset.detail() + " (" + grid.detail() + " besides)");
        }
        if (grid != null) {
            return grid;
        }
        if (kernelSame) {
            return offset(reference, converted, biasDiffers);
        }
        Found scaled = scaled(reference, converted, tol, biasDiffers);
        if (scaled != null) {
            return scaled;
        }
        Found permuted = permuted(reference, converted, tol, biasTol, "output");
        if (permuted != null) {
            return permuted;
        }
        if (biasDiffers.isEmpty()) {
            // The weights permuted and the bias left in place: a bias added by an operator of its own keeps its order.
            Found weightsOnly = permuted(new Weights(reference.kernel(), reference.shape(), null),
                    new Weights(converted.kernel(), converted.shape(), null), tol, biasTol, "output");
            if (weightsOnly != null) {
                return new Found(weightsOnly.kind(), weightsOnly.detail() + " (their weights; the bias stays)");
            }
        }
        if (reference.shape().length >= 2 && reference.shape()[1] > 1 && biasDiffers.isEmpty()) {
            // Input channels permuted (an RGB model fed BGR): the same search with the first two axes swapped.
            Found inputs = permuted(inputsFirst(reference), inputsFirst(converted), tol, Double.POSITIVE_INFINITY,
                    "input");
            if (inputs != null) {
                return inputs;
            }
        }
        if (reference.shape().length >= 3 && close(flipped(reference.kernel(), reference.shape()), converted.kernel(), tol)) {
            return new Found(DiagnosisKind.KERNEL_FLIP, "the kernel flipped spatially");
        }
        if (reference.shape().length == 2 && close(transposed(reference.kernel(), reference.shape()[0],
                reference.shape()[1]), converted.kernel(), tol)) {
            return new Found(DiagnosisKind.TRANSPOSE, "the " + reference.shape()[0] + "x" + reference.shape()[1]
                    + " weight matrix read transposed (its transpose's values in its own shape)");
        }
        int differing = 0;
        for (int c = 0; c < channels; c++) {
            if (!channelClose(reference, c, converted, c, tol)) {
                differing++;
            }
        }
        return new Found(DiagnosisKind.WEIGHTS_OTHER, String.format(Locale.ROOT,
                "weights differ on %d of %d output channels, by up to %s of their largest", differing, channels,
                ShortNumber.format(maxDiff(reference.kernel(), converted.kernel()) / Math.max(maxAbs(reference.kernel()),
                        Float.MIN_NORMAL))));
    }

    /**
     * How a constant added (a bias, a LayerNorm's beta, a BatchNorm's shift left as an Add) differs: always an
     * {@link DiagnosisKind#OFFSET}, by channel, unless the two agree.
     */
    public static Found ofOffset(float[] reference, float[] converted) {
        Weights r = new Weights(new float[reference.length], new int[] {reference.length, 1}, reference);
        Weights c = new Weights(new float[converted.length], new int[] {converted.length, 1}, converted);
        return of(r, c);
    }

    private static Found offset(Weights reference, Weights converted, List<Integer> differs) {
        int channels = reference.channels();
        if (differs.isEmpty()) {
            return new Found(DiagnosisKind.WEIGHTS_OTHER, "the weights agree within " + ShortNumber.format(SAME)
                    + " of their largest");
        }
        if (maxAbs(converted.bias()) == 0) {
            return new Found(DiagnosisKind.OFFSET, String.format(Locale.ROOT,
                    "the bias dropped: the converted layer adds none where the reference adds up to %s",
                    ShortNumber.format(maxAbs(reference.bias()))));
        }
        if (maxAbs(reference.bias()) == 0) {
            return new Found(DiagnosisKind.OFFSET, String.format(Locale.ROOT,
                    "a bias added: up to %s where the reference adds none", ShortNumber.format(maxAbs(converted.bias()))));
        }
        double worst = 0;
        for (int c : differs) {
            worst = Math.max(worst, Math.abs(reference.bias(c) - converted.bias(c)));
        }
        return new Found(DiagnosisKind.OFFSET, String.format(Locale.ROOT, "the bias changed on %s, by up to %s",
                differs.size() == channels ? "all " + channels + " output channels" : channelList(differs),
                ShortNumber.format(worst)));
    }

    /** Each output channel a multiple of the reference's, some by a factor other than 1; bias changes only there. */
    private static Found scaled(Weights reference, Weights converted, double tol, List<Integer> biasDiffers) {
        int channels = reference.channels();
        int n = reference.perChannel();
        List<Integer> scaledChannels = new ArrayList<>();
        List<Double> factors = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            double dot = 0;
            double norm = 0;
            for (int i = c * n; i < (c + 1) * n; i++) {
                dot += (double) reference.kernel()[i] * converted.kernel()[i];
                norm += (double) reference.kernel()[i] * reference.kernel()[i];
            }
            double r = norm == 0 ? 1 : dot / norm;
            for (int i = c * n; i < (c + 1) * n; i++) {
                if (Math.abs(converted.kernel()[i] - r * reference.kernel()[i]) > tol) {
                    return null;
                }
            }
            if (Math.abs(r - 1) > UNSCALED) {
                scaledChannels.add(c);
                factors.add(r);
            }
        }
        if (scaledChannels.isEmpty() || !scaledChannels.containsAll(biasDiffers)) {
            return null;
        }
        String detail;
        if (scaledChannels.size() == channels && channels > 1) {
            double lo = factors.stream().mapToDouble(Double::doubleValue).min().orElse(1);
            double hi = factors.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            detail = "all " + channels + " output channels scaled, by " + (Math.abs(hi - lo) <= UNSCALED
                    ? ShortNumber.factor(lo) : ShortNumber.factor(lo) + " to " + ShortNumber.factor(hi));
        } else {
            StringBuilder b = new StringBuilder(scaledChannels.size() == 1 ? "output channel " : "output channels ");
            int shown = Math.min(scaledChannels.size(), 8);
            for (int k = 0; k < shown; k++) {
                b.append(k == 0 ? "" : ", ").append(scaledChannels.get(k)).append(' ')
                        .append(ShortNumber.factor(factors.get(k)));
            }
            if (shown < scaledChannels.size()) {
                b.append(" and ").append(scaledChannels.size() - shown).append(" more");
            }
            detail = b.append(" (of ").append(channels).append(')').toString();
        }
        return new Found(DiagnosisKind.SCALE, detail);
    }

    /**
     * Every differing channel along the first axis holds another one's weights (and bias), each taken once; {@code
     * which} names the channels ({@code output}, {@code input}).
     */
    private static Found permuted(Weights reference, Weights converted, double tol, double biasTol, String which) {
        int channels = reference.channels();
        List<Integer> differing = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            if (!channelClose(reference, c, converted, c, tol)) {
                differing.add(c);
            }
        }
        if (differing.size() < 2 || differing.size() > MAX_PERMUTED) {
            return null;
        }
        int[] source = new int[differing.size()];
        boolean[] taken = new boolean[channels];
        for (int k = 0; k < differing.size(); k++) {
            int c = differing.get(k);
            source[k] = -1;
            for (int d : differing) {
                if (!taken[d] && d != c && channelClose(reference, d, converted, c, tol)
                        && Math.abs(reference.bias(d) - converted.bias(c)) <= biasTol) {
                    source[k] = d;
                    taken[d] = true;
                    break;
                }
            }
            if (source[k] < 0) {
                return null;
            }
        }
        if (differing.size() == 2) {
            return new Found(DiagnosisKind.PERMUTATION, which + " channels " + differing.get(0) + " and "
                    + differing.get(1) + " swapped");
        }
        StringBuilder b = new StringBuilder(which + " channels permuted: ");
        int shown = Math.min(differing.size(), 8);
        for (int k = 0; k < shown; k++) {
            b.append(k == 0 ? "" : ", ").append(differing.get(k)).append(" holds ").append(source[k]);
        }
        if (shown < differing.size()) {
            b.append(" and ").append(differing.size() - shown).append(" more");
        }
        return new Found(DiagnosisKind.PERMUTATION, b.toString());
    }

    private static boolean channelClose(Weights a, int ca, Weights b, int cb, double tol) {
        int n = a.perChannel();
        for (int i = 0; i < n; i++) {
            if (Math.abs(a.kernel()[ca * n + i] - b.kernel()[cb * n + i]) > tol) {
                return false;
            }
        }
        return true;
    }

    /** The weights with their first two axes swapped ({@code [in, out, ...]}), without a bias. */
    private static Weights inputsFirst(Weights w) {
        int[] shape = w.shape();
        int out = shape[0];
        int in = shape[1];
        int inner = w.kernel().length / (out * in);
        float[] v = new float[w.kernel().length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                System.arraycopy(w.kernel(), (o * in + i) * inner, v, (i * out + o) * inner, inner);
            }
        }
        int[] swapped = shape.clone();
        swapped[0] = in;
        swapped[1] = out;
        return new Weights(v, swapped, null);
    }

    /** The kernel flipped along every axis after the first two ({@code [O, I, spatial...]}). */
    static float[] flipped(float[] v, int[] shape) {
        int spatial = 1;
        for (int i = 2; i < shape.length; i++) {
            spatial *= shape[i];
        }
        // Flipping every spatial axis reverses each [spatial] block in row-major order.
        float[] out = new float[v.length];
        for (int block = 0; block < v.length / spatial; block++) {
            for (int i = 0; i < spatial; i++) {
                out[block * spatial + i] = v[block * spatial + spatial - 1 - i];
            }
        }
        return out;
    }

    /**
     * Whether quantized {@code converted} weights are {@code reference}'s matrix read transposed (its transpose's
     * values in its own shape), each within a step of its output channel's {@code scales}: the
     * {@link DiagnosisKind#TRANSPOSE} that {@link #of}'s float tolerance cannot see through int8 rounding.
     */
    public static Optional<Found> ofQuantizedTranspose(Weights reference, float[] converted, float[] scales,
            String storage) {
        int[] shape = reference.shape();
        if (shape.length != 2 || shape[0] < 2 || shape[1] < 2) {
            return Optional.empty();
        }
        float[] read = transposed(reference.kernel(), shape[0], shape[1]);
        for (int i = 0; i < read.length; i++) {
            if (!(Math.abs(read[i] - converted[i]) <= scales[i / shape[1]])) {
                return Optional.empty();
            }
        }
        return Optional.of(new Found(DiagnosisKind.TRANSPOSE, "the " + shape[0] + "x" + shape[1]
                + " weight matrix read transposed (its transpose's values in its own shape), each " + storage
                + " weight within a step"));
    }

    /** The transpose's values of a {@code rows} x {@code cols} matrix, in row-major order (its own shape kept). */
    private static float[] transposed(float[] v, int rows, int cols) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = v[r * cols + c];
            }
        }
        return out;
    }


    private static String channelList(List<Integer> channels) {
        List<Integer> shown = channels.subList(0, Math.min(channels.size(), 8));
        StringBuilder b = new StringBuilder(channels.size() == 1 ? "output channel " : "output channels ");
        for (int k = 0; k < shown.size(); k++) {
            b.append(k == 0 ? "" : ", ").append(shown.get(k));
        }
        if (shown.size() < channels.size()) {
            b.append(" and ").append(channels.size() - shown.size()).append(" more");
        }
        return b.toString();
    }

    private static boolean close(float[] a, float[] b, double tol) {
        for (int i = 0; i < a.length; i++) {
            if (Math.abs(a[i] - b[i]) > tol) {
                return false;
            }
        }
        return true;
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }

    /**
     * How far two biases may differ and agree: {@link #SAME} of the larger of their largest magnitude and the
     * reference weights'. A bias is added to sums of weights times inputs: one that moves by less than a weight may
     * moves the output less than such a weight does on a unit input. Near-zero biases on both sides (a bias unfolded
     * from a BatchNorm) then agree, rather than by a share of their own rounding noise.
     */
    static double biasTolerance(Weights reference, Weights converted) {
        return SAME * Math.max(Math.max(maxAbs(reference.bias()), maxAbs(converted.bias())),
                Math.max(maxAbs(reference.kernel()), Float.MIN_NORMAL));
    }

    static double maxAbs(float[] v) {
        double m = 0;
        if (v != null) {
            for (float x : v) {
                m = Math.max(m, Math.abs(x));
            }
        }
        return m;
    }
}
