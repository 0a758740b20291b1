package org.tensorparity.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.backend.UnrolledLoop;
import org.tensorparity.backend.UnrolledModel;
import org.tensorparity.model.ModelFile;
import org.tensorparity.tensor.Tensor;

/**
 * Makes what the bodies of ONNX {@code Loop} and {@code Scan} nodes compute visible to the layer stage. ONNX Runtime
 * exposes no value computed inside a body; but once a run has made the loop's iterations, their number is known, and
 * the model with the body copied once per iteration computes the same values with every one of them captured. A model
 * without them costs nothing; one with costs one session and one run of the unrolled reference per level of nesting.
 */
final class LoopUnrolling {
    /**
     * Body nodes, over all iterations, one {@code Loop} or {@code Scan} may put in the graph (and loops nested in
     * unrolled bodies, all of them together with what was unrolled before). The precise-lite GRU pair unrolls 29
     * iterations of 38 nodes (1,102): its whole verify went from 456 to 549 ms with the unrolled session and run
     * (measured on the 2-core dev machine). About ten times that keeps the extra session and captures within
     * seconds. A longer loop stays whole, and the report says why.
     */
    static final int MAX_UNROLLED_NODES = 12_000;
    /** Rounds of unrolling at most: each unrolls one level of nesting, as {@link BranchInlining#MAX_ROUNDS} inlines. */
    static final int MAX_ROUNDS = BranchInlining.MAX_ROUNDS;
    private static final Set<String> LOOPS = Set.of("Loop", "Scan");

    private LoopUnrolling() {
    }

    /**
     * What the reference's instrumented run became.
     *
     * @param file the model that ran: the one given, or it with loops unrolled
     * @param side its graph and its instrumented run
     * @param loops the loops unrolled
     * @param notUnrolled for each {@code Loop} or {@code Scan} left whole in the main graph, why
     */
    record Result(ModelFile file, CapturedRun.Side side, List<UnrolledLoop> loops, List<String> notUnrolled) {
    }

    /**
     * Unrolls every {@code Loop} and {@code Scan} of the main graph whose iteration count the run tells (the length of
     * a captured scan input or output, or the trip count of a loop nothing ends early) and that stays within
     * {@link #MAX_UNROLLED_NODES}. A loop nested in an unrolled body is in the main graph afterwards, and the next run
     * tells its count: rounds repeat, at most {@link #MAX_ROUNDS}, while what all rounds unroll stays within
     * {@link #MAX_UNROLLED_NODES}.
     *
     * @param capture how the run keeps to its memory budget (whole, or in passes); {@code settings} the runners'
     * @param first the instrumented run of {@code file} on {@code feeds}
     * @param feeds the reference's inputs of the sample
     */
    static Result unroll(Runtimes runtimes, CapturePlan capture, RunnerSettings settings, ModelFile file,
            CapturedRun.Side first, Map<String, Tensor> feeds) {
        ModelFile current = file;
        CapturedRun.Side side = first;
        List<UnrolledLoop> loops = new ArrayList<>();
        List<String> notes = List.of();
        long unrolledNodes = 0;
        for (int round = 0; side.graph().nodes().stream().anyMatch(n -> LOOPS.contains(n.opType())); round++) {
            if (round > 0 && unrolledNodes >= MAX_UNROLLED_NODES) {
                return result(current, side, loops, exhausted(notes, side, loops, unrolledNodes));
            }
            Map<String, Tensor> values = new HashMap<>(feeds);
            values.putAll(side.result().intermediates());
            UnrolledModel rewritten;
            try {
                // The first round bounds each loop alone, as it always did; nested rounds share what is left.
                rewritten = runtimes.unrollBodies(current, values, round == 0 ? MAX_UNROLLED_NODES
                        : (int) (MAX_UNROLLED_NODES - unrolledNodes), loops);
            } catch (ModelFailureException e) {
                return failed(current, side, loops, notes, e);
            }
            if (rewritten.unrolled().isEmpty()) {
                return result(current, side, loops, rewritten.notUnrolled());
            }
            long adding = rewritten.unrolled().stream().mapToLong(l -> (long) l.iterations() * l.bodyNodes()).sum();
            String refused = round == MAX_ROUNDS ? "nested more than " + MAX_ROUNDS + " levels deep"
                    : round > 0 && unrolledNodes + adding > MAX_UNROLLED_NODES ? "nested in unrolled bodies, their "
                            + adding + " body nodes unrolled with the " + unrolledNodes + " before exceed "
                            + MAX_UNROLLED_NODES
                    : null;
            if (refused != null) {
                List<String> whole = new ArrayList<>(rewritten.notUnrolled());
                whole.add("the nodes " + named(rewritten.unrolled().stream().map(l -> l.op() + " '" + l.node() + "'")
                        .toList()) + " were not unrolled (" + refused + "): their bodies' values are not captured");
                return result(current, side, loops, whole);
            }
            try (ModelRunner runner = runtimes.openOnnx(rewritten.file(), capture.instrumented(settings))) {
                side = new CapturedRun.Side(runner.graph(), runner.run(feeds, capture.keep()));
            } catch (ModelFailureException e) {
                return failed(current, side, loops, notes, e);
            }
            current = rewritten.file();
            loops.addAll(rewritten.unrolled());
            notes = rewritten.notUnrolled();
            unrolledNodes += adding;
        }
        return result(current, side, loops, notes);
    }

