package org.tensorparity.align;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.tensor.Tensor;

/**
 * Turns a graph and its captured tensors into the candidate activations alignment pairs, plus the
 * tensors that can never have a partner (computed from constants only) with their reason.
 */
public final class GraphLayers {
    private final List<LayerTensor> candidates;
    private final List<LayerTensor> followers;
    private final Map<String, String> followerSource;
    private final List<UnmatchedTensor> excluded;
    private final Map<String, LayerTensor> byName;
    private final Map<String, String> producerOp;
    private final Map<String, String> foldedInto;

    private GraphLayers(List<LayerTensor> candidates, List<LayerTensor> followers, Map<String, String> followerSource,
            List<UnmatchedTensor> excluded, Map<String, String> producerOp, Map<String, String> foldedInto) {
        this.candidates = List.copyOf(candidates);
        this.followers = List.copyOf(followers);
        this.followerSource = followerSource;
        this.excluded = List.copyOf(excluded);
        this.producerOp = producerOp;
        this.foldedInto = foldedInto;
        this.byName = new HashMap<>();
        candidates.forEach(c -> byName.put(c.name(), c));
        followers.forEach(c -> byName.put(c.name(), c));
    }

    /**
     * @param model "onnx" or "tflite", for unmatched entries
     * @param captured every captured tensor by name; tensors not captured are not candidates
     * @param modelInputs the model's inputs: fed identical values, so never candidates
     */
    public static GraphLayers of(String model, ModelGraph graph, Map<String, Tensor> captured, Set<String> modelInputs) {
        Map<String, Integer> consumerCount = new HashMap<>();
        Map<String, GraphNode> soleConsumer = new HashMap<>();
        for (GraphNode node : graph.nodes()) {
            for (String in : new LinkedHashSet<>(node.inputs())) {
                consumerCount.merge(in, 1, Integer::sum);
                soleConsumer.put(in, node);
            }
        }
        Set<String> constantDerived = new HashSet<>(graph.constants());
        Map<String, String> groupOp = new HashMap<>();
        Map<String, String> producerOp = new HashMap<>();
        Map<String, String> foldedInto = new HashMap<>();
        List<LayerTensor> candidates = new ArrayList<>();
        List<LayerTensor> followers = new ArrayList<>();
        Map<String, String> followerSource = new HashMap<>();
        Set<String> carriesValues = new HashSet<>(modelInputs);
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
                if (t == null || modelInputs.contains(out) || !t.dtype().isFloatingPoint()) {
                    continue;
                }
                if (node.opType().equals("TRANSPOSE") && dataInput != null && carriesValues.contains(dataInput)) {
                    // A transpose of a known value carries that value: it pairs with whatever its source pairs with.
                    followerSource.put(out, dataInput);
                    followers.add(new LayerTensor(out, position++, node.opType(), head, t.shape(),
                            TensorFingerprint.of(t), false, nameKeys(out, node.name())));
                    carriesValues.add(out);
                    continue;
                }
                carriesValues.add(out);
                boolean interior = foldsForward(out, consumerCount, soleConsumer, constantDerived);
                if (interior) {
                    GraphNode consumer = soleConsumer.get(out);
                    foldedInto.put(out, consumer.opType() + " '" + (consumer.outputs().isEmpty() ? "" : consumer.outputs().get(0)) + "'");
                }
                candidates.add(new LayerTensor(out, position++, node.opType(), head, t.shape(),
                        TensorFingerprint.of(t), interior, nameKeys(out, node.name())));
            }
        }
        return new GraphLayers(candidates, followers, followerSource, excluded, producerOp, foldedInto);
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
        k = k.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
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
}
