package org.tensorparity.backend;

import java.util.List;
import java.util.Set;

/**
 * The branch of an ONNX {@code If} that a run took, copied into the graph that holds the {@code If} in its place,
 * so that the values it computes are captured like any other node's ({@link Runtimes#inlineBranches}).
 *
 * @param node the {@code If} node's name (its first output when it has none)
 * @param outputs the {@code If}'s outputs, kept in the rewritten graph (each an {@code Identity} of what the branch
 *     returned)
 * @param depth 0 for an {@code If} of the user's main graph, 1 for one nested in its branch, and so on
 * @param branch the attribute of the branch that ran: {@code then_branch} or {@code else_branch}
 * @param condition the tensor that decided it
 * @param conditionValue the condition's value in the run
 * @param nodes how many nodes the branch put in the graph (its nested {@code If} nodes counted as one each)
 * @param tensors the tensors those nodes compute, by their names in the rewritten graph
 */
public record InlinedBranch(String node, List<String> outputs, int depth, String branch, String condition, boolean conditionValue, int nodes,
        Set<String> tensors) {
    public InlinedBranch {
        outputs = List.copyOf(outputs);
        tensors = Set.copyOf(tensors);
    }
}
