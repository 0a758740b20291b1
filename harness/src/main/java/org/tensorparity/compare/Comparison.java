package org.tensorparity.compare;

import java.util.Objects;

/**
 * The judgement of one tensor pair: what was observed, under which rule, and the outcome.
 *
 * @param metrics everything observed, whatever the verdict
 * @param verdict {@link Verdict#PASS} exactly when {@code metrics.violations() == 0} and the RMSE is within the
 *     rule's RMS bound (rules without one have none)
 * @param rule the rule that judged the pair
 * @param reason one line saying why: for a failure the broken bound and where (e.g.
 *     {@code max |a-b| 3.1e-2 > 1e-4 x scale 12.5 at [0,3,1,1] ...}), for a pass the margin
 * @param firstViolation the violating pair with the lowest reference offset; null when the pair passes
 */
public record Comparison(
        ErrorMetrics metrics, Verdict verdict, ToleranceRule rule, String reason, ElementPair firstViolation) {
    public Comparison {
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(reason, "reason");
    }

    /** True when the verdict is {@link Verdict#PASS}. */
    public boolean passed() {
        return verdict == Verdict.PASS;
    }

    /** {@code rule().describe()}: the one-line rule text for reports. */
    public String ruleDescription() {
        return rule.describe();
    }
}
