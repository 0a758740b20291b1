package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * The walk that decides whether a dynamic-range model computes a tensor from an isolated run's feeds in float32: a
 * hybrid CONV_2D (int8 weights) feeds a RELU, a DEPTHWISE_CONV_2D with float32 weights, and an ADD of the last with
 * the first.
 */
class FloatChainsTest {
    private static final ModelGraph GRAPH = new ModelGraph(List.of(
            new GraphNode(0, "a", "CONV_2D", List.of("in", "w_int8", "bias"), List.of("a")),
            new GraphNode(1, "b", "RELU", List.of("a"), List.of("b")),
            new GraphNode(2, "c", "DEPTHWISE_CONV_2D", List.of("b", "w_float", "bias2"), List.of("c")),
            new GraphNode(3, "d", "ADD", List.of("c", "a"), List.of("d")),
            new GraphNode(4, "e", "WHILE", List.of("d"), List.of("e"))),
            Set.of("w_int8", "bias", "w_float", "bias2"), Map.of(), List.of(), Map.of(), Set.of("w_int8"));

    private static FloatChains chains(Map<String, Tensor> captured) {
        return new FloatChains(GRAPH, captured);
    }

    @Test
    void aChainOfFloatOperatorsFromItsFeedsIsFloat() {
        assertTrue(chains(Map.of()).inFloat("c", Set.of("b")));
        assertTrue(chains(Map.of()).inFloat("c", Set.of("a")), "RELU and the float32 depthwise convolution");
        assertTrue(chains(Map.of()).inFloat("d", Set.of("c", "a")));
    }

    @Test
    void aChainThroughAnInt8WeightOperatorIsNot() {
        assertFalse(chains(Map.of()).inFloat("b", Set.of()), "the walk reaches the hybrid CONV_2D");
        assertFalse(chains(Map.of()).inFloat("d", Set.of("c")), "the ADD's other input comes from the CONV_2D");
        assertFalse(chains(Map.of()).inFloat("a", Set.of("in")));
    }

    @Test
    void controlFlowAndQuantizedActivationsAreNotFloat() {
        assertFalse(chains(Map.of()).inFloat("e", Set.of("d")), "a WHILE's body is not walked");
        Tensor codes = Tensor.fromCodes(Shape.of(1), new float[] {3},
                new Quantization(DType.INT8, new float[] {0.1f}, new int[] {0}, 0));
        assertFalse(chains(Map.of("b", codes)).inFloat("c", Set.of("a")), "RELU writes int8 codes");
    }
}
