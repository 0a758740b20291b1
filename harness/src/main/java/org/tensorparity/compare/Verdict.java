package org.tensorparity.compare;

/** The outcome of judging one tensor pair under a {@link ToleranceRule}. */
public enum Verdict {
    /** Every element pair satisfies the rule and no NaN or infinity appears on one side only. */
    PASS,
    /** At least one element pair violates the rule. */
    FAIL;

    /**
     * {@code "pass"} or {@code "fail"}, as every human format and the HTML's styles name a verdict. (The JSON
     * document names its enum values in its own writer, so that no rename here changes a published field.)
     */
    public String id() {
        return this == PASS ? "pass" : "fail";
    }
}
