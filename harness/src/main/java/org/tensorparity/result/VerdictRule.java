package org.tensorparity.result;

/** A rule that can fail a run; a failing report lists every one that did ({@code failedBy}). */
public enum VerdictRule {
    /** An output, or one of its task checks, disagrees beyond its tolerance. */
    OUTPUTS("outputs", "an output that disagrees"),
    /**
     * A confidently paired layer's operators, run alone on the converted model's own inputs to them, break the
     * isolation rule (layer policy {@code isolated}, the default, or {@code fail}).
     */
    ISOLATED_LAYER("isolated_layer", "a layer that computes differently by itself"),
    /** A layer diverges confidently by its accumulated error ({@code --fail-on-layers}). */
    LAYER_DIVERGENCE("layer_divergence", "a confident layer divergence (--fail-on-layers)"),
    /** The graphs could not be compared layer by layer ({@code --fail-on-layers}). */
    ALIGNMENT("alignment", "graphs that do not align (--fail-on-layers)");

    private final String id;
    private final String label;

    VerdictRule(String id, String label) {
        this.id = id;
        this.label = label;
    }

    /** What failed the run, in words for the human formats. */
    public String label() {
        return label;
    }

    /** The stable form for JSON, JUnit and the text formats. */
    public String id() {
        return id;
    }
}
