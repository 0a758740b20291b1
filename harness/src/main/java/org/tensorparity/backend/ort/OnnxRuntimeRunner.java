package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.Background;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.NativeStack;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.RuntimeInfo;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelRef;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/** Runs an ONNX model in ONNX Runtime (CPU execution provider). */
public final class OnnxRuntimeRunner implements ModelRunner {

    private final ModelRef model;
    private final RunnerSettings settings;
    private final OrtSession session;
    private final ModelSignature signature;
    private final ModelGraph graph;
    private final List<LoopBound.Counter> loopCounters;
    /** With {@link RunnerSettings#passBytes()}, the instrumented run in passes, and no session of the whole model. */
    private final OnnxPasses passes;
    private boolean closed;

    private OnnxRuntimeRunner(ModelRef model, RunnerSettings settings, OrtSession session, ModelSignature signature,
            ModelGraph graph, List<LoopBound.Counter> loopCounters, OnnxPasses passes) {
        this.model = model;
        this.settings = settings;
        this.session = session;
        this.signature = signature;
        this.graph = graph;
        this.loopCounters = loopCounters;
        this.passes = passes;
    }

    /**
     * Loads ONNX Runtime's native library and starts its environment now rather than at the first model:
     * a command line can do it while it parses its arguments. Later opens find it done.
     */
    public static void preload() {
        NativeStack.call("onnxruntime-preload", OrtEnv::get);
    }

    /** The linked ONNX Runtime version, e.g. {@code 1.29.0}. */
    public static String version() {
        return NativeStack.call("onnxruntime-version", () -> OrtEnv.get().getVersion());
    }

    /**
     * Builds a session from the file's bytes. With {@link RunnerSettings#captureIntermediates()} every
     * node output of the main graph is added as a graph output first; with a {@link RunnerSettings#passBytes()}
     * too, no session is built here: each run builds one per pass ({@link OnnxPasses}).
     */
    public static OnnxRuntimeRunner open(ModelFile file, RunnerSettings settings) throws ModelFailureException {
        return NativeStack.call("onnxruntime-open", () -> openHere(file, settings));
    }

    private static OnnxRuntimeRunner openHere(ModelFile file, RunnerSettings settings) throws ModelFailureException {
        // First, so the environment (and the litter sweeper's snapshot) precedes any other ORT class loading.
        OrtEnv.get();
        ModelRef ref = file.ref();
        if (settings.captureIntermediates() && settings.passBytes() > 0) {
            return openInPasses(file, settings);
        }
        Background<Read, ModelFailureException> read;
        ByteBuffer bytes;
        if (settings.captureIntermediates()) {
            OnnxMl.ModelProto proto = OnnxModelFile.parse(file);
            LoopBound.Bounded bounded = LoopBound.bound(OnnxModelFile.exposeAllNodeOutputs(proto),
                    settings.maxIterations());
            read = Background.done(new Read(OnnxModelFile.Declared.of(proto), bounded.counters(), null));
            bytes = OnnxModelFile.serialize(bounded.model());
        } else {
            // A plain session is built from the file's own bytes, so the graph is read from the protobuf on
            // another core meanwhile: 230 ms (most of it protobuf's first use) beside the 86 MB template's
            // one-second session build, on the 2-core CI machine. A model with a Loop is rebuilt bounded once
            // that read finds it: a second session, but none for the models without one.
            read = Background.start("onnx-graph", () -> Read.of(OnnxModelFile.parse(file), settings.maxIterations()));
            bytes = file.bytes();
        }
        OrtSession session = null;
        try (OrtSession.SessionOptions options = sessionOptions(settings)) {
            session = OrtEnv.get().createSession(bytes, options);
            Read graph = read.join();
            if (graph.bounded() != null) {
                closeQuietly(session);
                session = null;
                session = OrtEnv.get().createSession(graph.bounded(), options);
            }
            return new OnnxRuntimeRunner(ref, settings, session, describe(session, graph.declared().outputs()),
                    graph.declared().graph(), graph.counters(), null);
        } catch (OrtException e) {
            if (session != null) {
                closeQuietly(session);
            }
            // A file that is no ONNX protobuf at all is said so in those words rather than in ONNX Runtime's.
            read.join();
            throw new ModelFailureException("ONNX model " + ref.path() + ": ONNX Runtime cannot load it: "
                    + oneLine(e.getMessage()), e);
        } catch (ModelFailureException | RuntimeException | Error e) {
            if (session != null) {
                closeQuietly(session);
            }
            throw e;
        }
    }

