package org.tensorparity.align;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Tensor;

/**
 * Turns a graph and its captured tensors into the candidate activations alignment pairs, plus the
 * tensors that can never have a partner (computed from constants only) with their reason.
 */
public final class GraphLayers {
    /**
     * A tensor name's output index ({@code :0}) and everything but letters and digits, left out of its name keys.
     * Compiled once: every tensor and node name of both graphs goes through them, and String.replaceAll compiles its
     * pattern on every call (YOLOX-nano's 1,400 tensors: 45-59 ms to build both models' layers, 30-39 ms with these).
     */
    private static final Pattern OUTPUT_INDEX = Pattern.compile(":\\d+$");
    private static final Pattern NON_ALPHANUMERIC = Pattern.compile("[^a-z0-9]");

    private final List<LayerTensor> candidates;
    private final List<LayerTensor> followers;
    private final Map<String, String> followerSource;
    private final List<UnmatchedTensor> excluded;
    private final Map<String, LayerTensor> byName;
    private final Map<String, String> producerOp;
    private final Map<String, String> foldedInto;
    private final Map<String, GraphNode> producer;
    private final Map<String, List<GraphNode>> consumers;
    private final Set<String> constantDerived;
    private final Map<String, LayerTensor> modelInputs;
    private final Map<String, long[]> integerConstants;

    private GraphLayers(List<LayerTensor> candidates, List<LayerTensor> followers, Map<String, String> followerSource,
            List<UnmatchedTensor> excluded, Map<String, String> producerOp, Map<String, String> foldedInto,
            Map<String, GraphNode> producer, Map<String, List<GraphNode>> consumers, Set<String> constantDerived,
            Map<String, LayerTensor> modelInputs, Map<String, long[]> integerConstants) {
        this.candidates = List.copyOf(candidates);
        this.followers = List.copyOf(followers);
        this.followerSource = followerSource;
        this.excluded = List.copyOf(excluded);
        this.producerOp = producerOp;
        this.foldedInto = foldedInto;
        this.producer = producer;
        this.consumers = consumers;
        this.constantDerived = constantDerived;
        this.modelInputs = modelInputs;
        this.integerConstants = integerConstants;
        this.byName = new HashMap<>();
        candidates.forEach(c -> byName.put(c.name(), c));
        followers.forEach(c -> byName.put(c.name(), c));
    }

    /**
     * @param model "onnx" or "tflite", for unmatched entries
     * @param captured every captured tensor by name; tensors not captured are not candidates
     * @param modelInputs the model's inputs and the values they were fed: identical on both sides, so never
     *     candidates; TFLite transposes of them pair with their bound ONNX input
     */
    public static GraphLayers of(String model, ModelGraph graph, Map<String, Tensor> captured,
            Map<String, Tensor> modelInputs) {
        return of(model, graph, captured, modelInputs, new Fingerprints());
    }

