package org.tensorparity.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorparity.tensor.Shape;

/**
 * Gathers an {@link ErrorHistogram} and {@link ChannelErrors} while {@link DifferenceScanner} passes over a
 * pair, range by range, so the data is read from memory once. Mutable and not thread-safe:
 * {@link TensorComparator} keeps one per thread and {@link #reset}s it for every comparison.
 *
 * <p>Cheap by construction: the scanner hands over each block's {@code |d|} while it is in L1 cache; the
 * histogram bin of {@code |d|} is its float32 exponent, read from the bits with one add and one shift (the
 * add rounds every value up to the next power of two, which makes the bins {@code (2^(e-1), 2^e]}); and the
 * channel maxima are taken over the contiguous runs in which the channel index is constant (a channel plane
 * of NCHW), on the integer bits of {@code |d|}, which order like the non-negative floats they encode. The
 * histogram's counter increments cannot be vectorized and are most of the cost: about 1 ns per element pair
 * on the 2-core CI machine, adding a third to a half to an untransposed comparison (docs/performance.md).
 */
final class ErrorProfiler {
    /** Histogram slots by biased exponent of {@code |d|} rounded up: 0 is exactly zero, 255 is beyond 2^127. */
    private static final int SLOTS = 256;
    private static final int EXPONENT_BIAS = 127;
    private static final int INFINITY_BITS = 0x7f800000;

    /** Pair counts by {@link #slot}. */
    private final long[] slots = new long[SLOTS];
    private final int[] binMaxBits = new int[ChannelErrors.MAX_BINS];
    /** Bins holding a non-finite mismatch or an overflowing difference: their maximum is +Infinity. */
    private final boolean[] binUnbounded = new boolean[ChannelErrors.MAX_BINS];
    private boolean hasChannels;
    private int channels;
    private int channelsPerBin;
    private int bins;
    /** Elements per channel plane: the product of the dimensions after the channel axis. */
    private long planeSize;

    /** Starts a comparison of tensors with the reference shape {@code shape}. */
    void reset(Shape shape) {
        Arrays.fill(slots, 0);
        hasChannels = shape.rank() >= 2;
        channels = hasChannels ? shape.dim(1) : 1;
        channelsPerBin = Math.max(1, (channels + ChannelErrors.MAX_BINS - 1) / ChannelErrors.MAX_BINS);
        bins = (channels + channelsPerBin - 1) / channelsPerBin;
        long plane = 1;
        for (int axis = 2; axis < shape.rank(); axis++) {
            plane *= shape.dim(axis);
        }
        // Without a channel axis the whole tensor is one run. A plane of no elements belongs to a tensor of
        // none, whose comparison adds nothing.
        planeSize = hasChannels ? Math.max(1, plane) : Long.MAX_VALUE;
        Arrays.fill(binMaxBits, 0);
        Arrays.fill(binUnbounded, false);
    }

    /** Forgets every pair added since the last {@link #reset}. */
    void clear() {
        Arrays.fill(slots, 0);
        Arrays.fill(binMaxBits, 0);
        Arrays.fill(binUnbounded, false);
    }

    /**
     * Adds the absolute differences of the pairs at offsets [offset, offset + absDiff.length), computed by
     * the scanner's blocked pass. That pass is discarded (and this profile {@link #clear}ed) when any value
     * is not finite, so a non-finite difference here only has to stay in bounds.
     */
    void addBlock(float[] absDiff, int offset) {
        int j = 0;
        int len = absDiff.length;
        while (j < len) {
            long plane = (offset + j) / planeSize;
            int end = (int) Math.min(len, (plane + 1) * planeSize - offset);
            int bin = (int) (plane % channels) / channelsPerBin;
            int maxBits = binMaxBits[bin];
            for (; j < end; j++) {
                int bits = Float.floatToRawIntBits(absDiff[j]);
                slots[slot(bits) & (SLOTS - 1)]++; // the mask only keeps a NaN in bounds
                maxBits = Math.max(maxBits, bits);
            }
            binMaxBits[bin] = maxBits;
        }
    }

    /**
     * Adds the pairs at offsets [from, to), whatever their values: the tail the blocked pass leaves, and
     * every pair of a tensor holding non-finite or huge values.
     */
    void add(float[] ref, float[] cand, int from, int to) {
        int i = from;
        while (i < to) {
            long plane = i / planeSize;
            int end = (int) Math.min(to, (plane + 1) * planeSize);
            int bin = (int) (plane % channels) / channelsPerBin;
            int maxBits = binMaxBits[bin];
            for (; i < end; i++) {
                float a = ref[i];
                float b = cand[i];
                int bits = Float.floatToRawIntBits(a - b) & 0x7fffffff;
                if (bits < INFINITY_BITS) {
                    slots[slot(bits)]++;
                    maxBits = Math.max(maxBits, bits);
                } else {
                    addNonFinite(a, b, bin);
                }
            }
            binMaxBits[bin] = maxBits;
        }
    }

    /** The histogram slot of a non-negative float given by its bits: its exponent, rounded up. */
    private static int slot(int bits) {
        return (bits + 0x7fffff) >>> 23;
    }

    /** A pair whose float32 difference is not finite: an overflow of two finite values, or a non-finite value. */
    private void addNonFinite(float a, float b, int bin) {
        if (Float.isFinite(a) && Float.isFinite(b)) {
            slots[SLOTS - 1]++; // beyond 2^127
            binUnbounded[bin] = true;
        } else if (a == a ? a != b : b == b) {
            // Not NaN with NaN, nor the same infinity: a mismatch, which the metrics count as a violation.
            binUnbounded[bin] = true;
        }
    }

    ErrorHistogram histogram() {
        int first = 1;
        while (first < SLOTS && slots[first] == 0) {
            first++;
        }
        int last = SLOTS - 1;
        while (last >= first && slots[last] == 0) {
            last--;
        }
        List<Long> counts = new ArrayList<>(Math.max(0, last - first + 1));
        for (int s = first; s <= last; s++) {
            counts.add(slots[s]);
        }
        return new ErrorHistogram(slots[0], first == SLOTS ? 0 : first - EXPONENT_BIAS, counts);
    }

    /** The channel maxima, or null for tensors without a channel axis (rank below 2). */
    ChannelErrors channelErrors() {
        if (!hasChannels) {
            return null;
        }
        List<Float> maxAbs = new ArrayList<>(bins);
        for (int k = 0; k < bins; k++) {
            maxAbs.add(binUnbounded[k] ? Float.POSITIVE_INFINITY : Float.intBitsToFloat(binMaxBits[k]));
        }
        return new ChannelErrors(1, channels, channelsPerBin, maxAbs);
    }
}
