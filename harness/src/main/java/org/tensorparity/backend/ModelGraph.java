package org.tensorparity.backend;

import java.util.List;

/**
 * A model's main graph in execution order.
 *
 * @param nodes operators in topological (execution) order
 * @param constants names of tensors that hold weights or other constants
 * @param notes what the graph view leaves out, e.g. control-flow subgraphs that are listed but not captured
 */
public record ModelGraph(List<GraphNode> nodes, java.util.Set<String> constants, List<String> notes) {
    public ModelGraph {
        nodes = List.copyOf(nodes);
        constants = java.util.Set.copyOf(constants);
        notes = List.copyOf(notes);
    }
}
