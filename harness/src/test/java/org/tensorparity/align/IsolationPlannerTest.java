package org.tensorparity.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.TensorLayout;

class IsolationPlannerTest {
    private static final Map<String, DType> FLOATS = Map.of();

    private static GraphNode node(int index, String op, String output, String... inputs) {
        return new GraphNode(index, output + "_node", op, List.of(inputs), List.of(output));
    }

    private static AlignedPair pair(String onnx) {
        return new AlignedPair(onnx, "tfl_" + onnx, "Op", "OP", Shape.of(1, 4), Shape.of(1, 4), TensorLayout.identity(2),
                List.of(), Double.NaN, 1, List.of(), "auto");
    }

    /** input -> Conv(w) -> a -> BatchNormalization -> b -> Relu -> r, the chain a TFLite CONV_2D with fused ReLU replaces. */
    private static ModelGraph convBnRelu() {
        return new ModelGraph(List.of(node(0, "Conv", "a", "input", "w"), node(1, "BatchNormalization", "b", "a", "g"),
                node(2, "Relu", "r", "b")), Set.of("w", "g"), List.of());
    }

    @Test
    void aFusedChainRunsBackToTheNearestSharedTensor() {
        IsolationPlanner planner = new IsolationPlanner(convBnRelu(), Map.of("r", pair("r")), Set.of("input"), FLOATS);
        IsolationPlan.Isolable plan = assertInstanceOf(IsolationPlan.Isolable.class, planner.plan("r"));
        assertEquals(List.of(0, 1, 2), plan.nodes());
        assertEquals(List.of("Conv 'a_node'", "BatchNormalization 'b_node'", "Relu 'r_node'"), plan.onnxOps());
        assertEquals(List.of(new IsolationPlan.Feed("input", IsolationPlan.Source.MODEL_INPUT, null)), plan.feeds());
    }

    @Test
    void anAlignedInputIsFedFromTheTfliteSideAndEndsTheChain() {
        AlignedPair a = pair("a");
        IsolationPlanner planner = new IsolationPlanner(convBnRelu(), Map.of("a", a, "r", pair("r")), Set.of("input"), FLOATS);
        IsolationPlan.Isolable plan = assertInstanceOf(IsolationPlan.Isolable.class, planner.plan("r"));
        assertEquals(List.of(1, 2), plan.nodes());
        assertEquals(List.of(new IsolationPlan.Feed("a", IsolationPlan.Source.CANDIDATE, a)), plan.feeds());
    }

    @Test
    void integerTensorsComeFromTheReferenceAndConstantNodesAreCopied() {
        ModelGraph g = new ModelGraph(List.of(node(0, "Shape", "s", "x"), node(1, "Constant", "k"),
                node(2, "Reshape", "y", "x", "s"), node(3, "Add", "z", "y", "k")), Set.of("k"), List.of());
        AlignedPair x = pair("x");
        IsolationPlanner planner = new IsolationPlanner(g, Map.of("x", x), Set.of(), Map.of("s", DType.INT64));
        IsolationPlan.Isolable plan = assertInstanceOf(IsolationPlan.Isolable.class, planner.plan("z"));
        assertEquals(List.of(1, 2, 3), plan.nodes());
        assertEquals(List.of("Reshape 'y_node'", "Add 'z_node'"), plan.onnxOps(), "a Constant is copied, not listed");
        assertEquals(List.of(new IsolationPlan.Feed("x", IsolationPlan.Source.CANDIDATE, x),
                new IsolationPlan.Feed("s", IsolationPlan.Source.REFERENCE, null)), plan.feeds());
    }

    @Test
    void aModelInputPairedWithATfliteTensorIsItsOwnReference() {
        IsolationPlanner planner = new IsolationPlanner(convBnRelu(), Map.of(), Set.of("input"), FLOATS);
        IsolationPlan.Isolable plan = assertInstanceOf(IsolationPlan.Isolable.class, planner.plan("input"));
        assertEquals(List.of(), plan.nodes());
    }

    @Test
    void aChainLongerThanAKernelFusesIsNotIsolated() {
        List<GraphNode> nodes = new ArrayList<>();
        String previous = "input";
        for (int i = 0; i <= IsolationPlanner.MAX_CHAIN; i++) {
            nodes.add(node(i, "Neg", "t" + i, previous));
            previous = "t" + i;
        }
        IsolationPlanner planner = new IsolationPlanner(new ModelGraph(nodes, Set.of(), List.of()), Map.of(), Set.of("input"),
                FLOATS);
        IsolationPlan.NotIsolable refused = assertInstanceOf(IsolationPlan.NotIsolable.class, planner.plan(previous));
        assertTrue(refused.reason().contains("within " + IsolationPlanner.MAX_CHAIN), refused.reason());
        assertInstanceOf(IsolationPlan.Isolable.class, planner.plan("t" + (IsolationPlanner.MAX_CHAIN - 1)));
    }

    @Test
    void controlFlowIsNotIsolated() {
        ModelGraph g = new ModelGraph(List.of(node(0, "If", "y", "cond")), Set.of(), List.of());
        IsolationPlan plan = new IsolationPlanner(g, Map.of(), Set.of("cond"), FLOATS).plan("y");
        assertTrue(assertInstanceOf(IsolationPlan.NotIsolable.class, plan).reason().startsWith("control flow"));
    }
}