    /** The options of every session of this runner: one per model, or one per pass. */
    private static OrtSession.SessionOptions sessionOptions(RunnerSettings settings) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(settings.threads());
        options.setInterOpNumThreads(1);
        options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        return options;
    }

    /**
     * A runner that runs in passes: the signature is the one the file declares, read from the protobuf as
     * {@link #declaredSignature} reads it, and the loops are bounded as the one-session run bounds them.
     */
    private static OnnxRuntimeRunner openInPasses(ModelFile file, RunnerSettings settings)
            throws ModelFailureException {
        OnnxMl.ModelProto proto = OnnxModelFile.parse(file);
        LoopBound.Bounded bounded = LoopBound.bound(proto, settings.maxIterations());
        List<String> exposed = OnnxModelFile.exposeAllNodeOutputs(proto).getGraph().getOutputList().stream()
                .map(OnnxMl.ValueInfoProto::getName).toList();
        Set<String> counters = new HashSet<>();
        bounded.counters().forEach(c -> counters.add(c.output()));
        OnnxPasses passes = new OnnxPasses(file.ref().path().toString(), bounded.model(), exposed, counters,
                settings.passBytes());
        OnnxModelFile.Declared declared = OnnxModelFile.Declared.of(proto);
        return new OnnxRuntimeRunner(file.ref(), settings, null, OnnxModelFile.declaredSignature(file, proto),
                declared.graph(), bounded.counters(), passes);
    }

    /**
     * What the protobuf says, read beside the session build.
     *
     * @param counters the graph outputs that count each loop's iterations
     * @param bounded the model with its loops bounded, when a plain session must be rebuilt from it; else null
     */
    private record Read(OnnxModelFile.Declared declared, List<LoopBound.Counter> counters, ByteBuffer bounded) {
        static Read of(OnnxMl.ModelProto proto, int maxIterations) {
            OnnxModelFile.Declared declared = OnnxModelFile.Declared.of(proto);
            LoopBound.Bounded bounded = LoopBound.bound(proto, maxIterations);
            return bounded.counters().isEmpty() ? new Read(declared, List.of(), null)
                    : new Read(declared, bounded.counters(), OnnxModelFile.serialize(bounded.model()));
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // The failure that made us close it is the one the user needs.
        }
    }

    /**
     * The inputs and outputs the file declares, read from its protobuf without building a session (a suite
     * checks its names against every pair before running any).
     */
    public static ModelSignature declaredSignature(ModelFile file) throws ModelFailureException {
        return OnnxModelFile.declaredSignature(file);
    }

    /**
     * {@code file} with the taken branch of chosen {@code If} nodes of its main graph inlined in their place, read
     * and rewritten in Java ({@link IfInliner}).
     *
     * @param conditions each {@code If} to inline, by its first output's name, with its condition's value in the run
     * @param depth how deep in the user's model those {@code If} nodes were nested (0: its main graph)
     */
    public static org.tensorparity.backend.InlinedModel inlineBranches(ModelFile file, Map<String, Boolean> conditions,
            int depth) throws ModelFailureException {
        return IfInliner.inline(file, conditions, depth);
    }

    /**
     * {@code file} with the {@code Loop} nodes of its main graph unrolled in their place, read and rewritten in Java
     * ({@link LoopUnroller}).
     *
     * @param values what a run computed and was fed, by name, from which each loop's iteration count is read
     * @param maxNodes most body nodes, over all iterations, one {@code Loop} may put in the graph
     */
    public static org.tensorparity.backend.UnrolledModel unrollLoops(ModelFile file,
            Map<String, org.tensorparity.tensor.Tensor> values, int maxNodes) throws ModelFailureException {
        return LoopUnroller.unroll(file, values, maxNodes);
    }

    /**
     * {@code file} with the {@code Loop} and {@code Scan} nodes of its main graph unrolled in their place, read and
     * rewritten in Java ({@link NestedBodies}, {@link LoopUnroller}, {@link ScanUnroller}).
     *
     * @param values what a run computed and was fed, by name, from which each node's iteration count is read
     * @param maxNodes most body nodes, over all iterations, one node may put in the graph
     * @param enclosing the loops unrolled before, whose iterations hold the nested ones
     */
    public static org.tensorparity.backend.UnrolledModel unrollBodies(ModelFile file,
            Map<String, org.tensorparity.tensor.Tensor> values, int maxNodes,
            List<org.tensorparity.backend.UnrolledLoop> enclosing) throws ModelFailureException {
        return NestedBodies.unroll(file, values, maxNodes, enclosing);
    }

    private static ModelSignature describe(OrtSession session, Set<String> declaredOutputs) throws OrtException {
        List<TensorSpec> inputs = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            inputs.add(spec(e.getKey(), e.getValue()));
        }
        List<TensorSpec> outputs = new ArrayList<>();
        for (Map.Entry<String, NodeInfo> e : session.getOutputInfo().entrySet()) {
            if (declaredOutputs.contains(e.getKey())) {
                outputs.add(spec(e.getKey(), e.getValue()));
            }
        }
        return new ModelSignature(inputs, outputs);
    }

    private static TensorSpec spec(String name, NodeInfo info) {
        if (info.getInfo() instanceof TensorInfo t) {
            return new TensorSpec(name, OrtTensors.dtype(t.type), Shape.ofLongs(t.getShape()));
        }
        throw new IllegalStateException("'" + name + "' is not a tensor (" + info.getInfo() + ")");
    }

    @Override
    public ModelRef model() {
        checkOpen();
        return model;
    }

    @Override
    public ModelSignature signature() {
        checkOpen();
        return signature;
    }

    @Override
    public ModelGraph graph() {
        checkOpen();
        return graph;
    }

    @Override
    public RuntimeInfo runtime() {
        checkOpen();
        return new RuntimeInfo("ONNX Runtime", version(), Map.of(
                "executionProvider", "CPU",
                "intraOpThreads", Integer.toString(settings.threads()),
                "graphOptimization", "ORT_ENABLE_ALL",
                "allNodeOutputsExposed", Boolean.toString(settings.captureIntermediates()),
                "maxIterations", Integer.toString(settings.maxIterations())));
    }

    @Override
    public RunResult run(Map<String, Tensor> feeds) throws ModelFailureException {
        return run(feeds, (name, value) -> value);
    }

    /**
     * Runs the model; with {@link RunnerSettings#captureIntermediates()} each captured value goes through
     * {@code keep} as soon as ONNX Runtime computed it (in a run in passes, before the next pass runs), and what
     * {@code keep} returns is what the result holds, among the intermediates and the outputs alike.
     */
    @Override
    public RunResult run(Map<String, Tensor> feeds, BiFunction<String, Tensor, Tensor> keep)
            throws ModelFailureException {
        return NativeStack.call("onnxruntime-run", () -> runHere(feeds, keep));
    }

    private RunResult runHere(Map<String, Tensor> feeds, BiFunction<String, Tensor, Tensor> keep)
            throws ModelFailureException {
        checkOpen();
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            for (TensorSpec spec : signature.inputs()) {
                Tensor feed = feeds.get(spec.name());
                if (feed == null) {
                    throw new IllegalArgumentException("no feed for ONNX input '" + spec.name() + "'");
                }
                inputs.put(spec.name(), OrtTensors.toOnnx(feed, spec.dtype(), spec.name()));
            }
            if (passes != null) {
                try (OrtSession.SessionOptions options = sessionOptions(settings)) {
                    return result(passes.run(inputs, options, keep, this::checkIterations),
                            passes.lastSegments().size());
                }
            }
            try (OrtSession.Result result = session.run(inputs)) {
                checkIterations(result);
                Set<String> counters = new HashSet<>();
                loopCounters.forEach(c -> counters.add(c.output()));
                Map<String, Tensor> all = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (counters.contains(e.getKey())) {
                        continue;
                    }
                    if (e.getValue() instanceof OnnxTensor t && OrtTensors.isNumeric(t.getInfo().type)) {
                        Tensor value = OrtTensors.toTensor(t);
                        all.put(e.getKey(), settings.captureIntermediates() ? keep.apply(e.getKey(), value) : value);
                    }
                }
                return result(all, 1);
            }
        } catch (OrtException e) {
            throw new ModelFailureException("ONNX model " + model.path() + ": inference failed: "
                    + oneLine(e.getMessage()), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /**
     * The outputs, taken from {@code all}, and with {@link RunnerSettings#captureIntermediates()} all of it, captured in
     * {@code passes}.
     */
    private RunResult result(Map<String, Tensor> all, int passes) {
        Map<String, Tensor> outputs = new LinkedHashMap<>();
        for (TensorSpec spec : signature.outputs()) {
            outputs.put(spec.name(), all.get(spec.name()));
        }
        return new RunResult(outputs, settings.captureIntermediates() ? all : Map.of(), passes);
    }

    /** Fails the run when a loop ran more iterations than allowed: its trip count was capped one above the bound. */
    private void checkIterations(OrtSession.Result result) throws ModelFailureException {
        for (LoopBound.Counter c : loopCounters) {
            if (result.get(c.output()).orElse(null) instanceof OnnxTensor t && t.getLongBuffer().get(0)
                    > settings.maxIterations()) {
                int max = settings.maxIterations();
                throw new ModelFailureException("ONNX model " + model.path() + ": " + c.loop() + " runs more than " + max
                        + (max == 1 ? " iteration" : " iterations") + " (--max-iterations " + max + ")");
            }
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                if (session != null) {
                    session.close();
                }
            } catch (OrtException e) {
                // Nothing the user can act on: the process is done with this model.
            }
        }
    }

    /** The run in passes, or null when runs take one session. */
    OnnxPasses passes() {
        return passes;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("runner for " + model.path() + " is closed");
        }
    }

    /** An ONNX Runtime message on one line, for a one-line error. */
    static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
