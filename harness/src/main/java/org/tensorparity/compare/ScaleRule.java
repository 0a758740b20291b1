package org.tensorparity.compare;

import org.tensorparity.text.ShortNumber;

/**
 * The scale-aware rule: a tensor passes when
 *
 * <pre>  max |r - c|  &lt;=  tolerance * max(max |r|, minimumScale)  +  absoluteFloor</pre>
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
 * <p>{@code minimumScale} is the magnitude a tensor's values are measured against when its own values are
 * smaller: the output range of a bounded activation. A saturated sigmoid outputs 9e-6 from a logit near
 * -11.6; float32 rounding of that logit moves it by 4e-9, which is nothing for a probability but 4e-4 of
 * the tensor's own scale. Measured against the sigmoid's range, 1, it passes, while a probability that is
 * wrong by more than the tolerance still fails. 0 (the default) leaves the rule as above.
 *
 * <p>{@code minSqnrDb}, when positive, adds a bound on the whole tensor: its signal-to-quantization-noise
 * ratio {@code 10 log10(sum r^2 / sum (r - c)^2)} must reach it (30 dB: the error's RMS is at most 3% of the
 * signal's). Reduced-precision profiles rely on it: float16 weights and int8 arithmetic move a deep
 * network's values by a spread of small errors with rare larger ones, so they bound the spread tightly and
 * the largest error loosely. SQNR is what quantization debuggers report, and it needs no scale.
 *
 * @param tolerance the allowed fraction of the scale for every element, finite and non-negative
 * @param absoluteFloor an absolute allowance added to every bound, finite and non-negative
 * @param minimumScale the smallest scale the tolerance applies to, finite and non-negative
 * @param minSqnrDb the lowest SQNR in dB the tensor may have; 0 for no such bound
 */
public record ScaleRule(double tolerance, double absoluteFloor, double minimumScale, double minSqnrDb)
        implements ToleranceRule {
    /**
     * 1e-30: above every difference that subnormal flushing can create (float32's smallest normal number is
     * 1.2e-38), and below {@code 1e-4 * scale} for every scale above 1e-26, so it never loosens a real check.
     */
    public static final double DEFAULT_FLOOR = 1e-30;

    public ScaleRule {
        RuleParser.requireAllowance("tolerance", tolerance);
        RuleParser.requireAllowance("absolute floor", absoluteFloor);
        RuleParser.requireAllowance("minimum scale", minimumScale);
        RuleParser.requireAllowance("minimum SQNR", minSqnrDb);
    }

    /** A rule measured against each tensor's own scale. */
    public ScaleRule(double tolerance, double absoluteFloor) {
        this(tolerance, absoluteFloor, 0, 0);
    }

    /** A rule with a minimum scale and no RMS bound. */
    public ScaleRule(double tolerance, double absoluteFloor, double minimumScale) {
        this(tolerance, absoluteFloor, minimumScale, 0);
    }

    /** A rule for every element and for the whole tensor's SQNR, with the {@link #DEFAULT_FLOOR}. */
    public static ScaleRule withSqnr(double tolerance, double minSqnrDb) {
        return new ScaleRule(tolerance, DEFAULT_FLOOR, 0, minSqnrDb);
    }

    /** A scale rule with the {@link #DEFAULT_FLOOR}. */
    public static ScaleRule of(double tolerance) {
        return new ScaleRule(tolerance, DEFAULT_FLOOR);
    }

    /** This rule, measuring tensors whose values stay below {@code scale} against {@code scale}. */
    public ScaleRule withMinimumScale(double scale) {
        return new ScaleRule(tolerance, absoluteFloor, Math.max(minimumScale, scale), minSqnrDb);
    }

    /**
     * Whether a comparison with these metrics meets this rule. Exact for a scale rule: its bound on every element
     * depends on the tensor's scale only, so the largest difference decides (a comparison need not be run again to
     * judge it under another scale rule).
     */
    public boolean admits(ErrorMetrics m) {
        return admits(m.maxAbs(), m.scale(), m.sqnrDb(), m.nonFiniteMismatches());
    }

    /** {@link #admits(ErrorMetrics)} from the figures it reads. */
    public boolean admits(double maxAbs, double scale, double sqnrDb, long nonFiniteMismatches) {
        boolean spreadHolds = minSqnrDb <= 0 || Double.isNaN(sqnrDb) || sqnrDb >= minSqnrDb;
        return nonFiniteMismatches == 0 && maxAbs <= absoluteAllowance(scale) && spreadHolds;
    }

    /** The scale the tolerance applies to for a tensor whose {@code max |r|} is {@code scale}. */
    public double effectiveScale(double scale) {
        return Math.max(scale, minimumScale);
    }

    @Override
    public String id() {
        return "scale";
    }

    @Override
    public String describe() {
        String yardstick = minimumScale > 0 ? "max(max|ref|, " + ShortNumber.format(minimumScale) + ")" : "max|ref|";
        return "max |a-b| <= " + ShortNumber.format(tolerance) + " x " + yardstick
                + (minSqnrDb > 0 ? " and SQNR >= " + ShortNumber.format(minSqnrDb) + " dB" : "")
                + " (floor " + ShortNumber.format(absoluteFloor) + ")";
    }

    @Override
    public double minimumSqnrDb() {
        return minSqnrDb;
    }

    @Override
    public double absoluteAllowance(double scale) {
        return tolerance * effectiveScale(scale) + absoluteFloor;
    }

    @Override
    public double relativeAllowance() {
        return 0.0;
    }
}
