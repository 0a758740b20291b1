package org.tensorparity.compare;

import org.tensorparity.tensor.Permutation;

/**
 * The verdict on one aligned pair.
 *
 * @param verdict pass or fail
 * @param reason why it failed, or empty
 * @param comparison the comparison under {@code layout}; null on a shape mismatch
 * @param layout the permutation the values were compared under (with a layout anomaly, the canonical one
 *     that should have held); null on a shape mismatch
 * @param layoutAnomaly true when the values agree only under {@code observedLayout}, a permutation no
 *     converter should produce (this fails the pair)
 * @param observedLayout with a layout anomaly, the permutation under which the values agree
 * @param expectedLayout with a layout anomaly: the canonical layout that fits the shapes but not the
 *     values, or null when no canonical layout even fits the shapes
 * @param shapeMismatch true when no permutation makes the shapes equal
 */
public record PairJudgement(Verdict verdict, String reason, Comparison comparison, Permutation layout,
        boolean layoutAnomaly, Permutation observedLayout, Permutation expectedLayout, boolean shapeMismatch) {

    static PairJudgement shapeMismatch(String reason) {
        return new PairJudgement(Verdict.FAIL, reason, null, null, false, null, null, true);
    }

    static PairJudgement compared(Comparison c, Permutation layout) {
        return new PairJudgement(c.verdict(), c.reason(), c, layout, false, null, null, false);
    }

    /**
     * @param c the comparison to report: under {@code compared}, the expected layout when one fits
     * @param observed the permutation under which the values agree
     * @param expected the canonical layout that fits the shapes but not the values, or null
     */
    static PairJudgement anomaly(Comparison c, Permutation compared, Permutation observed, Permutation expected) {
        String reason = "layout anomaly: values agree only under permutation " + observed
                + (expected == null ? ", which no converter should produce" : ", not the expected " + expected)
                + " (axes swapped)";
        return new PairJudgement(Verdict.FAIL, reason, c, compared, true, observed, expected, false);
    }
}
