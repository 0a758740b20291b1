package org.tensorparity.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Per-tensor tolerance rules: an ordered list of {@link ToleranceOverride}s. For a pair of tensors the first
 * override whose glob matches the ONNX name or the TFLite name wins; when none matches, the caller's
 * default rule applies ({@code overrides.ruleFor(onnx, tflite).orElse(defaultRule)}). Order is the order
 * given (flags in command-line order), so put specific globs before general ones.
 */
public final class ToleranceOverrides {
    private static final ToleranceOverrides NONE = new ToleranceOverrides(List.of());

    private final List<ToleranceOverride> entries;

    private ToleranceOverrides(List<ToleranceOverride> entries) {
        this.entries = List.copyOf(entries);
    }

    /** No overrides: every tensor gets the default rule. */
    public static ToleranceOverrides none() {
        return NONE;
    }

    /** {@code entries} in priority order. */
    public static ToleranceOverrides of(List<ToleranceOverride> entries) {
        return new ToleranceOverrides(entries);
    }

    /**
     * Parses each {@code GLOB=RULE} text (see {@link ToleranceOverride#parse(String)}), in priority order.
     *
     * @throws IllegalArgumentException naming the first bad text, in one line
     */
    public static ToleranceOverrides parse(List<String> texts) {
        List<ToleranceOverride> parsed = new ArrayList<>(texts.size());
        for (String t : texts) {
            parsed.add(ToleranceOverride.parse(t));
        }
        return new ToleranceOverrides(parsed);
    }

    /** The overriding rule for the tensor pair with these names (either may be null), if any glob matches. */
    public Optional<ToleranceRule> ruleFor(String onnxName, String tfliteName) {
        return match(onnxName, tfliteName).map(ToleranceOverride::rule);
    }

    /** The override that decides this pair, if any (for reports: which glob chose the rule). */
    public Optional<ToleranceOverride> match(String onnxName, String tfliteName) {
        for (ToleranceOverride o : entries) {
            if (o.appliesTo(onnxName, tfliteName)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** The overrides in priority order (immutable). */
    public List<ToleranceOverride> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    @Override
    public String toString() {
        return "ToleranceOverrides" + entries;
    }
}
