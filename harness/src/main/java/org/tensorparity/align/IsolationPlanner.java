package org.tensorparity.align;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.tensor.DType;

/**
 * Finds the ONNX operators that stand between an aligned pair's ONNX tensor and the nearest values the two
 * models share: model inputs, aligned tensors (and exact copies of them), weights, and integer tensors (shapes,
 * indices) that are exact on both sides. Those operators, run alone on the TFLite model's values of the shared
 * tensors, are what the TFLite operator of the pair replaced.
 */
public final class IsolationPlanner {
    /**
     * Most operators one isolated chain may hold. A TFLite kernel fuses a handful of ONNX operators (Conv,
     * BatchNormalization and an activation, with a Pad or a Reshape around them); a longer chain means the
     * graphs do not line up there, and running it would measure a subnetwork rather than an operator.
     */
    static final int MAX_CHAIN = 8;
    /** Operators with subgraphs: their bodies are not part of the graph view, so they cannot be copied alone. */
    private static final Set<String> CONTROL_FLOW = Set.of("If", "Loop", "Scan", "SequenceMap");

    private final ModelGraph graph;
    private final Map<String, GraphNode> producers;
    private final Map<String, AlignedPair> counterparts;
    private final Set<String> modelInputs;
    private final Map<String, DType> types;
    private final Map<String, IsolationPlan> plans = new ConcurrentHashMap<>();
    private final Map<String, String> unreachable;

    /**
     * @param graph the ONNX graph
     * @param counterparts for each ONNX tensor whose value a TFLite tensor holds, the pair that holds it: the aligned
     *     tensors, and unaligned tensors holding exactly an aligned tensor's values in the same order (an LSTM's
     *     output and its squeezed copy)
     * @param modelInputs the ONNX model's input names
     * @param types the element types of the ONNX tensors the instrumented run captured
     */
    public IsolationPlanner(ModelGraph graph, Map<String, AlignedPair> counterparts, Set<String> modelInputs,
            Map<String, DType> types) {
        this(graph, counterparts, modelInputs, types, Map.of());
    }

    /**
     * @param unreachable ONNX tensors no TFLite tensor can stand for, with why (an earlier iteration of an unrolled
     *     loop, which a TFLite WHILE body does not keep): an operator that reads one is not isolated, and says so
     */
    public IsolationPlanner(ModelGraph graph, Map<String, AlignedPair> counterparts, Set<String> modelInputs,
            Map<String, DType> types, Map<String, String> unreachable) {
        this.unreachable = Map.copyOf(unreachable);
        this.graph = graph;
        this.counterparts = Map.copyOf(counterparts);
        this.modelInputs = Set.copyOf(modelInputs);
        this.types = Map.copyOf(types);
        this.producers = graph.producers();
    }

    /**
     * The operators that compute {@code onnxTensor} from shared values, or why there are none to run alone. Planned
     * once per tensor: choosing the float32 rule, isolating, isolating again and diagnosing each ask for it.
     */
    public IsolationPlan plan(String onnxTensor) {
        return plans.computeIfAbsent(onnxTensor, this::chainOf);
    }

    private IsolationPlan chainOf(String onnxTensor) {
        if (modelInputs.contains(onnxTensor)) {
            // A TFLite tensor paired with a model input (the converter transposed or reshaped the input): no ONNX
            // operator stands between them, so the input itself is the reference for what the TFLite operators add.
            return new IsolationPlan.Isolable(List.of(), List.of(),
                    List.of(new IsolationPlan.Feed(onnxTensor, IsolationPlan.Source.MODEL_INPUT, null)));
        }
        GraphNode root = producers.get(onnxTensor);
        if (root == null) {
            return new IsolationPlan.NotIsolable("'" + onnxTensor + "' is not computed by an operator");
        }
        TreeSet<Integer> chain = new TreeSet<>();
        int operators = 0;
        List<IsolationPlan.Feed> feeds = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Deque<GraphNode> pending = new ArrayDeque<>(List.of(root));
        while (!pending.isEmpty()) {
            GraphNode node = pending.pop();
            if (!chain.add(node.index())) {
                continue;
            }
            if (CONTROL_FLOW.contains(node.opType())) {
                return new IsolationPlan.NotIsolable("control flow: " + node.opType() + " '" + node.name()
                        + "' has subgraphs");
            }
            if (!node.opType().equals("Constant") && ++operators > MAX_CHAIN) {
                return new IsolationPlan.NotIsolable("no aligned tensor within " + MAX_CHAIN
                        + " ONNX operators upstream of it to feed from");
            }
            for (String input : node.inputs()) {
                if (!seen.add(input)) {
                    continue;
                }
                GraphNode producer = producers.get(input);
                if (counterparts.containsKey(input) && !counterparts.get(input).onnx().equals(onnxTensor)) {
                    // Before the model input itself: the TFLite model may feed its operator a transposed copy of it.
                    feeds.add(new IsolationPlan.Feed(input, IsolationPlan.Source.CANDIDATE, counterparts.get(input)));
                } else if (modelInputs.contains(input)) {
                    feeds.add(new IsolationPlan.Feed(input, IsolationPlan.Source.MODEL_INPUT, null));
                } else if (producer == null && graph.constants().contains(input)) {
                    continue;
                } else if (producer != null && producer.opType().equals("Constant")) {
                    pending.push(producer);
                } else if (types.containsKey(input) && !types.get(input).isFloatingPoint()) {
                    feeds.add(new IsolationPlan.Feed(input, IsolationPlan.Source.REFERENCE, null));
                } else if (unreachable.containsKey(input)) {
                    return new IsolationPlan.NotIsolable("it reads '" + input + "', " + unreachable.get(input));
                } else if (producer != null) {
                    pending.push(producer);
                } else {
                    return new IsolationPlan.NotIsolable("its input '" + input + "' is neither computed, captured nor a weight");
                }
            }
        }
        List<Integer> nodes = List.copyOf(chain);
        return new IsolationPlan.Isolable(nodes, operators(graph, nodes), feeds);
    }

    /**
     * The operators of a plan as {@link IsolationPlan.Isolable#onnxOps()} names them: each with its type and name, the
     * Constants it reads left out.
     */
    public static List<String> operators(ModelGraph graph, Collection<Integer> nodes) {
        return nodes.stream().map(i -> graph.nodes().get(i))
                .filter(n -> !n.opType().equals("Constant"))
                .map(n -> n.name().isEmpty() ? n.opType() : n.opType() + " '" + n.name() + "'").toList();
    }
}
