package org.tensorparity.compare;

/**
 * How close a candidate tensor must be to its reference.
 *
 * <p>Every rule reduces, once the reference's {@link ErrorMetrics#scale() scale} is known, to one bound
 * per element: a finite pair ({@code r}, {@code c}) <em>violates</em> the rule when
 *
 * <pre>  |r - c| - relativeAllowance() * |r|  &gt;  absoluteAllowance(scale)</pre>
 *
 * where the left side is evaluated in float32 ({@code relativeAllowance()} rounded to float32, each
 * operation rounded once) and compared in double. Independently of the rule, a NaN or infinity that the
 * other side does not match (NaN with NaN, or the same infinity) is always a violation. A tensor passes
 * when no pair violates and, for a rule with an SQNR bound ({@link #minimumSqnrDb}), its SQNR reaches it.
 *
 * <p>Two kinds exist: {@link ScaleRule}, the scale-aware default, and {@link ElementwiseRule}, numpy's
 * {@code |a-b| <= atol + rtol*|ref|}. Named presets are in {@link ToleranceProfile}.
 */
public sealed interface ToleranceRule permits ScaleRule, ElementwiseRule {

    /** A stable identifier of the rule's kind for JSON: {@code "scale"} or {@code "elementwise"}. */
    String id();

    /** One line for reports, e.g. {@code max |a-b| <= 1e-4 x max|ref| (floor 1e-30)}. */
    String describe();

    /** The absolute part of every element's allowance, given the reference scale ({@code max |r|}). */
    double absoluteAllowance(double scale);

    /** The part of an element's allowance proportional to {@code |r|}. */
    double relativeAllowance();

    /** The lowest SQNR in dB the whole tensor may have; 0 when the rule has no such bound. */
    default double minimumSqnrDb() {
        return 0;
    }

    /** {@code max |a-b| <= tolerance * max|ref|} with the {@link ScaleRule#DEFAULT_FLOOR}. */
    static ScaleRule scale(double tolerance) {
        return ScaleRule.of(tolerance);
    }

    /** {@code |a-b| <= atol + rtol * |ref|} at every element ({@code --atol}/{@code --rtol}). */
    static ElementwiseRule elementwise(double atol, double rtol) {
        return new ElementwiseRule(atol, rtol);
    }

    /** The default rule: {@link ToleranceProfile#DEFAULT}'s. */
    static ToleranceRule defaultRule() {
        return ToleranceProfile.DEFAULT.rule();
    }

    /**
     * Parses a rule from its text form, comma-separated {@code key:value} parts:
     *
     * <ul>
     *   <li>{@code scale:1e-3}, {@code scale:1e-3,floor:1e-20} or {@code scale:1e-3,minscale:1}: a
     *       {@link ScaleRule} (the floor defaults to {@link ScaleRule#DEFAULT_FLOOR}, the minimum scale to 0);
     *   <li>{@code atol:1e-3}, {@code rtol:1e-2} or {@code atol:1e-3,rtol:1e-2}: an {@link ElementwiseRule}
     *       (a missing part is 0);
     *   <li>{@code profile:default} or {@code profile:fp16}: a {@link ToleranceProfile}'s rule.
     * </ul>
     *
     * Values are finite, non-negative decimal numbers. Whitespace around parts is ignored.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad text
     */
    static ToleranceRule parse(String text) {
        return RuleParser.parse(text);
    }
}
