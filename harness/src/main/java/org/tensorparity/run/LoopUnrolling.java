package org.tensorparity.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.backend.UnrolledLoop;
import org.tensorparity.backend.UnrolledModel;
import org.tensorparity.model.ModelFile;
import org.tensorparity.tensor.Tensor;

/**
 * Makes what the bodies of ONNX {@code Loop} nodes compute visible to the layer stage. ONNX Runtime exposes no value
 * computed inside a body; but once a run has made the loop's iterations, their number is known, and the model with
 * the body copied once per iteration computes the same values with every one of them captured. A model without
 * {@code Loop} costs nothing; one with costs one session and one run of the unrolled reference.
 */
final class LoopUnrolling {
    /**
     * Body nodes, over all iterations, one {@code Loop} may put in the graph. The precise-lite GRU pair unrolls 29
     * iterations of 38 nodes (1,102): its whole verify went from 456 to 549 ms with the unrolled session and run
     * (measured on the 2-core dev machine). About ten times that keeps the extra session and captures within
     * seconds. A longer loop stays whole, and the report says why.
     */
    static final int MAX_UNROLLED_NODES = 12_000;

    private LoopUnrolling() {
    }

    /**
     * What the reference's instrumented run became.
     *
     * @param file the model that ran: the one given, or it with loops unrolled
     * @param side its graph and its instrumented run
     * @param loops the loops unrolled
     * @param notUnrolled for each {@code Loop} left whole in the main graph, why
     */
    record Result(ModelFile file, CapturedRun.Side side, List<UnrolledLoop> loops, List<String> notUnrolled) {
    }

    /**
     * @param first the instrumented run of {@code file} on {@code feeds}
     * @param feeds the reference's inputs of the sample
     */
    static Result unroll(Runtimes runtimes, RunnerSettings instrumented, ModelFile file, CapturedRun.Side first,
            Map<String, Tensor> feeds) {
        Map<String, Integer> iterations = new LinkedHashMap<>();
        List<String> whole = new ArrayList<>();
        Map<String, Tensor> captured = first.result().intermediates();
        for (GraphNode node : first.graph().nodes()) {
            if (!node.opType().equals("Loop") || node.outputs().isEmpty()) {
                continue;
            }
            String label = node.name().isEmpty() ? node.outputs().get(0) : node.name();
            Integer count = iterationsRun(node, captured, feeds);
            int bodyNodes = node.subgraphs().isEmpty() ? 0 : node.subgraphs().get(0).nodes().size();
            if (count == null) {
                whole.add("Loop '" + label + "' was not unrolled: the run captured no scan output and no trip count"
                        + " with a condition that never changes, so how many iterations it made is not known and its"
                        + " body's values are not captured");
            } else if (count < 1) {
                whole.add("Loop '" + label + "' made no iteration on these inputs: its body computed nothing");
            } else if ((long) count * bodyNodes > MAX_UNROLLED_NODES) {
                whole.add("Loop '" + label + "' was not unrolled: " + count + " iterations of its " + bodyNodes
                        + "-node body exceed " + MAX_UNROLLED_NODES + " nodes unrolled, so its body's values are not"
                        + " captured");
            } else {
                iterations.put(node.outputs().get(0), count);
            }
        }
        if (iterations.isEmpty()) {
            return new Result(file, first, List.of(), whole);
        }
        try {
            UnrolledModel rewritten = runtimes.unrollLoops(file, iterations);
            try (ModelRunner runner = runtimes.openOnnx(rewritten.file(), instrumented)) {
                CapturedRun.Side next = new CapturedRun.Side(runner.graph(), runner.run(feeds));
                return new Result(rewritten.file(), next, rewritten.unrolled(), whole);
            }
        } catch (ModelFailureException e) {
            // The run as the model given computes it stands; only the bodies' values are not captured.
            whole.add("the Loop nodes " + iterations.keySet() + " were not unrolled: the model with their bodies"
                    + " unrolled did not run (" + e.getMessage() + "), so their values are not captured");
            return new Result(file, first, List.of(), whole);
        }
    }

    /**
     * How many iterations the {@code Loop} made: the length of a scan output the run captured, or else its trip
     * count when it has no condition input (iterations then stop at the trip count only); null when neither tells.
     */
    private static Integer iterationsRun(GraphNode loop, Map<String, Tensor> captured, Map<String, Tensor> feeds) {
        int carried = Math.max(0, loop.inputs().size() - 2);
        for (int i = carried; i < loop.outputs().size(); i++) {
            Tensor scan = captured.get(loop.outputs().get(i));
            if (scan != null && scan.shape().rank() > 0) {
                return scan.shape().dim(0);
            }
        }
        String tripCount = loop.inputs().isEmpty() ? "" : loop.inputs().get(0);
        String condition = loop.inputs().size() < 2 ? "" : loop.inputs().get(1);
        if (tripCount.isEmpty() || !condition.isEmpty()) {
            return null;
        }
        Tensor m = captured.getOrDefault(tripCount, feeds.get(tripCount));
        return m == null || m.shape().elementCount() != 1 ? null : (int) Math.min(Integer.MAX_VALUE, (long) m.data()[0]);
    }
}
