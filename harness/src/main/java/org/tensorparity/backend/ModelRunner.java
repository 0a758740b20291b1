package org.tensorparity.backend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.tensorparity.ModelFailureException;
import org.tensorparity.model.ModelRef;
import org.tensorparity.model.Precision;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.tensor.Tensor;

/**
 * One loaded model in one runtime. A runner runs; it knows nothing of comparison or reports.
 *
 * <p>A runner owns native resources: open it in try-with-resources. {@link #close()} is idempotent;
 * any other call after close throws {@link IllegalStateException}.
 */
public interface ModelRunner extends AutoCloseable {

    ModelRef model();

    /** Inputs and outputs as the model declares them; dynamic dimensions stay dynamic. */
    ModelSignature signature();

    /** The operators of the main graph in execution order, for layer-by-layer alignment. */
    ModelGraph graph();

    RuntimeInfo runtime();

    /** What the model computes in (float32 unless its format says otherwise, as a quantized TFLite file does). */
    default Precision precision() {
        return Precision.FLOAT32;
    }

    /**
     * About how many values capturing every intermediate of this model holds for inputs of {@code inputValues} values
     * in all (what a layer-by-layer run keeps of it); empty where the runtime cannot tell before running.
     */
    default java.util.OptionalLong capturedValues(long inputValues) {
        return java.util.OptionalLong.empty();
    }

    /** The values of the largest of those {@linkplain #capturedValues captured} tensors; empty where unknown. */
    default java.util.OptionalLong largestCapturedValues(long inputValues) {
        return java.util.OptionalLong.empty();
    }

    /**
     * Runs one inference. {@code feeds} has one tensor per signature input, by input name, with a
     * static shape that the signature accepts; the runner resizes dynamic inputs to fit.
     */
    RunResult run(Map<String, Tensor> feeds) throws ModelFailureException;

    /**
     * Why an instrumented run asked to go in passes ({@link RunnerSettings#passBytes()}) still holds every intermediate
     * at once (control flow or state this runtime's passes cannot cut); empty when it runs in passes or none
     * were asked for.
     */
    default Optional<String> wholeRunReason() {
        return Optional.empty();
    }

    /**
     * Runs one inference as {@link #run(Map)} does, handing every captured intermediate to {@code keep}, whose result
     * stands in the run's result in its place (a {@link TensorSpill} keeps it on disk). A runner that captures in
     * passes ({@link RunnerSettings#passBytes()}) hands each on as its pass ends, so that no more than a pass is held;
     * this default hands them on after the run.
     */
    default RunResult run(Map<String, Tensor> feeds, BiFunction<String, Tensor, Tensor> keep)
            throws ModelFailureException {
        RunResult whole = run(feeds);
        Map<String, Tensor> kept = new LinkedHashMap<>();
        whole.intermediates().forEach((name, value) -> kept.put(name, keep.apply(name, value)));
        return new RunResult(whole.outputs(), kept, whole.passes());
    }

    /**
     * Runs as {@link #run(Map, BiFunction)} does, except that captured float values may be read where the runtime keeps
     * them instead of copied to the heap ({@link org.tensorparity.tensor.InPlaceValues}). They stay readable until this
     * runner runs again or is closed; a read after that fails. This default copies them, as {@code run} does.
     */
    default RunResult runInPlace(Map<String, Tensor> feeds, BiFunction<String, Tensor, Tensor> keep)
            throws ModelFailureException {
        return run(feeds, keep);
    }

    @Override
    void close();
}
