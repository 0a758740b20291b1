package org.tensorparity.result;

import org.tensorparity.compare.Comparison;
import org.tensorparity.compare.ScaleRule;

/**
 * The tolerance rule one tensor was judged by: in words for every format, and as the figures a chart draws (the
 * bound each element was held to, the tolerance as a share of the scale), so that no format reads the words.
 *
 * @param text the rule in words, e.g. {@code max |a-b| <= 1e-4 x max|ref| (floor 1e-30)}; {@code -} when nothing
 *     was compared
 * @param allowance the largest {@code |a-b|} the rule allowed each element of this tensor; null when the bound
 *     varies with {@code |ref|} (an elementwise rule with a relative part) or nothing was compared
 * @param tolerance for a scale rule, the error it allows as a share of the scale ({@code max|ref|}); null otherwise
 */
public record AppliedRule(String text, Double allowance, Double tolerance) {
    /** The rule of an output that was not compared (it has no counterpart, or the shapes cannot be made equal). */
    public static final AppliedRule NONE = new AppliedRule("-", null, null);

    /** The rule {@code comparison} applied, described as {@code text}. */
    public static AppliedRule of(String text, Comparison comparison) {
        if (comparison == null) {
            return new AppliedRule(text, null, null);
        }
        Double allowance = comparison.rule().relativeAllowance() == 0
                ? comparison.rule().absoluteAllowance(comparison.metrics().scale()) : null;
        Double tolerance = comparison.rule() instanceof ScaleRule s ? s.tolerance() : null;
        return new AppliedRule(text, allowance, tolerance);
    }
}
