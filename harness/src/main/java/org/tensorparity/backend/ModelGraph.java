package org.tensorparity.backend;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model's main graph in execution order.
 *
 * @param nodes operators in topological (execution) order
 * @param constants names of tensors that hold weights or other constants
 * @param integerConstants the values of small integer constants (at most {@link #MAX_INTEGER_CONSTANT}
 *     values: transpose permutations, axes, target shapes), by name
 * @param notes what the graph view leaves out, e.g. control-flow subgraphs that are listed but not captured
 */
public record ModelGraph(List<GraphNode> nodes, Set<String> constants, Map<String, long[]> integerConstants,
        List<String> notes) {
    /** Largest integer constant kept in {@link #integerConstants()}: room for a rank-8 shape and then some. */
    public static final int MAX_INTEGER_CONSTANT = 16;

    public ModelGraph {
        nodes = List.copyOf(nodes);
        constants = Set.copyOf(constants);
        integerConstants = Map.copyOf(integerConstants);
        notes = List.copyOf(notes);
    }

    /** A graph without integer constant values (built in memory by tests). */
    public ModelGraph(List<GraphNode> nodes, Set<String> constants, List<String> notes) {
        this(nodes, constants, Map.of(), notes);
    }
}
