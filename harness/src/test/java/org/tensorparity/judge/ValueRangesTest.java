package org.tensorparity.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.Subgraph;
import org.tensorparity.compare.ScaleRule;

/** The range of what bounded activations produce, also through the control flow that returns it. */
class ValueRangesTest {

    @Test
    void aSigmoidReturnedByBothBranchesOfAnIfIsBounded() {
        Subgraph then = new Subgraph("then_branch", List.of(new GraphNode(0, "p16", "Sigmoid", List.of("logit"),
                List.of("prob16"))), List.of(), List.of("prob16"));
        Subgraph otherwise = new Subgraph("else_branch", List.of(new GraphNode(0, "p8", "Sigmoid", List.of("logit"),
                List.of("prob8")), new GraphNode(1, "view", "Reshape", List.of("prob8", "shape"), List.of("prob8r"))),
                List.of(), List.of("prob8r"));
        ModelGraph graph = new ModelGraph(List.of(new GraphNode(0, "vad", "If", List.of("cond"), List.of("output"),
                List.of(then, otherwise))), Set.of("shape"), List.of());
        ValueRanges.Range range = new ValueRanges(graph).of("output");
        assertEquals(1.0, range.magnitude());
        assertTrue(range.origin().contains("If 'vad'"), range.origin());
        String rule = range.explain(ScaleRule.of(1e-3).withMinimumScale(1.0));
        assertTrue(rule.contains("measured against Sigmoid"), rule);
    }

    @Test
    void anIfWithOneUnboundedBranchIsNot() {
        Subgraph then = new Subgraph("then_branch", List.of(new GraphNode(0, "p", "Sigmoid", List.of("x"),
                List.of("prob"))), List.of(), List.of("prob"));
        Subgraph otherwise = new Subgraph("else_branch", List.of(new GraphNode(0, "l", "MatMul", List.of("x", "w"),
                List.of("logit"))), List.of(), List.of("logit"));
        ModelGraph graph = new ModelGraph(List.of(new GraphNode(0, "if", "If", List.of("cond"), List.of("y"),
                List.of(then, otherwise))), Set.of("w"), List.of());
        assertEquals(0.0, new ValueRanges(graph).of("y").magnitude());
    }

    @Test
    void aLoopCarriedTanhIsBoundedOnlyWhenItsInitialValueIs() {
        // Loop outputs: the carried values, then the scan outputs; its body returns the condition first.
        Subgraph body = new Subgraph("body", List.of(new GraphNode(0, "cell", "Tanh", List.of("h_in"), List.of("h_out"))),
                List.of("i", "cond_in", "h_in"), List.of("cond_out", "h_out"));
        GraphNode loop = new GraphNode(1, "gru", "Loop", List.of("trips", "cond", "h0"), List.of("h_last"), List.of(body));
        ModelGraph fromZeros = new ModelGraph(List.of(new GraphNode(0, "init", "Tanh", List.of("x"), List.of("h0")), loop),
                Set.of("trips", "cond"), List.of());
        assertEquals(1.0, new ValueRanges(fromZeros).of("h_last").magnitude());
        ModelGraph fromInput = new ModelGraph(List.of(loop), Set.of("trips", "cond"), List.of());
        assertEquals(0.0, new ValueRanges(fromInput).of("h_last").magnitude());
    }
}
