package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.NativeStack;
import org.tensorparity.backend.NodeEdit;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Float16;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Runs operators of an ONNX model alone in ONNX Runtime: each request becomes a small ONNX model of those nodes, the
 * initializers they read and the model's opsets and functions, run in a session of its own (or shared with the other
 * requests of a {@link #runAll} batch) that is closed once it ran. Sessions are not kept for later requests: a verify
 * asks for each chain about once (isolation, then the diagnosis's edited chains, each a model of its own), and
 * YOLOX-nano's 463 isolated chains kept open held about 150 MB to the end of the run (peak RSS 519-524 MB against
 * 354-373 MB closed at once, under --max-memory 100M).
 */
public final class OnnxSubgraphRunner implements SubgraphRunner {
    private final ModelFile file;
    private OnnxMl.ModelProto proto;
    private final Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
    /** What Constant nodes hold, by output: weights an exporter kept in an If branch, now inlined, are read there. */
    private final Map<String, OnnxMl.TensorProto> constantNodes = new HashMap<>();
    private volatile boolean closed;

    private OnnxSubgraphRunner(ModelFile file) {
        this.file = file;
    }

    /**
     * A runner for the operators of {@code file}, a model ONNX Runtime has loaded before. Nothing is read
     * until the first run: a verify that isolates no pair pays nothing.
     */
    public static OnnxSubgraphRunner open(ModelFile file) {
        return new OnnxSubgraphRunner(file);
    }

    private synchronized OnnxMl.ModelProto proto() throws ModelFailureException {
        if (proto == null) {
            try {
                proto = OnnxProtos.parse(file.bytes());
            } catch (InvalidProtocolBufferException e) {
                throw new ModelFailureException("ONNX model " + file.ref().path() + ": not an ONNX protobuf ("
                        + OnnxRuntimeRunner.oneLine(e.getMessage()) + ")", e);
            }
            proto.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));
            for (OnnxMl.NodeProto n : proto.getGraph().getNodeList()) {
                if (n.getOpType().equals("Constant") && n.getOutputCount() == 1) {
                    n.getAttributeList().stream().filter(a -> a.getName().equals("value") && a.hasT()).findFirst()
                            .ifPresent(a -> constantNodes.put(n.getOutput(0), a.getT()));
                }
            }
        }
        return proto;
    }

    @Override
    public Tensor run(List<Integer> nodes, Map<String, Tensor> feeds, String output, DType outputType,
            List<NodeEdit> edits) throws ModelFailureException {
        if (closed) {
            throw new IllegalStateException("subgraph runner for " + file.ref().path() + " is closed");
        }
        return NativeStack.call("onnxruntime-isolate", () -> runHere(nodes, feeds, output, outputType, edits));
    }

    @Override
    public Optional<Tensor> weight(String name) throws ModelFailureException {
        proto();
        OnnxMl.TensorProto t = initializers.getOrDefault(name, constantNodes.get(name));
        if (t == null || !t.getExternalDataList().isEmpty()) {
            return Optional.empty();
        }
        int count = 1;
        long[] dims = new long[t.getDimsCount()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
            count = Math.multiplyExact(count, (int) dims[i]);
        }
        float[] v = new float[count];
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        boolean hasRaw = raw.hasRemaining();
        switch (t.getDataType()) {
            case OnnxMl.TensorProto.DataType.FLOAT_VALUE -> {
                if (hasRaw ? raw.remaining() != 4L * count : t.getFloatDataCount() != count) {
                    return Optional.empty();
                }
                for (int i = 0; i < count; i++) {
                    v[i] = hasRaw ? raw.getFloat() : t.getFloatData(i);
                }
            }
            case OnnxMl.TensorProto.DataType.FLOAT16_VALUE -> {
                // Without raw data, float16 values sit in int32_data, one per element.
                if (hasRaw ? raw.remaining() != 2L * count : t.getInt32DataCount() != count) {
                    return Optional.empty();
                }
                for (int i = 0; i < count; i++) {
                    v[i] = Float16.toFloat(hasRaw ? raw.getShort() : (short) t.getInt32Data(i));
                }
            }
            case OnnxMl.TensorProto.DataType.DOUBLE_VALUE -> {
                if (hasRaw ? raw.remaining() != 8L * count : t.getDoubleDataCount() != count) {
                    return Optional.empty();
                }
                for (int i = 0; i < count; i++) {
                    v[i] = (float) (hasRaw ? raw.getDouble() : t.getDoubleData(i));
                }
            }
            default -> {
                return Optional.empty();
            }
        }
        // The stored type kept, so that the value fed back in its place has the type the operator expects.
        DType stored = switch (t.getDataType()) {
            case OnnxMl.TensorProto.DataType.FLOAT16_VALUE -> DType.FLOAT16;
            case OnnxMl.TensorProto.DataType.DOUBLE_VALUE -> DType.FLOAT64;
            default -> DType.FLOAT32;
        };
        return Optional.of(Tensor.wrap(stored, Shape.ofLongs(dims), v));
    }

    @Override
    public Optional<Double> attribute(int node, String name) throws ModelFailureException {
        for (OnnxMl.AttributeProto a : proto().getGraph().getNode(node).getAttributeList()) {
            if (a.getName().equals(name)) {
                return switch (a.getType()) {
                    case FLOAT -> Optional.of((double) a.getF());
                    case INT -> Optional.of((double) a.getI());
                    default -> Optional.empty();
                };
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> text(int node, String name) throws ModelFailureException {
        for (OnnxMl.AttributeProto a : proto().getGraph().getNode(node).getAttributeList()) {
            if (a.getName().equals(name) && a.getType() == OnnxMl.AttributeProto.AttributeType.STRING) {
                return Optional.of(a.getS().toStringUtf8());
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<List<Long>> ints(int node, String name) throws ModelFailureException {
        for (OnnxMl.AttributeProto a : proto().getGraph().getNode(node).getAttributeList()) {
            if (a.getName().equals(name) && a.getType() == OnnxMl.AttributeProto.AttributeType.INTS) {
                return Optional.of(List.copyOf(a.getIntsList()));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs the requests in one session ({@link OnnxCut#together}), which pays ONNX Runtime's cost of building a
     * session and starting a run once for them all: YOLOX-nano's 556 chains under {@code --isolate all} are built as
     * 37 sessions in 43-48 ms of thread time. Each operator computes in the shared session as in a session of its own
     * (no graph optimizations, one thread), so every value is the same to the bit. When the session cannot be built
     * or run, each request runs alone, so that a failure stays the failing request's own.
     */
    @Override
    public List<Computed> runAll(List<Request> requests) {
        if (closed) {
            throw new IllegalStateException("subgraph runner for " + file.ref().path() + " is closed");
        }
        if (requests.size() > 1) {
            try {
                return NativeStack.call("onnxruntime-isolate", () -> runTogether(requests));
            } catch (ModelFailureException | RuntimeException e) {
                // One of them cannot be computed (or all together cannot): each runs alone below.
            }
        }
        return SubgraphRunner.super.runAll(requests);
    }

    private List<Computed> runTogether(List<Request> requests) throws ModelFailureException {
        List<OnnxCut.Part> parts = new ArrayList<>();
        for (Request r : requests) {
            parts.add(new OnnxCut.Part(unfed(r.nodes(), r.feeds()), inputs(r.feeds()),
                    new TensorSpec(r.output(), r.outputType(), null)));
        }
        byte[] model = OnnxCut.together(proto(), initializers, parts).toByteArray();
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            for (int k = 0; k < requests.size(); k++) {
                for (Map.Entry<String, Tensor> f : requests.get(k).feeds().entrySet()) {
                    inputs.put(OnnxCut.prefix(k) + f.getKey(), OrtTensors.toOnnx(f.getValue(), f.getValue().dtype(),
                            f.getKey()));
                }
            }
            try (OrtSession session = session(model); OrtSession.Result result = session.run(inputs)) {
                List<Computed> out = new ArrayList<>();
                for (int k = 0; k < requests.size(); k++) {
                    String output = requests.get(k).output();
                    Optional<OnnxValue> value = result.get(OnnxCut.prefix(k) + output);
                    if (value.isEmpty() || !(value.get() instanceof OnnxTensor t)
                            || !OrtTensors.isNumeric(t.getInfo().type)) {
                        throw new ModelFailureException("ONNX model " + file.ref().path() + ": '" + output
                                + "' computed alone is not a numeric tensor");
                    }
                    out.add(new Computed.Value(OrtTensors.toTensor(t)));
                }
                return out;
            }
        } catch (OrtException | IllegalArgumentException e) {
            throw new ModelFailureException("ONNX model " + file.ref().path() + ": ONNX Runtime cannot compute "
                    + requests.size() + " chains together: " + OnnxRuntimeRunner.oneLine(e.getMessage()), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private Tensor runHere(List<Integer> nodes, Map<String, Tensor> feeds, String output, DType outputType,
            List<NodeEdit> edits) throws ModelFailureException {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> f : feeds.entrySet()) {
                inputs.put(f.getKey(), OrtTensors.toOnnx(f.getValue(), f.getValue().dtype(), f.getKey()));
            }
            try (OrtSession session = session(nodes, feeds, output, outputType, edits);
                    OrtSession.Result result = session.run(inputs)) {
                OnnxValue value = result.get(0);
                if (!(value instanceof OnnxTensor t) || !OrtTensors.isNumeric(t.getInfo().type)) {
                    throw new ModelFailureException("ONNX model " + file.ref().path() + ": '" + output
                            + "' computed alone is not a numeric tensor");
                }
                return OrtTensors.toTensor(t);
            }
        } catch (OrtException | IllegalArgumentException e) {
            throw new ModelFailureException("ONNX model " + file.ref().path() + ": ONNX Runtime cannot compute '"
                    + output + "' alone: " + OnnxRuntimeRunner.oneLine(e.getMessage()), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private OrtSession session(List<Integer> nodes, Map<String, Tensor> feeds, String output, DType outputType,
            List<NodeEdit> edits) throws OrtException, ModelFailureException {
        return session(subModel(nodes, feeds, output, outputType, edits).toByteArray());
    }

    private static OrtSession session(byte[] model) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // One thread per session: isolation runs several operators side by side instead.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            // A few operators run once: graph optimizations (layout rewrites, fusions) cost more than they save, and
            // the operators then compute as written. Measured on YOLOX-nano with --isolate all (556 isolated runs,
            // 366 sessions, summed over the threads): sessions 277-317 ms instead of 417-468, runs 216-237 ms
            // instead of 262-340; isolated errors moved by at most 2.7e-7 of scale.
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
            return OrtEnv.get().createSession(model, options);
        }
    }

    private OnnxMl.ModelProto subModel(List<Integer> operators, Map<String, Tensor> feeds, String output,
            DType outputType, List<NodeEdit> edits) throws ModelFailureException {
        // A node whose every output is fed is left out, its value given in its place: a diagnosis feeds the converted
        // model's weights for a Conv whose weights a Constant node writes (as exports that keep weights inside If
        // branches do), and ONNX Runtime takes a graph input that a node also writes for that node's output.
        List<Integer> nodes = unfed(operators, feeds);
        OnnxMl.ModelProto cut = OnnxCut.model(proto(), initializers, nodes, inputs(feeds), new TensorSpec(output,
                outputType, null), false);
        if (edits.isEmpty()) {
            return cut;
        }
        long opset = cut.getOpsetImportList().stream()
                .filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(OnnxMl.OperatorSetIdProto::getVersion).max().orElse(Long.MAX_VALUE);
        // The cut keeps the nodes in the order given, so its k-th node is the model's node nodes.get(k).
        OnnxMl.GraphProto.Builder graph = cut.getGraph().toBuilder();
        for (int k = 0; k < nodes.size(); k++) {
            graph.setNode(k, edited(graph.getNode(k), nodes.get(k), edits, graph, opset));
        }
        List<OnnxMl.NodeProto> written = new ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) {
            written.addAll(expanded(graph.getNode(k), nodes.get(k), edits, graph));
        }
        graph.clearNode().addAllNode(written);
        return cut.toBuilder().setGraph(graph).build();
    }

    /** The operators less those whose every output is fed ({@link #subModel} says why). */
    private List<Integer> unfed(List<Integer> operators, Map<String, Tensor> feeds) throws ModelFailureException {
        List<Integer> nodes = new ArrayList<>();
        for (int index : operators) {
            if (!feeds.keySet().containsAll(proto().getGraph().getNode(index).getOutputList())) {
                nodes.add(index);
            }
        }
        return nodes;
    }

    private static List<TensorSpec> inputs(Map<String, Tensor> feeds) {
        return feeds.entrySet().stream()
                .map(f -> new TensorSpec(f.getKey(), f.getValue().dtype(), f.getValue().shape())).toList();
    }

    /**
     * The node with the edits meant for it: an attribute set that it lacks is added (it held its default before); a
     * replaced operator reads constants of its own, added to {@code graph} as initializers.
     */
    private static OnnxMl.NodeProto edited(OnnxMl.NodeProto node, int index, List<NodeEdit> edits,
            OnnxMl.GraphProto.Builder graph, long opset) {
        OnnxMl.NodeProto.Builder b = node.toBuilder();
        for (NodeEdit edit : edits) {
            if (edit.node() != index) {
                continue;
            }
            if (edit instanceof NodeEdit.FloatAttribute e) {
                set(b, OnnxMl.AttributeProto.newBuilder().setName(e.attribute())
                        .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(e.value()).build());
            } else if (edit instanceof NodeEdit.IntAttribute e) {
                set(b, OnnxMl.AttributeProto.newBuilder().setName(e.attribute())
                        .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(e.value()).build());
            } else if (edit instanceof NodeEdit.IntsAttribute e) {
                set(b, OnnxMl.AttributeProto.newBuilder().setName(e.attribute())
                        .setType(OnnxMl.AttributeProto.AttributeType.INTS).addAllInts(e.values()).build());
            } else if (edit instanceof NodeEdit.StringAttribute e) {
                set(b, OnnxMl.AttributeProto.newBuilder().setName(e.attribute())
                        .setType(OnnxMl.AttributeProto.AttributeType.STRING)
                        .setS(com.google.protobuf.ByteString.copyFromUtf8(e.value())).build());
            } else if (edit instanceof NodeEdit.Replace e) {
                String input = b.getInput(0);
                b.setOpType(e.opType()).setDomain("").clearAttribute().clearInput().addInput(input);
                if (e.opType().equals("Clip") && e.constants().size() == 2 && opset < 11) {
                    // Before opset 11 Clip reads its bounds as attributes, not inputs.
                    set(b, OnnxMl.AttributeProto.newBuilder().setName("min")
                            .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(e.constants().get(0)).build());
                    set(b, OnnxMl.AttributeProto.newBuilder().setName("max")
                            .setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(e.constants().get(1)).build());
                    continue;
                }
                for (int k = 0; k < e.constants().size(); k++) {
                    String name = "tensor_parity_edit_" + index + "_" + k;
                    graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name)
                            .setDataType(OnnxMl.TensorProto.DataType.FLOAT_VALUE).addFloatData(e.constants().get(k)));
                    b.addInput(name);
                }
            }
        }
        return b.build();
    }

    /**
     * The node, or the operators computing the activation function an edit puts in its place; its intermediates are
     * named after the node's index so that two replaced nodes never clash.
     */
    private static List<OnnxMl.NodeProto> expanded(OnnxMl.NodeProto node, int index, List<NodeEdit> edits,
            OnnxMl.GraphProto.Builder graph) {
        for (NodeEdit edit : edits) {
            if (edit.node() == index && edit instanceof NodeEdit.Function f) {
                return ActivationNodes.of(f.function(), f.input(), node.getOutput(0), graph,
                        "tensor_parity_function_" + index);
            }
        }
        return List.of(node);
    }

    /** Sets {@code value} on the node, in place of the attribute of its name if it has one. */
    private static void set(OnnxMl.NodeProto.Builder b, OnnxMl.AttributeProto value) {
        for (int i = 0; i < b.getAttributeCount(); i++) {
            if (b.getAttribute(i).getName().equals(value.getName())) {
                b.setAttribute(i, value);
                return;
            }
        }
        b.addAttribute(value);
    }

    /** Marks the runner closed (each session closed once it ran); idempotent. */
    @Override
    public void close() {
        closed = true;
    }
}
