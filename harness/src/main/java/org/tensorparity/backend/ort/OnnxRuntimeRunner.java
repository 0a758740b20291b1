package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.GraphNode;
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
import org.tensorparity.tensor.Float16;
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

    /** The linked ONNX Runtime version, e.g. {@code 1.29.0}. */
    public static String version() {
        return NativeStack.call("onnxruntime-version", () -> Environment.get().getVersion());
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
        Environment.get();
        ModelRef ref = file.ref();
        OnnxMl.ModelProto proto = parse(file);
        ModelGraph graph = describeGraph(proto.getGraph());
        Set<String> declaredOutputs = new HashSet<>();
        proto.getGraph().getOutputList().forEach(o -> declaredOutputs.add(o.getName()));
        byte[] bytes = settings.captureIntermediates() ? exposeAllNodeOutputs(proto) : file.bytes();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(settings.threads());
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            OrtSession session = Environment.get().createSession(bytes, options);
            try {
                return new OnnxRuntimeRunner(ref, settings, session, describe(session, declaredOutputs), graph);
            } catch (OrtException | RuntimeException e) {
                session.close();
                throw e;
            }
        } catch (OrtException e) {
            throw new ModelFailureException("ONNX model " + ref.path() + ": ONNX Runtime cannot load it: "
                    + oneLine(e.getMessage()), e);
        }
    }

    private static OnnxMl.ModelProto parse(ModelFile file) throws ModelFailureException {
        OnnxMl.ModelProto proto;
        try {
            proto = OnnxMl.ModelProto.parseFrom(file.bytes());
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFailureException("ONNX model " + file.ref().path() + ": not an ONNX protobuf ("
                    + oneLine(e.getMessage()) + ")", e);
        }
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new ModelFailureException("ONNX model " + file.ref().path() + ": not an ONNX model (no graph)");
        }
        return proto;
    }

    private static byte[] exposeAllNodeOutputs(OnnxMl.ModelProto proto) {
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
        return proto.toBuilder().setGraph(graph).build().toByteArray();
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
            List<String> inputs = node.getInputList().stream().filter(s -> !s.isEmpty()).toList();
            List<String> outputs = node.getOutputList().stream().filter(s -> !s.isEmpty()).toList();
            nodes.add(new GraphNode(nodes.size(), node.getName(), node.getOpType(), inputs, outputs));
        }
        return new ModelGraph(nodes, constants, integerConstants, notes);
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
            return new TensorSpec(name, dtype(t.type), Shape.ofLongs(t.getShape()));
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
                inputs.put(spec.name(), toOnnx(feed, spec));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                Map<String, Tensor> all = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    if (e.getValue() instanceof OnnxTensor t && isNumeric(t.getInfo().type)) {
                        all.put(e.getKey(), toTensor(t));
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

    private static OnnxTensor toOnnx(Tensor feed, TensorSpec spec) throws OrtException {
        long[] shape = feed.shape().toLongs();
        float[] values = feed.data();
        switch (spec.dtype()) {
            case FLOAT32:
                return OnnxTensor.createTensor(Environment.get(), FloatBuffer.wrap(values), shape);
            case FLOAT64: {
                double[] d = new double[values.length];
                for (int i = 0; i < d.length; i++) {
                    d[i] = values[i];
                }
                return OnnxTensor.createTensor(Environment.get(), java.nio.DoubleBuffer.wrap(d), shape);
            }
            case INT64: {
                long[] l = new long[values.length];
                for (int i = 0; i < l.length; i++) {
                    l[i] = (long) values[i];
                }
                return OnnxTensor.createTensor(Environment.get(), java.nio.LongBuffer.wrap(l), shape);
            }
            case INT32: {
                int[] n = new int[values.length];
                for (int i = 0; i < n.length; i++) {
                    n[i] = (int) values[i];
                }
                return OnnxTensor.createTensor(Environment.get(), java.nio.IntBuffer.wrap(n), shape);
            }
            case UINT8, INT8, BOOL: {
                ByteBuffer b = ByteBuffer.allocateDirect(values.length).order(ByteOrder.nativeOrder());
                for (float v : values) {
                    b.put((byte) (int) v);
                }
                b.flip();
                return OnnxTensor.createTensor(Environment.get(), b, shape, javaType(spec.dtype()));
            }
            default:
                throw new IllegalArgumentException("ONNX input '" + spec.name() + "' has element type "
                        + spec.dtype() + ", which tensor-parity cannot feed yet");
        }
    }

    private static Tensor toTensor(OnnxTensor t) {
        TensorInfo info = t.getInfo();
        Shape shape = Shape.ofLongs(info.getShape());
        int n = Math.toIntExact(info.getNumElements());
        float[] values = new float[n];
        switch (info.type) {
            case FLOAT -> t.getFloatBuffer().get(values);
            case DOUBLE -> {
                java.nio.DoubleBuffer b = t.getDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    values[i] = (float) b.get(i);
                }
            }
            case INT64 -> {
                java.nio.LongBuffer b = t.getLongBuffer();
                for (int i = 0; i < n; i++) {
                    values[i] = b.get(i);
                }
            }
            case INT32 -> {
                java.nio.IntBuffer b = t.getIntBuffer();
                for (int i = 0; i < n; i++) {
                    values[i] = b.get(i);
                }
            }
            case INT16 -> {
                java.nio.ShortBuffer b = t.getShortBuffer();
                for (int i = 0; i < n; i++) {
                    values[i] = b.get(i);
                }
            }
            case FLOAT16 -> {
                java.nio.ShortBuffer b = t.getShortBuffer();
                for (int i = 0; i < n; i++) {
                    values[i] = Float16.toFloat(b.get(i));
                }
            }
            case UINT8 -> {
                ByteBuffer b = t.getByteBuffer();
                for (int i = 0; i < n; i++) {
                    values[i] = b.get(i) & 0xFF;
                }
            }
            case INT8, BOOL -> {
                ByteBuffer b = t.getByteBuffer();
                for (int i = 0; i < n; i++) {
                    values[i] = b.get(i);
                }
            }
            default -> throw new IllegalStateException("unexpected tensor type " + info.type);
        }
        return Tensor.wrap(dtype(info.type), shape, values);
    }

    private static boolean isNumeric(OnnxJavaType type) {
        return switch (type) {
            case FLOAT, DOUBLE, INT64, INT32, INT16, FLOAT16, UINT8, INT8, BOOL -> true;
            default -> false;
        };
    }

    private static DType dtype(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> DType.FLOAT32;
            case DOUBLE -> DType.FLOAT64;
            case FLOAT16 -> DType.FLOAT16;
            case INT8 -> DType.INT8;
            case UINT8 -> DType.UINT8;
            case INT16 -> DType.INT16;
            case INT32 -> DType.INT32;
            case INT64 -> DType.INT64;
            case BOOL -> DType.BOOL;
            default -> throw new IllegalArgumentException("element type " + type + " is not supported");
        };
    }

    private static OnnxJavaType javaType(DType dtype) {
        return switch (dtype) {
            case UINT8 -> OnnxJavaType.UINT8;
            case INT8 -> OnnxJavaType.INT8;
            case BOOL -> OnnxJavaType.BOOL;
            default -> throw new IllegalArgumentException(dtype.toString());
        };
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /**
     * The process-wide ONNX Runtime environment, created on first use. Callers reach it only from inside
     * {@link NativeStack#call}: loading the native library and starting the environment needs more stack
     * than a default Java thread has.
     */
    private static final class Environment {
        private static final OrtEnvironment INSTANCE = start();

        static OrtEnvironment get() {
            return INSTANCE;
        }

        private static OrtEnvironment start() {
            OrtLitterSweeper sweeper = OrtLitterSweeper.beforeStart();
            OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL, "tensor-parity");
            try {
                env.setTelemetry(false);
            } catch (OrtException e) {
                // Telemetry is off by default on Linux builds; failing to switch it off is harmless.
            }
            sweeper.sweepAfterStart();
            return env;
        }
    }
}
