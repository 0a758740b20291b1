package org.tensorparity.result;

/**
 * An ONNX {@code If} whose taken branch was inlined into the reference for the instrumented run, so that the layers
 * inside it were compared like any other.
 *
 * @param node the {@code If} node's name
 * @param depth 0 for an {@code If} of the user's main graph, 1 for one nested in the branch of another, and so on
 * @param branch the branch that ran and was inlined: {@code then_branch} or {@code else_branch}
 * @param condition the tensor that decided it
 * @param conditionValue its value in the run
 * @param nodes how many nodes the branch holds (a nested {@code If} counted as one; it has an entry of its own when
 *     it was inlined too)
 * @param activations the ONNX activations computed inside the branch, nested branches inlined included, that took
 *     part in alignment
 * @param paired how many of them were paired with a TFLite tensor
 * @param accounted how many of the others hold the values of a paired tensor or fold into one (a reshape, an
 *     {@code Identity}, an operator fused into its neighbour): compared through it
 * @param noCounterpart how many of them no TFLite tensor corresponds to
 */
public record InlinedIf(String node, int depth, String branch, String condition, boolean conditionValue, int nodes,
        int activations, int paired, int accounted, int noCounterpart) {

    /** One line for the human formats: which branch ran, why, and how much of it aligned. */
    public String describe() {
        return "If '" + node + "': its " + branch + " was inlined for the instrumented run (condition '" + condition
                + "' was " + conditionValue + "); of its " + activations + " activations " + paired + " paired, "
                + accounted + " hold a paired tensor's values or fold into one, " + noCounterpart
                + " have no counterpart";
    }
}
