package org.tensorparity.run;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.InlinedBranch;
import org.tensorparity.backend.InlinedModel;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.model.ModelFile;
import org.tensorparity.tensor.Tensor;

/**
 * Makes what the branches of ONNX {@code If} nodes compute visible to the layer stage. ONNX Runtime exposes no value
 * computed inside a branch; but once a run has computed an {@code If}'s condition, the branch it takes on these
 * inputs is known, and the model with that branch inlined in the {@code If}'s place computes the same values with
 * every one of them captured. An {@code If} nested in the branch is then in the main graph, and the next run knows its
 * condition: rounds repeat until no {@code If} of the main graph has a known condition. A model without {@code If}
 * costs nothing; each round costs one session and one run of the reference.
 */
final class BranchInlining {
    /**
     * Rounds of inlining at most: each inlines one level of nesting (silero-vad's deepest {@code If} is 4 levels down);
     * a model nested deeper keeps its deepest {@code If} nodes whole, and says so.
     */
    static final int MAX_ROUNDS = 8;

    private BranchInlining() {
    }

    /**
     * What the reference's instrumented run became.
     *
     * @param file the model that ran: the user's, or it with branches inlined
     * @param side its graph and its instrumented run
     * @param branches the branches inlined, each with every tensor it computes (those of the {@code If} nodes it
     *     held and that were inlined in later rounds included)
     * @param notInlined for each {@code If} left whole in the main graph, why
     */
    record Result(ModelFile file, CapturedRun.Side side, List<InlinedBranch> branches, List<String> notInlined) {
    }

    /**
     * @param capture how the run keeps to its memory budget (whole, or in passes); {@code settings} the runners'
     * @param first the instrumented run of the user's model on {@code feeds}
     * @param feeds the reference's inputs of the sample
     */
    static Result inline(Runtimes runtimes, CapturePlan capture, RunnerSettings settings, ModelFile file,
            CapturedRun.Side first, Map<String, Tensor> feeds) {
        ModelFile current = file;
        CapturedRun.Side side = first;
        List<InlinedBranch> branches = new ArrayList<>();
        for (int round = 0; ; round++) {
            Map<String, Boolean> conditions = new LinkedHashMap<>();
            List<String> unknown = new ArrayList<>();
            for (GraphNode node : side.graph().nodes()) {
                if (!node.opType().equals("If") || node.outputs().isEmpty()) {
                    continue;
                }
                String condition = node.inputs().isEmpty() ? null : node.inputs().get(0);
                Tensor value = condition == null ? null : side.result().intermediates().getOrDefault(condition,
                        feeds.get(condition));
                if (value == null || value.shape().elementCount() != 1) {
                    unknown.add("If '" + label(node) + "' was not inlined: the run did not capture its condition '"
                            + condition + "' (a constant, or no single value), so its branches' values are not captured");
                } else {
                    conditions.put(node.outputs().get(0), value.data()[0] != 0);
                }
            }
            if (conditions.isEmpty()) {
                return new Result(current, side, withNested(branches), unknown);
            }
            if (round == MAX_ROUNDS) {
                List<String> deep = new ArrayList<>(unknown);
                conditions.keySet().forEach(o -> deep.add("If '" + o + "' was not inlined: it is nested more than "
                        + MAX_ROUNDS + " levels deep, so its branches' values are not captured"));
                return new Result(current, side, withNested(branches), deep);
            }
            InlinedModel rewritten;
            CapturedRun.Side next;
            try {
                rewritten = runtimes.inlineBranches(current, conditions, round);
                try (ModelRunner runner = runtimes.openOnnx(rewritten.file(), capture.instrumented(settings))) {
                    next = new CapturedRun.Side(runner.graph(), runner.run(feeds, capture.keep()));
                }
            } catch (ModelFailureException e) {
                // The run as the user's model computes it stands; only the branches' values are not captured.
                List<String> failed = new ArrayList<>(unknown);
                failed.add("the If nodes " + conditions.keySet() + " were not inlined: the model with their taken"
                        + " branches inlined did not run (" + e.getMessage() + "), so their values are not captured");
                return new Result(current, side, withNested(branches), failed);
            }
            branches.addAll(rewritten.inlined());
            current = rewritten.file();
            side = next;
        }
    }

    /**
     * Each branch with the tensors of the branches inlined from the {@code If} nodes it held: a nested {@code If}'s
     * outputs are among its parent's tensors, and what its branch computes belongs to the parent too.
     */
    private static List<InlinedBranch> withNested(List<InlinedBranch> branches) {
        // By identity: each branch is one If node's, and a record's generated hashCode is assembled from method handles
        // on its first call (about 20 classes spun on silero-vad; docs/performance.md says what that costs).
        Map<InlinedBranch, Set<String>> tensors = new IdentityHashMap<>();
        branches.forEach(b -> tensors.put(b, new LinkedHashSet<>(b.tensors())));
        // Later rounds hold the deeper branches: walking back, each child's tensors are complete when its parent takes them.
        for (int i = branches.size() - 1; i >= 0; i--) {
            InlinedBranch child = branches.get(i);
            for (int j = i - 1; j >= 0; j--) {
                InlinedBranch parent = branches.get(j);
                if (!child.outputs().isEmpty() && tensors.get(parent).contains(child.outputs().get(0))) {
                    tensors.get(parent).addAll(tensors.get(child));
                    break;
                }
            }
        }
        return branches.stream().map(b -> new InlinedBranch(b.node(), b.outputs(), b.depth(), b.branch(), b.condition(), b.conditionValue(),
                b.nodes(), tensors.get(b))).toList();
    }

    private static String label(GraphNode node) {
        return node.name().isEmpty() ? node.outputs().get(0) : node.name();
    }
}
