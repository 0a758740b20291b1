package org.tensorparity.backend;

import java.util.List;

/**
 * One operator of a model graph as the runtime executes it.
 *
 * @param index position in execution (topological) order
 * @param name the node's own name where the format has one, else empty
 * @param opType the operator as the format names it ({@code Conv}, {@code CONV_2D})
 * @param inputs names of the tensors it reads (constants included)
 * @param outputs names of the tensors it writes
 * @param subgraphs the graphs it runs inside itself (an ONNX {@code If}'s branches, a {@code Loop}'s body); empty
 *     for most operators
 */
public record GraphNode(int index, String name, String opType, List<String> inputs, List<String> outputs,
        List<Subgraph> subgraphs) {
    public GraphNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        subgraphs = List.copyOf(subgraphs);
    }

    /** An operator without subgraphs. */
    public GraphNode(int index, String name, String opType, List<String> inputs, List<String> outputs) {
        this(index, name, opType, inputs, outputs, List.of());
    }
}
