package org.tensorparity.judge;

/** What a layer that disagrees does to the verdict when every output agrees. */
public enum LayerPolicy {
    /**
     * The outputs decide: a disagreeing layer is reported as a warning and the run passes
     * ({@code --no-fail-on-isolated}), as before isolation decided.
     */
    WARN,
    /**
     * The default: a confidently paired layer whose operators, run alone on the converted model's own inputs to
     * them, break the isolation rule fails the run, although every output agrees on these inputs. A layer that
     * disagrees only by error it inherits stays a warning: mostly float drift the model absorbs, or a converter's
     * rewrite.
     */
    ISOLATED,
    /**
     * Any confident layer divergence fails the run, whether its operators break the rule alone or only inherit
     * error ({@code --fail-on-layers}).
     */
    FAIL
}
