package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.Background;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.Subgraph;
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
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/** Runs an ONNX model in ONNX Runtime (CPU execution provider). */
public final class OnnxRuntimeRunner implements ModelRunner {

    private final ModelRef model;
    private final RunnerSettings settings;
    private final OrtSession session;
    private final ModelSignature signature;
    private final ModelGraph graph;
    private boolean closed;

    private OnnxRuntimeRunner(ModelRef model, RunnerSettings settings, OrtSession session, ModelSignature signature,
            ModelGraph graph) {
        this.model = model;
        this.settings = settings;
        this.session = session;
        this.signature = signature;
        this.graph = graph;
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
     * node output of the main graph is added as a graph output first.
     */
    public static OnnxRuntimeRunner open(ModelFile file, RunnerSettings settings) throws ModelFailureException {
        return NativeStack.call("onnxruntime-open", () -> openHere(file, settings));
    }

    private static OnnxRuntimeRunner openHere(ModelFile file, RunnerSettings settings) throws ModelFailureException {
        // First, so the environment (and the litter sweeper's snapshot) precedes any other ORT class loading.
        OrtEnv.get();
        ModelRef ref = file.ref();
        Background<Declared, ModelFailureException> declared;
        ByteBuffer bytes;
        if (settings.captureIntermediates()) {
            OnnxMl.ModelProto proto = parse(file);
            declared = Background.done(Declared.of(proto));
            bytes = exposeAllNodeOutputs(proto);
        } else {
            // A plain session is built from the file's own bytes, so the graph is read from the protobuf on
            // another core meanwhile: 230 ms (most of it protobuf's first use) beside the 86 MB template's
            // one-second session build, on the 2-core CI machine.
            declared = Background.start("onnx-graph", () -> Declared.of(parse(file)));
            bytes = file.bytes();
        }
        OrtSession session;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(settings.threads());
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            session = OrtEnv.get().createSession(bytes, options);
        } catch (OrtException e) {
            // A file that is no ONNX protobuf at all is said so in those words rather than in ONNX Runtime's.
            declared.join();
            throw new ModelFailureException("ONNX model " + ref.path() + ": ONNX Runtime cannot load it: "
                    + oneLine(e.getMessage()), e);
        }
        try {
            Declared graph = declared.join();
            return new OnnxRuntimeRunner(ref, settings, session, describe(session, graph.outputs()), graph.graph());
        } catch (OrtException e) {
            closeQuietly(session);
            throw new ModelFailureException("ONNX model " + ref.path() + ": ONNX Runtime cannot load it: "
                    + oneLine(e.getMessage()), e);
        } catch (ModelFailureException | RuntimeException | Error e) {
            closeQuietly(session);
            throw e;
        }
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            // The failure that made us close it is the one the user needs.
        }
    }

    /** What the protobuf says of the graph: its operators and constants, and which outputs it declares. */
    private record Declared(ModelGraph graph, Set<String> outputs) {
        static Declared of(OnnxMl.ModelProto proto) {
            Set<String> outputs = new HashSet<>();
            proto.getGraph().getOutputList().forEach(o -> outputs.add(o.getName()));
            return new Declared(describeGraph(proto.getGraph()), outputs);
        }
    }

    /**
     * The inputs and outputs the file declares, read from its protobuf without building a session (a suite
     * checks its names against every pair before running any): graph inputs that are not initializers, and
     * graph outputs; a dimension without a value is dynamic.
     */
    public static ModelSignature declaredSignature(ModelFile file) throws ModelFailureException {
        OnnxMl.GraphProto graph = parse(file).getGraph();
        Set<String> weights = new HashSet<>();
        graph.getInitializerList().forEach(t -> weights.add(t.getName()));
        List<TensorSpec> inputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : graph.getInputList()) {
            if (!weights.contains(v.getName())) {
                inputs.add(declared(file, v));
            }
        }
        List<TensorSpec> outputs = new ArrayList<>();
        for (OnnxMl.ValueInfoProto v : graph.getOutputList()) {
            outputs.add(declared(file, v));
        }
        return new ModelSignature(inputs, outputs);
    }

    private static TensorSpec declared(ModelFile file, OnnxMl.ValueInfoProto v) throws ModelFailureException {
        OnnxMl.TypeProto.Tensor t = v.getType().getTensorType();
        DType dtype = switch (t.getElemType()) {
            case OnnxMl.TensorProto.DataType.FLOAT_VALUE -> DType.FLOAT32;
            case OnnxMl.TensorProto.DataType.FLOAT16_VALUE -> DType.FLOAT16;
            case OnnxMl.TensorProto.DataType.DOUBLE_VALUE -> DType.FLOAT64;
            case OnnxMl.TensorProto.DataType.INT8_VALUE -> DType.INT8;
            case OnnxMl.TensorProto.DataType.UINT8_VALUE -> DType.UINT8;
            case OnnxMl.TensorProto.DataType.INT16_VALUE -> DType.INT16;
            case OnnxMl.TensorProto.DataType.INT32_VALUE -> DType.INT32;
            case OnnxMl.TensorProto.DataType.INT64_VALUE -> DType.INT64;
            case OnnxMl.TensorProto.DataType.BOOL_VALUE -> DType.BOOL;
            default -> throw new ModelFailureException("ONNX model " + file.ref().path() + ": '" + v.getName()
                    + "' has element type " + OnnxMl.TensorProto.DataType.forNumber(t.getElemType())
                    + ", which tensor-parity cannot feed or compare");
        };
        long[] dims = new long[t.getShape().getDimCount()];
        for (int i = 0; i < dims.length; i++) {
            OnnxMl.TensorShapeProto.Dimension d = t.getShape().getDim(i);
            dims[i] = d.hasDimValue() ? d.getDimValue() : Shape.DYNAMIC;
        }
        return new TensorSpec(v.getName(), dtype, Shape.ofLongs(dims));
    }

    private static OnnxMl.ModelProto parse(ModelFile file) throws ModelFailureException {
        OnnxMl.ModelProto proto;
        try {
            proto = OnnxProtos.parse(file.bytes());
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFailureException("ONNX model " + file.ref().path() + ": not an ONNX protobuf ("
                    + oneLine(e.getMessage()) + ")", e);
        }
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new ModelFailureException("ONNX model " + file.ref().path() + ": not an ONNX model (no graph)");
        }
        return proto;
    }

    /** The model with every node output a graph output, in a direct buffer (ONNX Runtime reads it without a copy). */
    private static ByteBuffer exposeAllNodeOutputs(OnnxMl.ModelProto proto) {
        OnnxMl.GraphProto.Builder graph = proto.getGraph().toBuilder();
        Set<String> exposed = new HashSet<>();
        graph.getOutputList().forEach(o -> exposed.add(o.getName()));
        for (OnnxMl.NodeProto node : proto.getGraph().getNodeList()) {
            for (String output : node.getOutputList()) {
                // A name alone is enough: ONNX Runtime infers the type and shape of an added output.
                if (!output.isEmpty() && exposed.add(output)) {
                    graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(output));
                }
            }
        }
        OnnxMl.ModelProto instrumented = proto.toBuilder().setGraph(graph).build();
        ByteBuffer bytes = ByteBuffer.allocateDirect(instrumented.getSerializedSize());
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            instrumented.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("a buffer of the serialized size holds the model", e);
        }
        return bytes.flip();
    }

    private static ModelGraph describeGraph(OnnxMl.GraphProto graph) {
        Set<String> constants = new HashSet<>();
        Map<String, long[]> integerConstants = new HashMap<>();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            constants.add(t.getName());
            smallInteger(t).ifPresent(v -> integerConstants.put(t.getName(), v));
        }
        List<GraphNode> nodes = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("Constant")) {
                constants.addAll(node.getOutputList());
                node.getAttributeList().stream().filter(a -> a.getName().equals("value") && a.hasT()).findFirst()
                        .flatMap(a -> smallInteger(a.getT()))
                        .ifPresent(v -> node.getOutputList().forEach(o -> integerConstants.put(o, v)));
            }
            boolean hasSubgraph = node.getAttributeList().stream()
                    .anyMatch(a -> a.hasG() || a.getGraphsCount() > 0);
            if (hasSubgraph) {
                notes.add("values inside the subgraphs of " + node.getOpType() + " node '" + node.getName()
                        + "' are not captured");
            }
            nodes.add(graphNode(nodes.size(), node));
        }
        return new ModelGraph(nodes, constants, integerConstants, notes);
    }

    private static GraphNode graphNode(int index, OnnxMl.NodeProto node) {
        List<String> inputs = node.getInputList().stream().filter(s -> !s.isEmpty()).toList();
        List<String> outputs = node.getOutputList().stream().filter(s -> !s.isEmpty()).toList();
        List<Subgraph> subgraphs = new ArrayList<>();
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
            if (a.hasG()) {
                subgraphs.add(subgraph(a.getName(), a.getG()));
            }
            a.getGraphsList().forEach(g -> subgraphs.add(subgraph(a.getName(), g)));
        }
        return new GraphNode(index, node.getName(), node.getOpType(), inputs, outputs, subgraphs);
    }

    private static Subgraph subgraph(String attribute, OnnxMl.GraphProto graph) {
        List<GraphNode> nodes = new ArrayList<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            nodes.add(graphNode(nodes.size(), node));
        }
        return new Subgraph(attribute, nodes, graph.getInputList().stream().map(OnnxMl.ValueInfoProto::getName).toList(),
                graph.getOutputList().stream().map(OnnxMl.ValueInfoProto::getName).toList());
    }

    /** The values of an int32 or int64 tensor of at most {@link ModelGraph#MAX_INTEGER_CONSTANT} values. */
    private static Optional<long[]> smallInteger(OnnxMl.TensorProto t) {
        boolean int64 = t.getDataType() == OnnxMl.TensorProto.DataType.INT64_VALUE;
        boolean int32 = t.getDataType() == OnnxMl.TensorProto.DataType.INT32_VALUE;
        long count = 1;
        for (long d : t.getDimsList()) {
            count *= d;
        }
        if (!(int64 || int32) || count > ModelGraph.MAX_INTEGER_CONSTANT || count < 0) {
            return Optional.empty();
        }
        long[] out = new long[(int) count];
        if (!t.getRawData().isEmpty()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            if (raw.remaining() != count * (int64 ? 8 : 4)) {
                return Optional.empty();
            }
            for (int i = 0; i < count; i++) {
                out[i] = int64 ? raw.getLong() : raw.getInt();
            }
        } else if (int64 && t.getInt64DataCount() == count) {
            for (int i = 0; i < count; i++) {
                out[i] = t.getInt64Data(i);
            }
        } else if (int32 && t.getInt32DataCount() == count) {
            for (int i = 0; i < count; i++) {
                out[i] = t.getInt32Data(i);
            }
        } else {
            return Optional.empty();
        }
        return Optional.of(out);
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
                "allNodeOutputsExposed", Boolean.toString(settings.captureIntermediates())));
    }

    @Override
    public RunResult run(Map<String, Tensor> feeds) throws ModelFailureException {
        return NativeStack.call("onnxruntime-run", () -> runHere(feeds));
    }

    private RunResult runHere(Map<String, Tensor> feeds) throws ModelFailureException {
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
            try (OrtSession.Result result = session.run(inputs)) {
                Map<String, Tensor> all = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (e.getValue() instanceof OnnxTensor t && OrtTensors.isNumeric(t.getInfo().type)) {
                        all.put(e.getKey(), OrtTensors.toTensor(t));
                    }
                }
                Map<String, Tensor> outputs = new LinkedHashMap<>();
                for (TensorSpec spec : signature.outputs()) {
                    outputs.put(spec.name(), all.get(spec.name()));
                }
                return new RunResult(outputs, settings.captureIntermediates() ? all : Map.of());
            }
        } catch (OrtException e) {
            throw new ModelFailureException("ONNX model " + model.path() + ": inference failed: "
                    + oneLine(e.getMessage()), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                // Nothing the user can act on: the process is done with this model.
            }
        }
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
