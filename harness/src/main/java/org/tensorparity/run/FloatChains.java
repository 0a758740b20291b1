package org.tensorparity.run;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.tensor.Tensor;

/**
 * Whether the converted model computes a tensor from the values an isolated run is fed with operators that are all
 * float32: none reads a constant held narrower ({@link ModelGraph#narrowConstants()}: a dynamic-range operator's int8
 * weights) or a quantized activation, and none runs a subgraph, whose operators the walk does not see. Such a chain
 * adds only float rounding, whatever the model's precision, and its isolated error is held to the float32 rule.
 */
final class FloatChains {
    /** Operators that run subgraphs of their own: what they compute is not in the operators walked. */
    private static final Set<String> CONTROL_FLOW = Set.of("WHILE", "IF", "CALL_ONCE");

    private final Map<String, GraphNode> producers;
    private final Set<String> narrow;
    private final Map<String, Tensor> captured;

    /**
     * @param tflite the converted model's graph
     * @param captured its captured values, whose quantization marks an integer activation
     */
    FloatChains(ModelGraph tflite, Map<String, Tensor> captured) {
        this.producers = tflite.producers();
        this.narrow = tflite.narrowConstants();
        this.captured = captured;
    }

    /**
     * Whether every operator between {@code fed} (the TFLite tensors an isolated run is fed the values of) and
     * {@code tensor} computes in float32. The walk goes up from {@code tensor} to fed tensors, constants and model
     * inputs; a chain that reaches a model input without passing a fed tensor holds every operator on the way.
     */
    boolean inFloat(String tensor, Set<String> fed) {
        Deque<String> pending = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        pending.push(tensor);
        while (!pending.isEmpty()) {
            String t = pending.pop();
            if (!seen.add(t) || (fed.contains(t) && !t.equals(tensor))) {
                continue;
            }
            GraphNode producer = producers.get(t);
            if (producer == null) {
                continue;
            }
            if (CONTROL_FLOW.contains(producer.opType())) {
                return false;
            }
            for (String input : producer.inputs()) {
                if (narrow.contains(input) || quantized(input)) {
                    return false;
                }
                pending.push(input);
            }
            for (String output : producer.outputs()) {
                if (quantized(output)) {
                    return false;
                }
            }
        }
        return true;
    }

    private boolean quantized(String tensor) {
        Tensor value = captured.get(tensor);
        return value != null && value.quantization() != null;
    }
}
