package org.tensorparity.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.Background;
import org.tensorparity.backend.InlinedBranch;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.backend.UnrolledLoop;
import org.tensorparity.model.ModelFile;
import org.tensorparity.tensor.Tensor;

/**
 * The instrumented run of the sample the layers are compared on: both graphs and every captured tensor.
 *
 * @param onnxFile the reference model that ran instrumented: the user's, or it with the taken branches of its
 *     {@code If} nodes inlined ({@link BranchInlining}) and its {@code Loop} nodes unrolled ({@link LoopUnrolling});
 *     isolation runs its operators
 * @param inlined the {@code If} branches inlined into the reference for this run
 * @param notInlined for each {@code If} and {@code Loop} left whole, why its values are not captured
 * @param unrolled the {@code Loop} nodes unrolled into the reference for this run
 * @param heldWhole for a capture asked to go in passes, why the TFLite model's run held every intermediate at once
 *     anyway; null otherwise
 * @param tfliteHolder the TFLite runner whose memory holds the values its capture reads in place, which {@link #close}
 *     frees; null when they were copied
 */
record CapturedRun(ModelFile onnxFile, ModelGraph onnxGraph, RunResult onnx, ModelGraph tfliteGraph, RunResult tflite,
        List<InlinedBranch> inlined, List<String> notInlined, List<UnrolledLoop> unrolled, String heldWhole,
        ModelRunner tfliteHolder) implements AutoCloseable {

    CapturedRun {
        inlined = List.copyOf(inlined);
        notInlined = List.copyOf(notInlined);
        unrolled = List.copyOf(unrolled);
    }

    /**
     * One model's instrumented run.
     *
     * @param holder the runner whose memory holds values of {@code result} read in place; null when all were copied
     */
    record Side(ModelGraph graph, RunResult result, ModelRunner holder) implements AutoCloseable {
        Side(ModelGraph graph, RunResult result) {
            this(graph, result, null);
        }

        /** Frees the memory the values read in place are in: they are not read after this. */
        @Override
        public void close() {
            if (holder != null) {
                holder.close();
            }
        }
    }

    /**
     * The TFLite model's instrumented run of {@code feeds}, its captured values held whole and read in place where the
     * runtime keeps them, until the side is closed.
     */
    static Side tfliteInPlace(Runtimes runtimes, ModelFile tfliteFile, RunnerSettings instrumented,
            Map<String, Tensor> feeds) throws ModelFailureException {
        ModelRunner runner = runtimes.openTflite(tfliteFile, instrumented);
        try {
            // The graph after the run: a model with dynamic inputs is prepared, and XNNPACK applied, by it.
            RunResult result = runner.runInPlace(feeds, (name, value) -> value);
            return new Side(runner.graph(), result, runner);
        } catch (ModelFailureException | RuntimeException | Error e) {
            runner.close();
            throw e;
        }
    }

    /** Waits for a capture started beside the plain runs that is no longer wanted, and frees what it holds. */
    static void discard(Background<Side, ModelFailureException> started) {
        Side side = started.joinQuietly();
        if (side != null) {
            side.close();
        }
    }

    /** Frees the memory the TFLite capture's values read in place are in: they are not read after this. */
    @Override
    public void close() {
        if (tfliteHolder != null) {
            tfliteHolder.close();
        }
    }

    /**
     * Runs what is not run yet with every intermediate kept.
     *
     * @param settings the runners' settings, which {@code capture} makes instrumented
     * @param capture how the run keeps to its memory budget: whole, or in passes with the values on disk
     * @param onnxDone the ONNX model's instrumented run when the plain run already kept every intermediate, or null
     * @param tfliteStarted the TFLite model's instrumented run when it was started beside the plain runs, or null
     * @param feeds the sample's inputs of both models
     */
    static CapturedRun of(Runtimes runtimes, RunnerSettings settings, CapturePlan capture, ModelFile onnxFile,
            ModelFile tfliteFile, Side onnxDone, Background<Side, ModelFailureException> tfliteStarted,
            InputFeeds.Sample feeds) throws ModelFailureException {
        RunnerSettings instrumented = capture.instrumented(settings);
        Side onnx = onnxDone;
        BranchInlining.Result branches;
        LoopUnrolling.Result loops;
        try {
            if (onnx == null) {
                try (ModelRunner runner = runtimes.openOnnx(onnxFile, instrumented)) {
                    onnx = new Side(runner.graph(), runner.run(feeds.onnx(), capture.keep()));
                }
            }
            branches = BranchInlining.inline(runtimes, capture, settings, onnxFile, onnx, feeds.onnx());
            loops = LoopUnrolling.unroll(runtimes, capture, settings, branches.file(), branches.side(), feeds.onnx());
        } catch (ModelFailureException | RuntimeException | Error e) {
            if (tfliteStarted != null) {
                discard(tfliteStarted);
            }
            throw e;
        }
        onnx = loops.side();
        Side tflite;
        String heldWhole = null;
        if (tfliteStarted != null) {
            tflite = tfliteStarted.join();
        } else if (!capture.inPasses()) {
            tflite = tfliteInPlace(runtimes, tfliteFile, instrumented, feeds.tflite());
        } else {
            try (ModelRunner runner = runtimes.openTflite(tfliteFile, instrumented)) {
                // The graph after the run: a run in passes tells what XNNPACK did only once its passes prepared it.
                RunResult result = runner.run(feeds.tflite(), capture.keep());
                tflite = new Side(runner.graph(), result);
                heldWhole = runner.wholeRunReason().orElse(null);
            }
        }
        List<String> whole = new ArrayList<>(branches.notInlined());
        whole.addAll(loops.notUnrolled());
        return new CapturedRun(loops.file(), onnx.graph(), onnx.result(), tflite.graph(), tflite.result(),
                branches.branches(), whole, loops.loops(), heldWhole, tflite.holder());
    }
}
