package org.tensorparity.run;

import java.util.ArrayList;
import java.util.List;
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
 */
record CapturedRun(ModelFile onnxFile, ModelGraph onnxGraph, RunResult onnx, ModelGraph tfliteGraph, RunResult tflite,
        List<InlinedBranch> inlined, List<String> notInlined, List<UnrolledLoop> unrolled, String heldWhole) {

    CapturedRun {
        inlined = List.copyOf(inlined);
        notInlined = List.copyOf(notInlined);
        unrolled = List.copyOf(unrolled);
    }

    /** One model's instrumented run. */
    record Side(ModelGraph graph, RunResult result) {
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
        if (onnx == null) {
            try (ModelRunner runner = runtimes.openOnnx(onnxFile, instrumented)) {
                onnx = new Side(runner.graph(), runner.run(feeds.onnx(), capture.keep()));
            }
        }
        BranchInlining.Result branches = BranchInlining.inline(runtimes, capture, settings, onnxFile, onnx, feeds.onnx());
        LoopUnrolling.Result loops = LoopUnrolling.unroll(runtimes, capture, settings, branches.file(), branches.side(),
                feeds.onnx());
        onnx = loops.side();
        Side tflite;
        String heldWhole = null;
        if (tfliteStarted != null) {
            tflite = tfliteStarted.join();
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
                branches.branches(), whole, loops.loops(), heldWhole);
    }
}
