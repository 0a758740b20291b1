package org.tensorparity.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorparity.ModelFailureException;
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
     * Unrolls every {@code Loop} of the main graph whose iteration count the run tells (the length of a captured scan
     * output, or the trip count of a loop nothing ends early) and that stays within {@link #MAX_UNROLLED_NODES}.
     *
     * @param first the instrumented run of {@code file} on {@code feeds}
     * @param feeds the reference's inputs of the sample
     */
    static Result unroll(Runtimes runtimes, RunnerSettings instrumented, ModelFile file, CapturedRun.Side first,
            Map<String, Tensor> feeds) {
        if (first.graph().nodes().stream().noneMatch(n -> n.opType().equals("Loop"))) {
            return new Result(file, first, List.of(), List.of());
        }
        Map<String, Tensor> values = new HashMap<>(feeds);
        values.putAll(first.result().intermediates());
        UnrolledModel rewritten;
        try {
            rewritten = runtimes.unrollLoops(file, values, MAX_UNROLLED_NODES);
            if (rewritten.unrolled().isEmpty()) {
                return new Result(file, first, List.of(), rewritten.notUnrolled());
            }
            try (ModelRunner runner = runtimes.openOnnx(rewritten.file(), instrumented)) {
                CapturedRun.Side next = new CapturedRun.Side(runner.graph(), runner.run(feeds));
                return new Result(rewritten.file(), next, rewritten.unrolled(), rewritten.notUnrolled());
            }
        } catch (ModelFailureException e) {
            // The run as the model given computes it stands; only the bodies' values are not captured.
            return new Result(file, first, List.of(), List.of("the Loop nodes were not unrolled: the model with their"
                    + " bodies unrolled did not run (" + e.getMessage() + "), so their values are not captured"));
        }
    }
}
