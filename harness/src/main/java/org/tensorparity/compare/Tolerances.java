package org.tensorparity.compare;

import java.util.Objects;

/**
 * The default rules of one run: the model outputs, which decide the verdict, are held to {@code outputs};
 * intermediate layers, whose float error grows with depth, to {@code layers}. Per-tensor overrides take
 * precedence over both.
 *
 * @param outputs the rule for model outputs
 * @param layers the rule for intermediate layers
 */
public record Tolerances(ToleranceRule outputs, ToleranceRule layers) {
    public Tolerances {
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(layers, "layers");
    }

    /**
     * Parses a default rule in {@link ToleranceRule#parse} syntax: {@code profile:NAME} stands for both of
     * the profile's rules, any other rule for outputs and layers alike.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad text
     */
    public static Tolerances parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.toLowerCase(java.util.Locale.ROOT).startsWith("profile:")) {
            try {
                return ToleranceProfile.fromId(t.substring("profile:".length())).tolerances();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tolerance rule '" + text + "': " + e.getMessage());
            }
        }
        return both(ToleranceRule.parse(t));
    }

    /** One rule for outputs and layers alike (the elementwise rule of {@code --atol/--rtol}). */
    public static Tolerances both(ToleranceRule rule) {
        return new Tolerances(rule, rule);
    }

    /** The default profile's rules. */
    public static Tolerances defaults() {
        return ToleranceProfile.DEFAULT.tolerances();
    }

    /**
     * {@code rule} for a tensor whose values lie in a known range of magnitude {@code range} (a sigmoid's or
     * softmax's [0, 1]): a scale rule then measures small values against the range, not their own
     * magnitude. Other rules, and tensors of unknown range ({@code range == 0}), are unchanged.
     */
    public static ToleranceRule forRange(ToleranceRule rule, double range) {
        return range > 0 && rule instanceof ScaleRule s ? s.withMinimumScale(range) : rule;
    }
}
