package org.tensorparity.backend;

import java.util.List;

/**
 * A graph an operator runs inside itself: a branch of an ONNX {@code If}, the body of a {@code Loop} or
 * {@code Scan}. Its values are not captured; what it computes is still read (the range of what an {@code If}
 * returns is the range of what its branches return).
 *
 * @param attribute the attribute that holds it ({@code then_branch}, {@code else_branch}, {@code body})
 * @param nodes its operators in execution order, with their own subgraphs
 * @param inputs its formal inputs, in order
 * @param outputs its outputs, in order
 */
public record Subgraph(String attribute, List<GraphNode> nodes, List<String> inputs, List<String> outputs) {
    /**
     * What names a captured tensor of a TFLite loop body: {@code <its name in the file>@subgraph<index>}, so that it is
     * never taken for a tensor of the main graph (which is all a cut of the model can read).
     */
    public static final String CAPTURED_BODY_MARK = "@subgraph";

    public Subgraph {
        nodes = List.copyOf(nodes);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** Whether {@code tensor} is a captured tensor of a loop body ({@link #CAPTURED_BODY_MARK}). */
    public static boolean capturedInBody(String tensor) {
        return tensor.contains(CAPTURED_BODY_MARK);
    }
}
