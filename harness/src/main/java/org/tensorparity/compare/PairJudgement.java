package org.tensorparity.compare;

import org.tensorparity.tensor.Permutation;

/**
 * The verdict on one aligned pair.
 *
 * @param verdict pass or fail
 * @param reason why it failed, or empty
 * @param comparison the comparison under {@code layout}; null on a shape mismatch
 * @param layout the permutation the values were compared under; null on a shape mismatch
 * @param layoutAnomaly true when the values agree only under {@code layout}, a permutation no converter
 *     should produce (this fails the pair)
 * @param expectedLayout with a layout anomaly: the canonical layout that fits the shapes but not the
 *     values, or null when no canonical layout even fits the shapes
 * @param shapeMismatch true when no permutation makes the shapes equal
 */
public record PairJudgement(Verdict verdict, String reason, Comparison comparison, Permutation layout,
        boolean layoutAnomaly, Permutation expectedLayout, boolean shapeMismatch) {

    static PairJudgement shapeMismatch(String reason) {
        return new PairJudgement(Verdict.FAIL, reason, null, null, false, null, true);
    }

    static PairJudgement compared(Comparison c, Permutation layout) {
        return new PairJudgement(c.verdict(), c.reason(), c, layout, false, null, false);
    }

    static PairJudgement anomaly(Comparison c, Permutation observed, Permutation expected) {
        String reason = "layout anomaly: values agree only under permutation " + observed
                + (expected == null ? ", which no converter should produce" : ", not the expected " + expected)
                + " (axes swapped)";
        return new PairJudgement(Verdict.FAIL, reason, c, observed, true, expected, false);
    }
}
