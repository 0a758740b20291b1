package org.tensorparity.backend.tflite;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteOk;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.tensorflowlite.Interpreter;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.TfLiteDelegate;
import org.tensorparity.model.ModelRef;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * The runner's interpreter, kept prepared for the input shapes it last ran: it checks the feeds, resizes
 * inputs and prepares again when their shapes change, writes the feeds, invokes and reads the outputs.
 */
final class PreparedInterpreter {
    private final ModelRef model;
    private final RunnerSettings settings;
    private final NativeHandles handles;
    private final ModelDescription description;
    private final CrashGuard guard;
    private final TensorReader reader;
    private final ModelSignature signature;
    private final int[] inputIndices;
    private final int[] outputIndices;
    private boolean allocated;

    PreparedInterpreter(ModelRef model, RunnerSettings settings, NativeHandles handles, ModelDescription description,
            CrashGuard guard, TensorReader reader) {
        this.model = model;
        this.settings = settings;
        this.handles = handles;
        this.description = description;
        this.guard = guard;
        this.reader = reader;
        this.signature = description.signature();
        this.inputIndices = description.inputIndices();
        this.outputIndices = description.outputIndices();
    }

    /** Whether the tensors are allocated for the current input shapes, so that the interpreter may run. */
    boolean isPrepared() {
        return allocated;
    }

    /** Forgets the preparation: the interpreter was replaced by a fresh one, which the next run prepares. */
    void unprepared() {
        allocated = false;
    }

    /** Allocates the interpreter's tensors for the current input shapes, refusing shapes the guard finds unsafe. */
    void prepare(String what) throws ModelFailureException {
        if (handles.interpreter().AllocateTensors() != kTfLiteOk) {
            throw handles.errors().failure(model, what);
        }
        allocated = true;
        try {
            guard.checkPreparedShapes(handles.interpreter(), what);
        } catch (ModelFailureException e) {
            allocated = false;
            throw e;
        }
    }

    /**
     * Runs one inference and returns the outputs by name, in the model's order.
     *
     * @throws IllegalArgumentException when a feed is missing, names no input, or has a shape the
     *     input's signature rejects
     * @throws ModelFailureException when TFLite cannot prepare or run the model
     */
    Map<String, Tensor> run(Map<String, Tensor> feeds) throws ModelFailureException {
        prepareFor(feeds);
        Interpreter interpreter = handles.interpreter();
        for (int k = 0; k < inputIndices.length; k++) {
            TensorSpec spec = signature.inputs().get(k);
            TensorCopier.write(interpreter.tensor(inputIndices[k]), spec.dtype(), feeds.get(spec.name()).data());
        }
        LoopGuard loops = handles.loops();
        if (loops != null) {
            loops.reset();
        }
        if (interpreter.Invoke() != kTfLiteOk) {
            String runaway = loops == null ? null : loops.runaway();
            if (runaway != null) {
                // TFLite's own line only says the run was cancelled.
                handles.errors().drain();
                throw new ModelFailureException("TFLite model " + model.path() + ": " + runaway);
            }
            throw handles.errors().failure(model, "inference failed");
        }
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (int k = 0; k < outputIndices.length; k++) {
            TensorSpec spec = signature.outputs().get(k);
            outputs.put(spec.name(), reader.read(outputIndices[k], spec.dtype()));
        }
        return outputs;
    }

    /**
     * Checks {@code feeds}, resizes the inputs to their shapes where they differ and prepares the model again for
     * them; does nothing more when it is prepared for them already.
     *
     * @throws IllegalArgumentException as {@link #run} does
     * @throws ModelFailureException when TFLite cannot prepare the model for these shapes
     */
    void prepareFor(Map<String, Tensor> feeds) throws ModelFailureException {
        checkFeeds(feeds);
        Interpreter interpreter = handles.interpreter();
        handles.errors().drain();
        for (int k = 0; k < inputIndices.length; k++) {
            TensorSpec spec = signature.inputs().get(k);
            Shape shape = feeds.get(spec.name()).shape();
            if (!TensorCopier.shape(interpreter.tensor(inputIndices[k])).equals(shape)) {
                // From here until a successful allocation the interpreter must not run.
                allocated = false;
                if (interpreter.ResizeInputTensor(inputIndices[k], shape.dims()) != kTfLiteOk) {
                    throw handles.errors().failure(model, "cannot resize input '" + spec.name() + "' to " + shape);
                }
            }
        }
        if (!allocated) {
            String what = "cannot prepare the model for input shapes " + feedShapes(feeds);
            if (settings.delegate() == TfLiteDelegate.XNNPACK && description.hasDynamicInputs()) {
                guard.probeFeeds(feeds, what);
            }
            prepare(what);
        }
    }

    /**
     * Checks that {@code feeds} name every input and nothing else, each at a shape its signature accepts.
     *
     * @throws IllegalArgumentException naming the feed at fault
     */
    void checkFeeds(Map<String, Tensor> feeds) {
        List<String> inputNames = signature.inputs().stream().map(TensorSpec::name).toList();
        for (String name : feeds.keySet()) {
            if (!inputNames.contains(name)) {
                throw new IllegalArgumentException("'" + name + "' is not an input of TFLite model " + model.path()
                        + "; its inputs are " + inputNames);
            }
        }
        for (TensorSpec spec : signature.inputs()) {
            Tensor feed = feeds.get(spec.name());
            if (feed == null) {
                throw new IllegalArgumentException("no feed for TFLite input '" + spec.name() + "' of " + model.path());
            }
            if (!spec.shape().accepts(feed.shape())) {
                throw new IllegalArgumentException("feed for TFLite input '" + spec.name() + "' has shape "
                        + feed.shape() + ", but the model accepts " + spec.shape());
            }
        }
    }

    private static String feedShapes(Map<String, Tensor> feeds) {
        StringBuilder sb = new StringBuilder();
        feeds.forEach((name, t) -> sb.append(sb.length() == 0 ? "" : ", ").append(name).append('=').append(t.shape()));
        return "{" + sb + "}";
    }
}
