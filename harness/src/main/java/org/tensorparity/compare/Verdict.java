package org.tensorparity.compare;

/** The outcome of judging one tensor pair under a {@link ToleranceRule}. */
public enum Verdict {
    /** Every element pair satisfies the rule and no NaN or infinity appears on one side only. */
    PASS,
    /** At least one element pair violates the rule. */
    FAIL;

    /** {@code "pass"} or {@code "fail"}: the stable form for JSON. */
    public String id() {
        return this == PASS ? "pass" : "fail";
    }
}
