package org.tensorparity.compare;

/**
 * Raw statistics of a run of aligned element pairs, as {@link DifferenceScanner} gathers them. Mutable and
 * internal: {@link TensorComparator} turns it into an immutable {@link ErrorMetrics}.
 */
final class PairStatistics {
    long count;
    long finiteCount;
    long refNan;
    long refInf;
    long candNan;
    long candInf;
    long matchingNonFinite;
    long nonFiniteMismatches;
    /** Offset of the first non-finite mismatch, -1 if none. */
    long firstMismatch = -1;

    /** Ranges over finite values (paired or not); +/-infinity while empty. */
    double refMin = Double.POSITIVE_INFINITY;
    double refMax = Double.NEGATIVE_INFINITY;
    double candMin = Double.POSITIVE_INFINITY;
    double candMax = Double.NEGATIVE_INFINITY;

    /** Sums over finite pairs. */
    double sumAbs;
    double sumSq;
    double sumRef2;
    double sumCand2;
    double sumDot;

    /** Largest |d| over finite pairs and the first offset attaining it; -1 / -1 while there is none. */
    double maxAbs = -1;
    long maxAbsIndex = -1;
    /** Largest |d| / |r| over finite pairs with r != 0. */
    double maxRel;

    /** Adds {@code later}, which covers offsets after every offset of this one. */
    void merge(PairStatistics later) {
        count += later.count;
        finiteCount += later.finiteCount;
        refNan += later.refNan;
        refInf += later.refInf;
        candNan += later.candNan;
        candInf += later.candInf;
        matchingNonFinite += later.matchingNonFinite;
        nonFiniteMismatches += later.nonFiniteMismatches;
        if (firstMismatch < 0) {
            firstMismatch = later.firstMismatch;
        }
        refMin = Math.min(refMin, later.refMin);
        refMax = Math.max(refMax, later.refMax);
        candMin = Math.min(candMin, later.candMin);
        candMax = Math.max(candMax, later.candMax);
        sumAbs += later.sumAbs;
        sumSq += later.sumSq;
        sumRef2 += later.sumRef2;
        sumCand2 += later.sumCand2;
        sumDot += later.sumDot;
        if (later.maxAbs > maxAbs) {
            maxAbs = later.maxAbs;
            maxAbsIndex = later.maxAbsIndex;
        }
        maxRel = Math.max(maxRel, later.maxRel);
    }

    /** {@code max |r|} over finite reference values, 0 when there is none. */
    double refScale() {
        return refMin > refMax ? 0.0 : Math.max(Math.abs(refMin), Math.abs(refMax));
    }

    /** {@code max |c|} over finite candidate values, 0 when there is none. */
    double candScale() {
        return candMin > candMax ? 0.0 : Math.max(Math.abs(candMin), Math.abs(candMax));
    }
}
