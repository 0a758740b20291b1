package org.tensorparity.backend;

import java.util.HashMap;
import java.util.HashSet;
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
 * @param inputDomains for integer model inputs whose use implies their values (an index into a table, a value
 *     compared with constants), those values, by input name
 * @param narrowConstants the constants held narrower than float32 (int8, uint8, int16 or float16): the quantized
 *     weights an operator of a dynamic-range model computes with, float16 weights; empty for an ONNX model
 * @param quantizedConstants those of the narrow constants held as integer codes (int8, uint8 or int16): quantized
 *     weights, without the float16 ones
 */
public record ModelGraph(List<GraphNode> nodes, Set<String> constants, Map<String, long[]> integerConstants,
        List<String> notes, Map<String, InputDomain> inputDomains, Set<String> narrowConstants,
        Set<String> quantizedConstants) {
    /** Largest integer constant kept in {@link #integerConstants()}: room for a rank-8 shape and then some. */
    public static final int MAX_INTEGER_CONSTANT = 16;

    public ModelGraph {
        nodes = List.copyOf(nodes);
        constants = Set.copyOf(constants);
        integerConstants = Map.copyOf(integerConstants);
        notes = List.copyOf(notes);
        inputDomains = Map.copyOf(inputDomains);
        narrowConstants = Set.copyOf(narrowConstants);
        quantizedConstants = Set.copyOf(quantizedConstants);
    }

    /** A graph whose narrow constants are given, and none of them quantized. */
    public ModelGraph(List<GraphNode> nodes, Set<String> constants, Map<String, long[]> integerConstants,
            List<String> notes, Map<String, InputDomain> inputDomains, Set<String> narrowConstants) {
        this(nodes, constants, integerConstants, notes, inputDomains, narrowConstants, Set.of());
    }

    /** A graph whose constants are all float32 or exact integers. */
    public ModelGraph(List<GraphNode> nodes, Set<String> constants, Map<String, long[]> integerConstants,
            List<String> notes, Map<String, InputDomain> inputDomains) {
        this(nodes, constants, integerConstants, notes, inputDomains, Set.of());
    }

    /** A graph whose use of its inputs implies no values. */
    public ModelGraph(List<GraphNode> nodes, Set<String> constants, Map<String, long[]> integerConstants,
            List<String> notes) {
        this(nodes, constants, integerConstants, notes, Map.of());
    }

    /** {@code tensors} and every tensor they are computed from, walking the nodes back in execution order. */
    public Set<String> upstreamOf(Set<String> tensors) {
        Set<String> upstream = new HashSet<>(tensors);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            GraphNode node = nodes.get(i);
            if (node.outputs().stream().anyMatch(upstream::contains)) {
                upstream.addAll(node.inputs());
            }
        }
        return upstream;
    }

    /** The operator that writes each tensor, by tensor name (the last, should two write one). */
    public Map<String, GraphNode> producers() {
        Map<String, GraphNode> producers = new HashMap<>();
        for (GraphNode node : nodes) {
            node.outputs().forEach(o -> producers.put(o, node));
        }
        return producers;
    }

    /** The operators that read {@code tensor}, in execution order. */
    public List<GraphNode> readersOf(String tensor) {
        return nodes.stream().filter(n -> n.inputs().contains(tensor)).toList();
    }

    /** {@code tensor} and every tensor computed from it. */
    public Set<String> downstreamOf(String tensor) {
        Set<String> downstream = new HashSet<>(Set.of(tensor));
        for (GraphNode node : nodes) {
            if (node.inputs().stream().anyMatch(downstream::contains)) {
                downstream.addAll(node.outputs());
            }
        }
        return downstream;
    }

    /** A graph without integer constant values (built in memory by tests). */
    public ModelGraph(List<GraphNode> nodes, Set<String> constants, List<String> notes) {
        this(nodes, constants, Map.of(), notes);
    }
}