    /** As {@link #of(String, ModelGraph, Map, Map)}, with the fingerprints {@code fingerprints} read ahead. */
    public static GraphLayers of(String model, ModelGraph graph, Map<String, Tensor> captured,
            Map<String, Tensor> modelInputs, Fingerprints fingerprints) {
        Map<String, Integer> consumerCount = new HashMap<>();
        Map<String, GraphNode> soleConsumer = new HashMap<>();
        Map<String, GraphNode> producer = new HashMap<>();
        Map<String, List<GraphNode>> consumers = new HashMap<>();
        for (GraphNode node : graph.nodes()) {
            for (String in : new LinkedHashSet<>(node.inputs())) {
                consumerCount.merge(in, 1, Integer::sum);
                soleConsumer.put(in, node);
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(node);
            }
            node.outputs().forEach(o -> producer.put(o, node));
        }
        Set<String> constantDerived = new HashSet<>(graph.constants());
        Map<String, String> groupOp = new HashMap<>();
        Map<String, String> layoutSource = new HashMap<>();
        Map<String, String> producerOp = new HashMap<>();
        Map<String, String> foldedInto = new HashMap<>();
        List<LayerTensor> candidates = new ArrayList<>();
        List<LayerTensor> followers = new ArrayList<>();
        Map<String, String> followerSource = new HashMap<>();
        Set<String> carriesValues = new HashSet<>(modelInputs.keySet());
        List<UnmatchedTensor> excluded = new ArrayList<>();
        int position = 0;

        for (GraphNode node : graph.nodes()) {
            boolean fromConstants = !node.inputs().isEmpty()
                    && node.inputs().stream().allMatch(constantDerived::contains);
            String dataInput = node.inputs().stream().filter(i -> !constantDerived.contains(i)).findFirst().orElse(null);
            for (String out : node.outputs()) {
                producerOp.put(out, node.opType());
                String head = node.opType();
                if (dataInput != null && OpFamily.foldsIntoProducer(node.opType()) && foldsForward(dataInput, consumerCount,
                        soleConsumer, constantDerived)) {
                    head = groupOp.getOrDefault(dataInput, head);
                    String moved = layoutSource.get(dataInput);
                    // Keras' Dense exports as MatMul, Reshape, Add: its bias belongs to the MatMul, as in TFLite's
                    // one FULLY_CONNECTED (DTLN), not to the Reshape, which would rank a TFLite RESHAPE of the same
                    // values first.
                    if (moved != null && OpFamily.weighted(groupOp.getOrDefault(moved, ""))) {
                        head = groupOp.get(moved);
                    }
                }
                if (dataInput != null && OpFamily.layoutOnly(node.opType())) {
                    layoutSource.put(out, dataInput);
                }
                groupOp.put(out, head);
                if (fromConstants) {
                    constantDerived.add(out);
                    excluded.add(new UnmatchedTensor(model, out, node.opType(),
                            model.equals("tflite") ? UnmatchedReason.CONVERTER_INSERTED : UnmatchedReason.CONSTANT_FOLDED,
                            "computed from constants only"));
                    continue;
                }
                Tensor t = captured.get(out);
                // A weight held by a Constant node (exports that keep weights in If branches do) is no activation.
                if (t == null || modelInputs.containsKey(out) || graph.constants().contains(out) || !holdsActivation(t)) {
                    continue;
                }
                if (node.opType().equals("TRANSPOSE") && dataInput != null && carriesValues.contains(dataInput)) {
                    // A transpose of a known value carries that value: it pairs with whatever its source pairs with.
                    followerSource.put(out, dataInput);
                    followers.add(new LayerTensor(out, position++, node.opType(), head, t,
                            fingerprints.of(t), false, nameKeys(out, node.name())));
                    carriesValues.add(out);
                    continue;
                }
                carriesValues.add(out);
                boolean interior = foldsForward(out, consumerCount, soleConsumer, constantDerived);
                if (interior) {
                    GraphNode consumer = soleConsumer.get(out);
                    foldedInto.put(out, consumer.opType() + " '" + (consumer.outputs().isEmpty() ? "" : consumer.outputs().get(0)) + "'");
                }
                candidates.add(new LayerTensor(out, position++, node.opType(), head, t,
                        fingerprints.of(t), interior, nameKeys(out, node.name())));
            }
        }
        return new GraphLayers(candidates, followers, followerSource, excluded, producerOp, foldedInto, producer,
                consumers, constantDerived, inputLayers(modelInputs, fingerprints), graph.integerConstants());
    }

    /** Whether {@code t}'s values can be an activation alignment pairs: real numbers, stored as floats or quantized. */
    static boolean holdsActivation(Tensor t) {
        return t.dtype().isFloatingPoint() || t.quantization() != null;
    }

    /** True when {@code tensor}'s only consumer is an operator that converters fold into its producer. */
    private static boolean foldsForward(String tensor, Map<String, Integer> consumerCount,
            Map<String, GraphNode> soleConsumer, Set<String> constantDerived) {
        if (consumerCount.getOrDefault(tensor, 0) != 1) {
            return false;
        }
        GraphNode consumer = soleConsumer.get(tensor);
        if (!OpFamily.foldsIntoProducer(consumer.opType())) {
            return false;
        }
        // Elementwise arithmetic only folds when its other operand is a constant (a bias or a scale).
        return consumer.inputs().stream().filter(i -> !i.equals(tensor)).allMatch(constantDerived::contains);
    }

