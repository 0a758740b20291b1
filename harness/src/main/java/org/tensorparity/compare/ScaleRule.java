package org.tensorparity.compare;

/**
 * The scale-aware rule: a tensor passes when
 *
 * <pre>  max |r - c|  &lt;=  tolerance * max |r|  +  absoluteFloor</pre>
 *
 * over its finite pairs, with {@code max |r|} (the {@link ErrorMetrics#scale() scale}) taken over the
 * reference's finite values; and no NaN or infinity appears on one side only. Equivalently, every
 * element's {@code |r - c|} must stay within {@code tolerance * scale + absoluteFloor}.
 *
 * <p>Why this shape: float32 rounding errors of a correct conversion (reordered sums, fused
 * batch-norm, other kernels) are proportional to the magnitude of the values a tensor carries, not to each
 * element's own value. Measuring the error against the tensor's largest magnitude makes one tolerance
 * work for outputs around 1e-9 and activations around 1e4 alike (an absolute bound fails large tensors),
 * and never divides by a near-zero element (a per-element relative bound fails 0.0 vs 7e-10). The floor
 * only matters when the reference is all zeros or its scale is below about 1e-26: it admits differences
 * at the level of float32's subnormal numbers (smallest normal 1.2e-38), such as a flush-to-zero on one
 * side, and nothing else. A reference that is exactly zero everywhere therefore requires a candidate that
 * is (almost) exactly zero: a tensor computed as {@code x - x} may fail on rounding noise, and needs a
 * per-tensor override.
 *
 * <p>What it does not see: an error confined to elements far smaller than the tensor's largest (e.g. one
 * channel whose values are 1000x smaller than another channel's) is judged against the large values.
 * Use a per-tensor override with an {@link ElementwiseRule} when such elements matter.
 *
 * @param tolerance the allowed fraction of the scale, finite and non-negative (1e-4 by default)
 * @param absoluteFloor an absolute allowance added to every bound, finite and non-negative
 */
public record ScaleRule(double tolerance, double absoluteFloor) implements ToleranceRule {
    /**
     * 1e-30: above every difference that subnormal flushing can create (float32's smallest normal number is
     * 1.2e-38), and below {@code 1e-4 * scale} for every scale above 1e-26, so it never loosens a real check.
     */
    public static final double DEFAULT_FLOOR = 1e-30;

    public ScaleRule {
        RuleParser.requireAllowance("tolerance", tolerance);
        RuleParser.requireAllowance("absolute floor", absoluteFloor);
    }

    /** A scale rule with the {@link #DEFAULT_FLOOR}. */
    public static ScaleRule of(double tolerance) {
        return new ScaleRule(tolerance, DEFAULT_FLOOR);
    }

    @Override
    public String id() {
        return "scale";
    }

    @Override
    public String describe() {
        return "max |a-b| <= " + ShortNumber.format(tolerance) + " x max|ref| (floor "
                + ShortNumber.format(absoluteFloor) + ")";
    }

    @Override
    public double absoluteAllowance(double scale) {
        return tolerance * scale + absoluteFloor;
    }

    @Override
    public double relativeAllowance() {
        return 0.0;
    }
}
