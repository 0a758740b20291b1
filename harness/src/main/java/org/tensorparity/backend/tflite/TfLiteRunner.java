package org.tensorparity.backend.tflite;

import static org.bytedeco.tensorflowlite.global.tensorflowlite.TfLiteVersion;
import static org.bytedeco.tensorflowlite.global.tensorflowlite.kTfLiteDynamic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.NativeStack;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.RuntimeInfo;
import org.tensorparity.backend.TfLiteDelegate;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelRef;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.model.Precision;
import org.tensorparity.tensor.InPlaceValues;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Runs a TFLite model in the TFLite C++ interpreter (TF 2.21, through bytedeco's JNI build).
 *
 * <p>With {@link TfLiteDelegate#XNNPACK} the interpreter is configured as an app ships it (builtin
 * op resolver, XNNPACK applied by default); with {@link TfLiteDelegate#NONE} TFLite's builtin kernels
 * run every operator. With {@link RunnerSettings#captureIntermediates()} the interpreter preserves all
 * tensors, so every operator's output can be read after a run; without it TFLite reuses intermediate
 * buffers and their contents are meaningless after the run.
 *
 * <p>Tensors are named by their names in the file. An unnamed tensor is called {@code tensor_<index>},
 * and a name used twice gets {@code #<index>} on its later uses, so names are unique keys.
 *
 * <p>A runner is not thread-safe: use it from one thread at a time.
 */
public final class TfLiteRunner implements ModelRunner {
    private final ModelRef model;
    private final ModelFile file;
    private final RunnerSettings settings;
    private final NativeHandles handles;
    private final ModelDescription description;
    private final CrashGuard guard;
    private final PreparedInterpreter interpreter;
    private final IntermediateCapture capture;
    /** The run in passes; null when the model runs whole, or its dynamic inputs await a run to be planned. */
    private PassRunner passes;
    /** Why passes were asked for and the model still runs whole; null otherwise. */
    private String wholeReason;
    /**
     * Whether the passes are planned at each run's input shapes ({@link #planFor}): a model with dynamic inputs whose
     * operators can be cut.
     */
    private final boolean replans;
    /** The input shapes that {@link #passes} or {@link #wholeReason} were planned for; null before a plan. */
    private List<Shape> plannedFor;
    private boolean closed;
    private boolean ran;
    /** While it holds, the last run's values read in place are in the interpreter's memory; null when none are. */
    private InPlaceValues.Lease lease;

    private TfLiteRunner(ModelFile file, RunnerSettings settings, NativeHandles handles,
            ModelDescription description, PassRunner passes, String wholeReason, boolean replans) {
        this.model = file.ref();
        this.file = file;
        this.passes = passes;
        this.wholeReason = wholeReason;
        this.replans = replans;
        this.settings = settings;
        this.handles = handles;
        this.description = description;
        this.guard = new CrashGuard(model, handles, description);
        TensorReader reader = new TensorReader(model, handles, description);
        this.interpreter = new PreparedInterpreter(model, settings, handles, description, guard, reader);
        this.capture = new IntermediateCapture(handles, description.names(), reader, description.bodies(),
                description.branches());
    }

    /**
     * Every tensor that is not a constant, at the file's shapes, scaled by how much larger the inputs are: a batch of
     * 100 holds a hundred times the activations of a batch of one.
     */
    @Override
    public java.util.OptionalLong capturedValues(long inputValues) {
        return java.util.OptionalLong.of(description.capturedValues(inputValues));
    }

    @Override
    public java.util.OptionalLong largestCapturedValues(long inputValues) {
        return java.util.OptionalLong.of(description.largestCapturedValues(inputValues));
    }

    /**
     * Verifies the file's flatbuffer, builds an interpreter for it and, when every input has a static
     * shape, allocates its tensors (a model with dynamic inputs is allocated at its first run, once the
     * feeds decide the shapes).
     *
     * @param file the model, read by {@link ModelFile#read}; its bytes are copied to native memory
     * @param settings delegate, threads and whether to capture intermediates
     * @return an open runner, which the caller must close
     * @throws ModelFailureException when the file is not a valid TFLite model, uses an operator or a
     *     boundary type this runtime cannot handle, or cannot be prepared; the message is one line naming
     *     the file and carrying TFLite's own reason
     */
    public static TfLiteRunner open(ModelFile file, RunnerSettings settings) throws ModelFailureException {
        return NativeStack.call("tflite-open", () -> openHere(file, settings));
    }

    private static TfLiteRunner openHere(ModelFile file, RunnerSettings settings) throws ModelFailureException {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(settings, "settings");
        ModelRef ref = file.ref();
        NativeHandles handles = new NativeHandles();
        try {
            TfLiteNatives.load();
            return build(file, settings, handles);
        } catch (LinkageError e) {
            handles.close();
            throw new ModelFailureException("TFLite model " + ref.path() + ": the TFLite runtime cannot be loaded on "
                    + Loader.getPlatform() + " (" + oneLine(e.toString()) + ")", e);
        } catch (Throwable t) {
            // Until the runner exists nobody else owns the native objects.
            handles.close();
            throw t;
        }
    }

    private static TfLiteRunner build(ModelFile file, RunnerSettings settings, NativeHandles handles)
            throws ModelFailureException {
        ModelRef ref = file.ref();
        handles.verify(file);
        FlatbufferFacts facts;
        try {
            facts = FlatbufferFacts.of(file.bytes());
        } catch (IllegalArgumentException e) {
            throw new ModelFailureException("TFLite model " + ref.path() + ": " + e.getMessage());
        }
        handles.buildInterpreter(ref, settings);
        ModelDescription description = ModelDescription.read(ref, handles.interpreter(), facts);
        handles.guardLoops(description.names(), settings.maxIterations(), settings.captureIntermediates());
        PassRunner passes = null;
        String wholeReason = null;
        boolean replans = false;
        if (settings.captureIntermediates() && settings.passBytes() > 0) {
            List<Shape> shapes = PassPlan.fileShapes(file);
            if (description.hasDynamicInputs()) {
                // Sized at each run's shapes (planFor): here only its operators and types decide whether it can be
                // cut, so a dimension open in the file counts as 1.
                shapes = shapes.stream()
                        .map(s -> Shape.of(Arrays.stream(s.dims()).map(d -> d == Shape.DYNAMIC ? 1 : d).toArray()))
                        .toList();
            }
            PassPlan plan = PassPlan.of(file, settings.passBytes(), shapes);
            if (plan instanceof PassPlan.Segmented segmented) {
                if (description.hasDynamicInputs()) {
                    replans = true;
                } else {
                    passes = new PassRunner(file, settings, description.signature(), segmented);
                }
            } else {
                wholeReason = ((PassPlan.Whole) plan).reason();
            }
        }
        TfLiteRunner runner = new TfLiteRunner(file, settings, handles, description, passes, wholeReason, replans);
        if (passes != null) {
            // Runs in passes never invoke the whole model's interpreter. Prepared with every tensor preserved it would
            // hold an arena for every activation at once, the memory the passes exist to bound: prepare it instead
            // with buffers reused, which is as small as a plain run's arena and refuses what the instrumented
            // preparation refuses (an unsupported operator or type, a bad shape), with the same message. Its plan is
            // not what graph() reports: without preserved tensors XNNPACK fuses operators, which it does not in the
            // instrumented run; the segments' own interpreters report that (PassRunner#layout). Then replace it with
            // one that allocates nothing, handing its memory back (see PassRunner on trimming).
            handles.rebuildInterpreter(ref, new RunnerSettings(settings.delegate(), settings.threads(), false,
                    settings.maxIterations()));
        }
        if (!description.hasDynamicInputs()) {
            if (settings.delegate() == TfLiteDelegate.XNNPACK) {
                // XNNPACK prepares what the builtin kernels refuse (an operator input index damaged to -1,
                // found by make fuzz) and then crashes the process; the builtin kernels check it first.
                runner.guard.probe(description.signature().inputs().stream().map(TensorSpec::shape).toList(),
                        "cannot prepare the model");
            }
            // Allocating now surfaces a model that cannot be prepared at open, where the user expects it.
            runner.interpreter.prepare("cannot prepare the model");
        }
        if (passes != null) {
            handles.rebuildInterpreter(ref, settings);
            runner.interpreter.unprepared();
            Pointer.trimMemory();
        }
        return runner;
    }

    /** Loads TFLite's native library now rather than at the first model (see {@link OnnxRuntimeRunner#preload()}). */
    public static void preload() {
        NativeStack.call("tflite-preload", () -> {
            TfLiteNatives.load();
            return null;
        });
    }

    /**
     * The version of the linked TFLite runtime ({@code 2.21.0}), read from the native library without
     * opening a model, for {@code --version} and provenance.
     *
     * @return the version string the native library reports
     */
    public static String version() {
        return Version.STRING;
    }

    /** {@inheritDoc} */
    @Override
    public ModelRef model() {
        checkOpen();
        return model;
    }

    /**
     * Inputs and outputs in the model's order. Shapes come from the file's {@code shape_signature}
     * where it has one, so a dimension stored as -1 is {@link Shape#DYNAMIC}.
     */
    @Override
    public ModelSignature signature() {
        checkOpen();
        return description.signature();
    }

    /**
     * The main subgraph's operators in execution order, as the model file defines them. A delegate
     * replaces operators with its own kernels when it is applied; the graph still lists the model's
     * operators, and {@link ModelGraph#notes()} says what the delegate took over and which tensors that
     * hides, as well as any subgraph (IF/WHILE bodies) whose values are not captured. A runner that runs in passes
     * ({@link #runsInPasses()}) reads what the delegate did from its segments' interpreters, so it knows that only
     * after its first run; before it, the notes say XNNPACK has not been applied yet.
     */
    @Override
    public ModelGraph graph() {
        checkOpen();
        if (passes != null) {
            return description.graph(passes.layout()
                    .map(layout -> DelegationNotes.notes(layout, description, settings))
                    .orElseGet(() -> settings.delegate() == TfLiteDelegate.NONE ? List.of()
                            : DelegationNotes.unprepared()));
        }
        return description.graph(DelegationNotes.read(handles.interpreter(), interpreter.isPrepared(), description,
                settings));
    }

    /** TFLite's version, the settings that can change its numbers, and the signature run when the file has any. */
    @Override
    public RuntimeInfo runtime() {
        checkOpen();
        Map<String, String> values = new java.util.LinkedHashMap<>();
        values.put("delegate", settings.delegate() == TfLiteDelegate.XNNPACK ? "xnnpack" : "none");
        values.put("threads", Integer.toString(settings.threads()));
        values.put("preserveAllTensors", Boolean.toString(settings.captureIntermediates()));
        values.put("maxIterations", Integer.toString(settings.maxIterations()));
        // The signature run: its subgraph is the main graph (TfliteSignatures moved it there when it was chosen).
        description.signatureKey().ifPresent(key -> values.put("signature", key));
        return new RuntimeInfo("TFLite", Version.STRING, values);
    }

    /**
     * Runs one inference. A feed whose shape differs from an input's current shape resizes that input
     * (the signature must accept it) and re-prepares the model. A model whose main graph assigns resource variables
     * runs every time from its initial state, on an interpreter built afresh.
     *
     * @throws IllegalArgumentException when a feed is missing, names no input, or has a shape the
     *     input's signature rejects (the binder checks these upstream, so this is a programming error)
     * @throws ModelFailureException when TFLite cannot prepare or run the model; the message carries
     *     TFLite's own reason
     */
    @Override
    public RunResult run(Map<String, Tensor> feeds) throws ModelFailureException {
        return run(feeds, (name, value) -> value);
    }

    /**
     * Runs one inference as {@link #run(Map)} does, handing each captured intermediate to {@code keep} as soon as it
     * is read: in a run in passes ({@link #runsInPasses()}), as soon as its pass ran, so that the caller can spill it
     * before the next pass. The result holds what {@code keep} returned for each, under the same names and in the
     * same order as a whole run captures them; {@code keep} sees them in that order too, but for the output of an
     * operator that computes from constants only (a DEQUANTIZE of float16 weights), which it sees with the first
     * pass that reads it.
     *
     * @param keep takes a captured value's name and value, and returns what the result holds for it
     */
    @Override
    public RunResult run(Map<String, Tensor> feeds, BiFunction<String, Tensor, Tensor> keep)
            throws ModelFailureException {
        Objects.requireNonNull(keep, "keep");
        return NativeStack.call("tflite-run", () -> runHere(feeds, keep, false));
    }

    /**
     * As {@link #run(Map, BiFunction)}, with a whole run's float32 intermediates read in the interpreter's memory,
     * where preserving every tensor leaves them, instead of copied to the heap; a run in passes copies them, as its
     * next pass reuses that memory. They stay readable until this runner runs again or is closed.
     */
    @Override
    public RunResult runInPlace(Map<String, Tensor> feeds, BiFunction<String, Tensor, Tensor> keep)
            throws ModelFailureException {
        Objects.requireNonNull(keep, "keep");
        return NativeStack.call("tflite-run", () -> runHere(feeds, keep, true));
    }

    /**
     * Whether an instrumented run runs in consecutive passes, each holding about {@link RunnerSettings#passBytes()} of
     * intermediates: false when no budget was set, and when the model cannot be cut ({@link #wholeRunReason()}). A
     * model with dynamic inputs is planned at each run's shapes: this says what the last run did, or before the first
     * whether its operators can be cut.
     */
    public boolean runsInPasses() {
        return passes != null || (replans && wholeReason == null);
    }

    /**
     * Why a run asked for passes ({@link RunnerSettings#passBytes()} with captured intermediates) still runs whole,
     * holding every intermediate at once: control flow or resource variables in the main graph, a tensor of no fixed
     * size. Empty when it runs in passes or none were asked for. For a model with dynamic inputs, the last run's.
     */
    @Override
    public Optional<String> wholeRunReason() {
        return Optional.ofNullable(wholeReason);
    }

    /**
     * How many passes an instrumented run makes: 1 when it runs whole. For a model with dynamic inputs, the last
     * run's (1 before the first).
     */
    int passes() {
        return passes == null ? 1 : passes.passes();
    }

    private RunResult runHere(Map<String, Tensor> feeds, BiFunction<String, Tensor, Tensor> keep, boolean inPlace)
            throws ModelFailureException {
        checkOpen();
        Objects.requireNonNull(feeds, "feeds");
        endLease();
        if (ran && description.assignsVariables()) {
            // Every run starts from the model's initial state, as a stateless reference runs: the variables the last
            // run assigned, and CALL_ONCE's record that it initialised them, live in the interpreter, and this binding
            // offers no reset of resource variables (ResetVariableTensors covers only is_variable tensors).
            handles.rebuildInterpreter(model, settings);
            interpreter.unprepared();
        }
        ran = true;
        if (replans) {
            interpreter.checkFeeds(feeds);
            planFor(feeds);
        }
        if (passes != null) {
            interpreter.checkFeeds(feeds);
            return passes.run(feeds, keep);
        }
        Map<String, Tensor> outputs = interpreter.run(feeds);
        Map<String, Tensor> kept = new LinkedHashMap<>();
        if (settings.captureIntermediates()) {
            lease = inPlace ? new InPlaceValues.Lease("TFLite model " + model.path()) : null;
            capture.nodeOutputs(lease).forEach((name, value) -> kept.put(name, keep.apply(name, value)));
        }
        return new RunResult(outputs, kept);
    }

    /**
     * Plans the passes at the input shapes of {@code feeds}, unless the current plan is for them. The model is resized
     * to them and run once with builtin kernels and buffers reused, so that every operator's own preparation sizes its
     * outputs (XNNPACK sizes only its partitions' outputs) in an arena as small as a plain run's; each segment is then
     * written at these static shapes. When a tensor's shape is set only as the run computes it (a RESHAPE to a shape
     * the graph computes), it may depend on values, so the plan holds for these feeds alone. The interpreter is then
     * replaced by one with the runner's settings, unallocated.
     */
    private void planFor(Map<String, Tensor> feeds) throws ModelFailureException {
        List<Shape> inputShapes = description.signature().inputs().stream()
                .map(s -> feeds.get(s.name()).shape()).toList();
        if (inputShapes.equals(plannedFor)) {
            return;
        }
        passes = null;
        plannedFor = null;
        handles.rebuildInterpreter(model, new RunnerSettings(TfLiteDelegate.NONE, settings.threads(), false,
                settings.maxIterations()));
        interpreter.unprepared();
        try {
            int count = PassPlan.fileShapes(file).size();
            interpreter.prepareFor(feeds);
            List<Shape> prepared = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                prepared.add(TensorCopier.shape(handles.interpreter().tensor(i)));
            }
            // Preparing alone is not enough: after it, ultraface-slim320's RESHAPE to a shape its graph computes still
            // had its shape in the file ([1,1,2] for [1,3600,2]); the run sets it.
            interpreter.run(feeds);
            List<Shape> shapes = new ArrayList<>();
            boolean valueDependent = false;
            for (int i = 0; i < count; i++) {
                shapes.add(TensorCopier.shape(handles.interpreter().tensor(i)));
                valueDependent |= handles.interpreter().tensor(i).allocation_type() == kTfLiteDynamic
                        || !shapes.get(i).equals(prepared.get(i));
            }
            PassPlan plan = PassPlan.of(file, settings.passBytes(), shapes);
            if (plan instanceof PassPlan.Segmented segmented) {
                passes = new PassRunner(file, settings, description.signature(), segmented);
                wholeReason = null;
            } else {
                wholeReason = ((PassPlan.Whole) plan).reason();
            }
            plannedFor = valueDependent ? null : inputShapes;
        } finally {
            handles.rebuildInterpreter(model, settings);
            interpreter.unprepared();
            Pointer.trimMemory();
        }
    }

    /** Frees the interpreter, the model, its bytes, the op resolver and the error reporter; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            endLease();
            handles.close();
        }
    }

    /** Values read in place from the last run are not read after this, when the interpreter may write or free them. */
    private void endLease() {
        if (lease != null) {
            lease.end();
            lease = null;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("TFLite runner for " + model.path() + " is closed");
        }
    }

    /** The kind of conversion the file holds, from its tensor types and quantization. */
    @Override
    public Precision precision() {
        checkOpen();
        return description.precision();
    }

    private static String oneLine(String message) {
        return message == null ? "unknown error" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Read once, on first use, so that merely loading this class does not load the native library. */
    private static final class Version {
        static final String STRING = TfLiteVersion().getString();
    }

    /** The file and the settings, for logs and test names. */
    @Override
    public String toString() {
        return "TfLiteRunner[" + model.path() + ", " + settings.delegate() + ", threads=" + settings.threads()
                + ", capture=" + settings.captureIntermediates() + (closed ? ", closed" : "") + "]";
    }
}
