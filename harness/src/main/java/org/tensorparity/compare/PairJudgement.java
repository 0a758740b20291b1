package org.tensorparity.compare;

import org.tensorparity.tensor.TensorLayout;

/**
 * The verdict on one aligned pair.
 *
 * @param verdict pass or fail
 * @param reason why it failed, or empty
 * @param comparison the comparison under {@code layout}; null on a shape mismatch
 * @param layout the layout the values were compared under (with a layout anomaly, the one that should have
 *     held); null on a shape mismatch
 * @param layoutAnomaly true when the values agree only under {@code observedLayout}, which no converter
 *     step explains (this fails the pair)
 * @param observedLayout with a layout anomaly, the layout under which the values agree
 * @param shapeMismatch true when no layout makes the shapes equal
 */
public record PairJudgement(Verdict verdict, String reason, Comparison comparison, TensorLayout layout,
        boolean layoutAnomaly, TensorLayout observedLayout, boolean shapeMismatch) {

    static PairJudgement shapeMismatch(String reason) {
        return new PairJudgement(Verdict.FAIL, reason, null, null, false, null, true);
    }

    static PairJudgement compared(Comparison c, TensorLayout layout) {
        return new PairJudgement(c.verdict(), c.reason(), c, layout, false, null, false);
    }

    /**
     * @param c the comparison under {@code expected}, which failed
     * @param observed the layout under which the values agree
     */
    static PairJudgement anomaly(Comparison c, TensorLayout expected, TensorLayout observed) {
        String reason = "layout anomaly: values agree only under permutation " + observed.permutation()
                + ", not the expected " + expected.permutation() + " (axes swapped)";
        return new PairJudgement(Verdict.FAIL, reason, c, expected, true, observed, false);
    }
}
