package org.tensorparity.compare;

import java.util.Locale;
import java.util.Objects;
import org.tensorparity.model.Precision;

/**
 * The default rules of one run: the model outputs are held to {@code outputs}; intermediate layers, whose
 * error grows with depth, to {@code layers}; the error a layer's operators add by themselves, run alone on the
 * converted model's values of their inputs, to {@code isolated}, or to {@code isolatedInFloat} where the converted
 * model computes that layer in float32 although its profile allows more. Per-tensor overrides take precedence over
 * all of them.
 *
 * @param outputs the rule for model outputs
 * @param layers the rule for intermediate layers
 * @param isolated the rule for the error a layer adds by itself
 * @param isolatedInFloat the rule for the error a layer adds by itself where every converted operator it is computed
 *     by is float32 (a dynamic-range model's float operators); null where {@code isolated} holds for those too
 * @param profile where the rules come from: a {@link ToleranceProfile} id, {@code auto} before the model's
 *     precision is known, or {@code custom} for rules given directly
 * @param byPrecision true when the profile is to be chosen from the TFLite model's precision ({@link #resolve})
 */
public record Tolerances(ToleranceRule outputs, ToleranceRule layers, ToleranceRule isolated,
        ToleranceRule isolatedInFloat, String profile, boolean byPrecision) {
    public Tolerances {
        Objects.requireNonNull(outputs, "outputs");
        Objects.requireNonNull(layers, "layers");
        Objects.requireNonNull(isolated, "isolated");
        Objects.requireNonNull(profile, "profile");
    }

    /** The default: the profile of the model's precision, chosen once the model is open. */
    public static Tolerances automatic() {
        return ToleranceProfile.DEFAULT.tolerances("auto", true);
    }

    /** One rule for outputs, layers and isolated errors alike (the elementwise rule of {@code --atol/--rtol}). */
    public static Tolerances both(ToleranceRule rule) {
        return new Tolerances(rule, rule, rule, null, "custom", false);
    }

    /** What a run uses unless told otherwise: {@link #automatic()}. */
    public static Tolerances defaults() {
        return automatic();
    }

    /**
     * These rules for a TFLite model of {@code precision}: the profile for that precision when the choice is
     * automatic (still marked as chosen automatically), otherwise unchanged.
     */
    public Tolerances resolve(Precision precision) {
        if (!byPrecision) {
            return this;
        }
        ToleranceProfile p = ToleranceProfile.forPrecision(precision);
        return p.tolerances(p.id(), true);
    }

    /**
     * Parses a default rule in {@link ToleranceRule#parse} syntax: {@code profile:auto} or {@code profile:NAME}
     * stands for a profile's two rules, any other rule for outputs and layers alike.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad text
     */
    public static Tolerances parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.toLowerCase(Locale.ROOT).startsWith("profile:")) {
            return profile(t.substring("profile:".length()), text);
        }
        return both(ToleranceRule.parse(t));
    }

    /** {@code auto} or a {@link ToleranceProfile} id. */
    public static Tolerances profile(String id, String text) {
        if (id.trim().equalsIgnoreCase("auto")) {
            return automatic();
        }
        try {
            return ToleranceProfile.fromId(id).tolerances();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tolerance rule '" + text + "': " + e.getMessage());
        }
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
