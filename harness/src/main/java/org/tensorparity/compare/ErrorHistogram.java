package org.tensorparity.compare;

import java.util.List;

/**
 * How the absolute errors {@code |d|} of a comparison are distributed, in binary orders of magnitude: a
 * fixed-bin log histogram over the finite pairs (the population of {@link ErrorMetrics}' error
 * statistics). It tells a layer-wide drift at the rounding level from a few elements that are badly off,
 * which a maximum alone cannot. Bins are powers of two because the comparator reads them straight off the
 * float32 exponent, at no cost in its single pass; only the range from the first to the last non-empty bin
 * is kept, so a histogram is at most 255 numbers and usually a few dozen.
 *
 * @param zeros finite pairs with {@code |d| == 0}: bit-identical values (up to the sign of zero)
 * @param firstExponent the exponent {@code e} of {@code counts.get(0)}
 * @param counts {@code counts.get(k)} is the number of finite pairs with {@code 2^(e-1) < |d| <= 2^e},
 *     where {@code e = firstExponent + k}. The lowest possible bin, {@code e = -126}, also holds the float32
 *     subnormal differences below it, and the highest, {@code e = 128}, differences beyond float32's range.
 *     Empty when no finite pair differs; otherwise the first and last counts are not zero
 */
public record ErrorHistogram(long zeros, int firstExponent, List<Long> counts) {
    public ErrorHistogram {
        counts = List.copyOf(counts);
    }

    /** Finite pairs counted, zeros included. */
    public long total() {
        return zeros + counts.stream().mapToLong(Long::longValue).sum();
    }
}
