package org.tensorparity.backend;

import java.util.List;
import java.util.Set;

/**
 * An ONNX {@code Loop} or {@code Scan} whose body was copied into the graph that holds it once per iteration the run made, so that
 * the values every iteration computes are captured like any other node's ({@link Runtimes#unrollLoops}).
 *
 * @param op {@code Loop} or {@code Scan}
 * @param node the node's name (its first output when it has none)
 * @param outputs the {@code Loop}'s outputs, kept in the rewritten graph
 * @param iterations how many iterations were unrolled: as many as the run made
 * @param bodyNodes how many nodes its body holds
 * @param tensors for each iteration from 0, the tensors its copy of the body computes, by their names in the
 *     rewritten graph ({@code <name>@<iteration>})
 */
public record UnrolledLoop(String op, String node, List<String> outputs, int iterations, int bodyNodes,
        List<Set<String>> tensors) {
    public UnrolledLoop {
        outputs = List.copyOf(outputs);
        tensors = tensors.stream().map(Set::copyOf).toList();
    }

    /** An unrolled {@code Loop}. */
    public UnrolledLoop(String node, List<String> outputs, int iterations, int bodyNodes, List<Set<String>> tensors) {
        this("Loop", node, outputs, iterations, bodyNodes, tensors);
    }
}
