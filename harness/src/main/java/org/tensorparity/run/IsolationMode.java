package org.tensorparity.run;

/** Which aligned pairs get their isolated error measured ({@code --isolate}). */
public enum IsolationMode {
    /** Every aligned pair: ranks every layer by the error it adds (what a quantized model's user asks). */
    ALL,
    /**
     * The pairs upstream of a failure (a failing output or layer), the ones that can explain it; a run where
     * everything passes isolates nothing and costs nothing extra.
     */
    PATH,
    /** None: the first divergence is located by accumulated error alone. */
    OFF
}
