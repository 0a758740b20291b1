package org.tensorparity.run;

/** What a layer that disagrees does to the verdict when every output agrees. */
public enum LayerPolicy {
    /**
     * The outputs decide: a disagreeing layer is reported as a warning and the run passes. Intermediate
     * disagreements with agreeing outputs are mostly float drift a model absorbs, or converter rewrites.
     */
    WARN,
    /** A confident layer divergence fails the run even when every output agrees ({@code --fail-on-layers}). */
    FAIL
}
