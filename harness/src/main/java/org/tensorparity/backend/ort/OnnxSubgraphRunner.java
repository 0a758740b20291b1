package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.NativeStack;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Tensor;

/**
 * Runs operators of an ONNX model alone in ONNX Runtime: each distinct request (operators and feed shapes)
 * becomes a small ONNX model of those nodes, the initializers they read and the model's opsets and
 * functions, built once into a session that later requests reuse.
 */
public final class OnnxSubgraphRunner implements SubgraphRunner {
    private final ModelFile file;
    private OnnxMl.ModelProto proto;
    private final Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
    private final Map<String, OrtSession> sessions = new ConcurrentHashMap<>();
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
        }
        return proto;
    }

    @Override
    public Tensor run(List<Integer> nodes, Map<String, Tensor> feeds, String output, DType outputType)
            throws ModelFailureException {
        if (closed) {
            throw new IllegalStateException("subgraph runner for " + file.ref().path() + " is closed");
        }
        return NativeStack.call("onnxruntime-isolate", () -> runHere(nodes, feeds, output, outputType));
    }

    private Tensor runHere(List<Integer> nodes, Map<String, Tensor> feeds, String output, DType outputType)
            throws ModelFailureException {
        Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
        try {
            OrtSession session = session(nodes, feeds, output, outputType);
            for (Map.Entry<String, Tensor> f : feeds.entrySet()) {
                inputs.put(f.getKey(), OrtTensors.toOnnx(f.getValue(), f.getValue().dtype(), f.getKey()));
            }
            try (OrtSession.Result result = session.run(inputs)) {
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

    private OrtSession session(List<Integer> nodes, Map<String, Tensor> feeds, String output, DType outputType)
            throws OrtException, ModelFailureException {
        StringBuilder key = new StringBuilder(output).append('|').append(nodes);
        feeds.forEach((name, t) -> key.append('|').append(name).append(':').append(t.dtype()).append(t.shape()));
        OrtSession cached = sessions.get(key.toString());
        if (cached != null) {
            return cached;
        }
        byte[] model = subModel(nodes, feeds, output, outputType).toByteArray();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            // One thread per session: isolation runs several operators side by side instead.
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setSessionLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            OrtSession built = OrtEnv.get().createSession(model, options);
            OrtSession raced = sessions.putIfAbsent(key.toString(), built);
            if (raced != null) {
                built.close();
                return raced;
            }
            return built;
        }
    }

    private OnnxMl.ModelProto subModel(List<Integer> nodes, Map<String, Tensor> feeds, String output, DType outputType)
            throws ModelFailureException {
        List<TensorSpec> inputs = feeds.entrySet().stream()
                .map(f -> new TensorSpec(f.getKey(), f.getValue().dtype(), f.getValue().shape())).toList();
        return OnnxCut.model(proto(), initializers, nodes, inputs, new TensorSpec(output, outputType, null), false);
    }

    /** Closes every session built; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (OrtSession s : sessions.values()) {
                try {
                    s.close();
                } catch (OrtException e) {
                    // Nothing the user can act on: the process is done with these sessions.
                }
            }
            sessions.clear();
        }
    }
}
