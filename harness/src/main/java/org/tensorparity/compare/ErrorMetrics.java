package org.tensorparity.compare;

/**
 * What a comparison observed, whatever the verdict: enough to tell which tolerance would have passed.
 *
 * <p>Notation: {@code r} is a reference value (the ONNX side), {@code c} the candidate value at the same
 * logical position (the TFLite side, after undoing its layout), {@code d = r - c}. A pair is
 * <em>finite</em> when both values are finite; the error statistics below are taken over finite pairs
 * only. A pair with a NaN or an infinity is either a <em>matching non-finite</em> pair (both NaN, or both
 * the same infinity), which counts as agreement, or a <em>non-finite mismatch</em> (anything else), which
 * always violates the rule.
 *
 * <p>Arithmetic: {@code |d|} is the float32 difference {@code |r - c|} rounded once (as numpy computes it
 * for float32 arrays), except that a difference too large for float32 is taken in double precision. Ratios
 * and maxima are exact on those values. Sums are accumulated in float32 over at most 32 values, added
 * pairwise, and then in double, so {@link #meanAbs()}, {@link #rmse()} and {@link #cosine()} carry a
 * relative error below 3e-6 (typically far less).
 *
 * @param elementCount number of element pairs (the reference's element count)
 * @param finiteCount pairs where both values are finite: the population of the error statistics
 * @param maxAbs {@code max |d|} over finite pairs; 0 when there is none
 * @param meanAbs {@code sum |d| / finiteCount}; 0 when there is no finite pair
 * @param maxRel {@code max |d| / |r|} over finite pairs with {@code r != 0} (float32 quotient); 0 when
 *     there is none. Explodes near zero by nature: 0.0 vs 7e-10 is not a pair it can judge, which is why
 *     no default rule uses it
 * @param rmse {@code sqrt(sum d^2 / finiteCount)}; 0 when there is no finite pair
 * @param cosine cosine similarity {@code sum rc / sqrt(sum r^2 * sum c^2)} over finite pairs, clamped to
 *     [-1, 1]: 1 when both vectors are all zeros, 0 when exactly one is, and NaN when there are fewer than
 *     2 finite pairs (for a single element it would only say whether the signs agree). Accurate to about
 *     3e-6, so values within that of 1 all mean "same direction"
 * @param sqnrDb signal-to-quantization-noise ratio of the candidate, {@code 10 log10(sum r^2 / sum d^2)} over finite
 *     pairs, in dB (the figure quantization debuggers quote: 40 dB is an error 1% of the signal's RMS);
 *     {@code +Infinity} when nothing differs, NaN when there is no finite pair or the reference is all zeros
 * @param scale {@code max |r|} over finite reference values (paired or not); 0 when there is none. The
 *     yardstick of {@link ScaleRule}
 * @param normalizedMaxError {@code maxAbs / scale}: the smallest {@link ScaleRule} tolerance this pair
 *     would pass (floor aside). 0 when {@code maxAbs == 0}; {@code +Infinity} when {@code scale == 0} and
 *     {@code maxAbs > 0}
 * @param reference what the reference contained (finite range, NaN and infinity counts)
 * @param candidate what the candidate contained
 * @param matchingNonFinite pairs that are both NaN or both the same infinity (agreement, reported)
 * @param nonFiniteMismatches pairs with a NaN or infinity that the other side does not match
 * @param violations pairs that break the rule, including every non-finite mismatch; the verdict is
 *     {@link Verdict#PASS} exactly when this is 0 and the rule's RMS bound, if it has one, holds
 * @param worst the worst pair: the first non-finite mismatch when there is one, otherwise the finite pair
 *     with the largest {@code |d|} (the lowest reference offset among equals); null only when no pair
 *     qualifies (an empty tensor, or every pair is a matching non-finite pair)
 * @param histogram how {@code |d|} is distributed over the finite pairs, by power of two
 * @param channels the largest {@code |d|} per channel (axis 1 of the reference); null below rank 2
 */
public record ErrorMetrics(
        long elementCount,
        long finiteCount,
        double maxAbs,
        double meanAbs,
        double maxRel,
        double rmse,
        double cosine,
        double sqnrDb,
        double scale,
        double normalizedMaxError,
        ValueRange reference,
        ValueRange candidate,
        long matchingNonFinite,
        long nonFiniteMismatches,
        long violations,
        ElementPair worst,
        ErrorHistogram histogram,
        ChannelErrors channels) {
    public ErrorMetrics {
        java.util.Objects.requireNonNull(reference, "reference");
        java.util.Objects.requireNonNull(candidate, "candidate");
        java.util.Objects.requireNonNull(histogram, "histogram");
    }

    /** True when a cosine similarity is defined (at least 2 finite pairs). */
    public boolean hasCosine() {
        return !Double.isNaN(cosine);
    }
}
