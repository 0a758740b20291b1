package org.tensorparity.compare;

import java.util.List;

/**
 * One element of a compared pair, located in both layouts.
 *
 * @param referenceFlatIndex row-major offset in the reference tensor
 * @param referenceIndex the multi-index in the reference layout
 * @param candidateFlatIndex row-major offset in the candidate tensor
 * @param candidateIndex the multi-index in the candidate layout (the reference index permuted)
 * @param referenceValue the reference value there
 * @param candidateValue the candidate value there
 */
public record ElementPair(
        long referenceFlatIndex,
        List<Integer> referenceIndex,
        long candidateFlatIndex,
        List<Integer> candidateIndex,
        float referenceValue,
        float candidateValue) {
    public ElementPair {
        referenceIndex = List.copyOf(referenceIndex);
        candidateIndex = List.copyOf(candidateIndex);
    }

    /** {@code |reference - candidate|} in double precision; NaN or infinite when a value is not finite. */
    public double absoluteError() {
        return Math.abs((double) referenceValue - (double) candidateValue);
    }
}
