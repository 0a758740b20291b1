package org.tensorparity.run;

/** Which aligned pairs get their isolated error measured ({@code --isolate}). */
public enum IsolationMode {
    /** Every aligned pair: ranks every layer by the error it adds (what a quantized model's user asks). */
    ALL,
    /**
     * The pairs that can explain or change the verdict: those upstream of a failure (a failing output or layer),
     * and those whose accumulated error already breaks the isolation rule. A pair whose accumulated error is within
     * that rule cannot add more than it by itself (its inputs differ by no more than rounding), so a correct
     * float32 conversion, whose layers stay near float rounding, isolates nothing and costs nothing extra.
     */
    AUTO,
    /** None: the first divergence is located by accumulated error alone, and the outputs decide. */
    OFF
}
