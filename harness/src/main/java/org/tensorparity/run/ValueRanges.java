package org.tensorparity.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;

/**
 * The magnitude of the values an ONNX tensor can hold when its operator bounds them: 1 for the output of
 * a Sigmoid, Softmax or Tanh, and for what only moves or selects such values (Reshape, Transpose, Slice,
 * Concat of bounded tensors). 0 when nothing bounds them. The tolerance of such a tensor is measured
 * against its range ({@link org.tensorparity.compare.Tolerances#forRange}).
 */
final class ValueRanges {
    private static final Map<String, Double> BOUNDED = Map.of("Sigmoid", 1.0, "Softmax", 1.0, "HardSigmoid", 1.0,
            "Tanh", 1.0, "Softsign", 1.0);
    private static final Set<String> CARRIES = Set.of("Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten",
            "Identity", "Slice", "Gather", "Split", "Expand", "Tile", "Cast", "Dropout", "Concat");

    private final Map<String, GraphNode> producer = new HashMap<>();
    private final Set<String> constants;
    private final Map<String, Double> memo = new HashMap<>();

    ValueRanges(ModelGraph onnx) {
        onnx.nodes().forEach(n -> n.outputs().forEach(o -> producer.put(o, n)));
        constants = onnx.constants();
    }

    /** The range of {@code tensor}'s values, or 0 when no operator bounds them. */
    double of(String tensor) {
        Double known = memo.get(tensor);
        if (known != null) {
            return known;
        }
        memo.put(tensor, 0.0);
        GraphNode node = producer.get(tensor);
        double range = 0;
        if (node != null) {
            if (BOUNDED.containsKey(node.opType())) {
                range = BOUNDED.get(node.opType());
            } else if (CARRIES.contains(node.opType())) {
                List<String> data = node.inputs().stream().filter(i -> !constants.contains(i)).toList();
                range = data.isEmpty() ? 0 : data.stream().mapToDouble(this::of).min().orElse(0);
            }
        }
        memo.put(tensor, range);
        return range;
    }
}
