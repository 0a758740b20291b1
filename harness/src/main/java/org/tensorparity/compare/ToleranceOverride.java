package org.tensorparity.compare;

import java.util.Objects;

/**
 * One per-tensor override: tensors whose ONNX or TFLite name matches {@code glob} are judged by
 * {@code rule}.
 *
 * @param glob the names it applies to
 * @param rule the rule for them
 */
public record ToleranceOverride(NameGlob glob, ToleranceRule rule) {
    public ToleranceOverride {
        Objects.requireNonNull(glob, "glob");
        Objects.requireNonNull(rule, "rule");
    }

    /**
     * Parses {@code GLOB=RULE}, e.g. {@code conv_r1*=scale:1e-3} or {@code *:0=atol:1e-3,rtol:1e-2}. The
     * text splits at its last {@code =} (rule texts never contain one, globs may); RULE is
     * {@link ToleranceRule#parse(String)}'s syntax, GLOB is {@link NameGlob}'s.
     *
     * @throws IllegalArgumentException with a one-line message naming the bad text
     */
    public static ToleranceOverride parse(String text) {
        Objects.requireNonNull(text, "text");
        int eq = text.lastIndexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException(
                    "tolerance override '" + text + "' is not GLOB=RULE (e.g. conv*=scale:1e-3 or conv*=atol:1e-3,rtol:1e-2)");
        }
        String glob = text.substring(0, eq).trim();
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("tolerance override '" + text + "' has no name glob before '='");
        }
        try {
            return new ToleranceOverride(new NameGlob(glob), ToleranceRule.parse(text.substring(eq + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("tolerance override '" + text + "': " + e.getMessage());
        }
    }

    /** True when the glob matches either name (a null name never matches). */
    public boolean appliesTo(String onnxName, String tfliteName) {
        return glob.matches(onnxName) || glob.matches(tfliteName);
    }

    /** {@code GLOB=describe()}, for reports. */
    @Override
    public String toString() {
        return glob + "=" + rule.describe();
    }
}