    /** The notes, and the loops nested in unrolled bodies that the bound leaves no room for. */
    private static List<String> exhausted(List<String> notes, CapturedRun.Side side, List<UnrolledLoop> loops,
            long unrolledNodes) {
        Set<String> copied = new HashSet<>();
        loops.forEach(l -> l.tensors().forEach(copied::addAll));
        List<String> nested = side.graph().nodes().stream().filter(n -> LOOPS.contains(n.opType())
                && !n.outputs().isEmpty() && copied.contains(n.outputs().get(0)))
                .map(n -> n.opType() + " '" + (n.name().isEmpty() ? n.outputs().get(0) : n.name()) + "'").toList();
        List<String> whole = new ArrayList<>(notes);
        if (!nested.isEmpty()) {
            whole.add("the nodes " + named(nested) + " were not unrolled (the " + unrolledNodes + " body nodes unrolled"
                    + " before leave none of the " + MAX_UNROLLED_NODES + "): their bodies' values are not captured");
        }
        return whole;
    }

    /** {@code [a, b, c]}, or its first four and how many more: a long loop copies its nested nodes thousands of times. */
    private static String named(List<String> nodes) {
        return nodes.size() <= 4 ? nodes.toString() : nodes.subList(0, 4).toString().replace("]", ", and "
                + (nodes.size() - 4) + " more]");
    }

    /** The run as the model before this round computes it stands; only the bodies' values left are not captured. */
    private static Result failed(ModelFile file, CapturedRun.Side side, List<UnrolledLoop> loops, List<String> notes,
            ModelFailureException e) {
        List<String> whole = new ArrayList<>(notes);
        whole.add("the " + (loops.isEmpty() ? "" : "nested ") + "Loop and Scan nodes were not unrolled: the model with"
                + " their bodies unrolled did not run (" + e.getMessage() + "), so their values are not captured");
        return result(file, side, loops, whole);
    }

    /**
     * The result, its notes naming each {@code If} an unrolled body held: its branches were inlined before the loops
     * were unrolled, so they stay whole in every copy.
     */
    private static Result result(ModelFile file, CapturedRun.Side side, List<UnrolledLoop> loops, List<String> notes) {
        List<String> whole = new ArrayList<>(notes);
        for (UnrolledLoop l : loops) {
            for (int k = 0; k < l.tensors().size(); k++) {
                int iteration = k;
                side.graph().nodes().stream().filter(n -> n.opType().equals("If") && !n.outputs().isEmpty()
                        && l.tensors().get(iteration).contains(n.outputs().get(0))).forEach(n -> whole.add("If '"
                        + (n.name().isEmpty() ? n.outputs().get(0) : n.name()) + "', copied out of iteration "
                        + iteration + " of " + l.op() + " '" + l.node() + "', was not inlined: its branches' values are"
                        + " not captured"));
            }
        }
        return new Result(file, side, withNested(loops), whole);
    }

    /**
     * Each loop with, in each iteration, the tensors of the loops nested in it that later rounds unrolled: a nested
     * loop's outputs are among its enclosing iteration's tensors, and what its iterations compute belongs there too.
     */
    private static List<UnrolledLoop> withNested(List<UnrolledLoop> loops) {
        List<List<Set<String>>> tensors = new ArrayList<>();
        loops.forEach(l -> tensors.add(l.tensors().stream().<Set<String>>map(LinkedHashSet::new).toList()));
        // Later rounds hold the deeper loops: walking back, each child's tensors are complete when its parent takes them.
        for (int i = loops.size() - 1; i >= 0; i--) {
            UnrolledLoop child = loops.get(i);
            Set<String> all = new LinkedHashSet<>();
            tensors.get(i).forEach(all::addAll);
            parent:
            for (int j = i - 1; j >= 0; j--) {
                for (Set<String> iteration : tensors.get(j)) {
                    if (!child.outputs().isEmpty() && iteration.contains(child.outputs().get(0))) {
                        iteration.addAll(all);
                        break parent;
                    }
                }
            }
        }
        List<UnrolledLoop> nested = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            UnrolledLoop l = loops.get(i);
            nested.add(new UnrolledLoop(l.op(), l.node(), l.outputs(), l.iterations(), l.bodyNodes(), tensors.get(i)));
        }
        return nested;
    }
}
