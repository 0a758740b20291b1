package org.tensorparity.compare;

import org.tensorparity.text.ShortNumber;

/**
 * numpy's {@code allclose} rule with the reference as the relative base: every finite pair must satisfy
 *
 * <pre>  |r - c|  &lt;=  atol + rtol * |r|</pre>
 *
 * evaluated in float32 as {@code |r - c| - rtol * |r| <= atol} (see {@link ToleranceRule}); and no NaN
 * or infinity may appear on one side only. Selected by {@code --atol}/{@code --rtol}; a missing one is 0.
 * Unlike {@link ScaleRule} it judges every element on its own, so {@code atol} must be chosen for the
 * tensor's magnitude.
 *
 * @param atol absolute allowance, finite and non-negative
 * @param rtol allowance relative to {@code |r|}, finite and non-negative
 */
public record ElementwiseRule(double atol, double rtol) implements ToleranceRule {
    public ElementwiseRule {
        RuleParser.requireAllowance("atol", atol);
        RuleParser.requireAllowance("rtol", rtol);
    }

    @Override
    public String id() {
        return "elementwise";
    }

    @Override
    public String describe() {
        return "|a-b| <= " + ShortNumber.format(atol) + " + " + ShortNumber.format(rtol) + " x |ref| at every element";
    }

    @Override
    public double absoluteAllowance(double scale) {
        return atol;
    }

    @Override
    public double relativeAllowance() {
        return rtol;
    }
}