    static List<String> nameKeys(String tensorName, String nodeName) {
        Set<String> keys = new LinkedHashSet<>();
        for (String part : tensorName.split(";")) {
            addKey(keys, part);
        }
        addKey(keys, nodeName);
        return List.copyOf(keys);
    }

    private static void addKey(Set<String> keys, String raw) {
        if (raw == null) {
            return;
        }
        String k = raw.strip();
        if (k.startsWith("onnx_tf_prefix_")) {
            k = k.substring("onnx_tf_prefix_".length());
        }
        k = OUTPUT_INDEX.matcher(k).replaceFirst("").toLowerCase(Locale.ROOT);
        k = NON_ALPHANUMERIC.matcher(k).replaceAll("");
        // Bare numbers (torch's "123") and very short names say too little to count as evidence.
        if (k.length() >= 3 && !k.chars().allMatch(Character::isDigit)) {
            keys.add(k);
        }
    }

    public List<LayerTensor> candidates() {
        return candidates;
    }

    /**
     * TFLite-style transposes of a model input or of a candidate: not aligned themselves, they inherit
     * their source's partner and are compared under their own permutation.
     */
    public List<LayerTensor> followers() {
        return followers;
    }

    /** For a follower: the tensor it transposes. */
    String followerSource(String follower) {
        return followerSource.get(follower);
    }

    /** Tensors that are not candidates because they derive from constants only. */
    public List<UnmatchedTensor> excluded() {
        return excluded;
    }

    LayerTensor candidate(String name) {
        return byName.get(name);
    }

    String producerOp(String tensor) {
        return producerOp.get(tensor);
    }

    /** For a fusion-interior tensor: the consumer it folds into, in words. */
    String foldedInto(String tensor) {
        return foldedInto.get(tensor);
    }

    /** For a fusion-interior tensor: the operator of the consumer it folds into. */
    String foldingOp(String tensor) {
        List<GraphNode> c = consumers(tensor);
        return c.size() == 1 ? c.get(0).opType() : null;
    }

    /** The tensors {@code tensor}'s producer reads that carry values (not constants), in input order. */
    List<String> dataInputs(String tensor) {
        GraphNode node = producer.get(tensor);
        if (node == null) {
            return List.of();
        }
        return node.inputs().stream().filter(i -> !constantDerived.contains(i)).distinct().toList();
    }

    /** The operators that read {@code tensor}, in execution order. */
    List<GraphNode> consumers(String tensor) {
        return consumers.getOrDefault(tensor, List.of());
    }

    /** For a TRANSPOSE output: the permutation its constant operand holds, when the graph knows it. */
    Optional<Permutation> transposePermutation(String tensor) {
        GraphNode node = producer.get(tensor);
        if (node == null || node.inputs().size() < 2) {
            return Optional.empty();
        }
        long[] perm = integerConstants.get(node.inputs().get(1));
        if (perm == null) {
            return Optional.empty();
        }
        int[] axes = new int[perm.length];
        for (int i = 0; i < perm.length; i++) {
            axes[i] = (int) perm[i];
        }
        try {
            return Optional.of(Permutation.of(axes));
        } catch (IllegalArgumentException e) {
            // A model file can hold anything; a constant that is no permutation explains no layout.
            return Optional.empty();
        }
    }

    /** True for a model input of this graph. */
    boolean isModelInput(String tensor) {
        return modelInputs.containsKey(tensor);
    }

    /** A model input as alignment sees it (order -1: before every activation), or null. */
    LayerTensor input(String name) {
        return modelInputs.get(name);
    }

    private static Map<String, LayerTensor> inputLayers(Map<String, Tensor> inputs, Fingerprints fingerprints) {
        Map<String, LayerTensor> out = new HashMap<>();
        inputs.forEach((name, t) -> out.put(name, new LayerTensor(name, -1, "input", "input", t, fingerprints.of(t),
                false, nameKeys(name, null))));
        return out;
    }
}
