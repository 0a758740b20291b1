package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.Subgraph;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;

/**
 * An ONNX file read as a protobuf, in Java: its declared inputs and outputs, its graph of operators and constants
 * for alignment, and a copy with every node output exposed for a capturing session. ONNX Runtime itself is never
 * asked: a suite checks names before any session is built, and a plain session is built while this reads.
 */
final class OnnxModelFile {
    private OnnxModelFile() {
    }

    /** What the protobuf says of the graph: its operators and constants, and which outputs it declares. */
    record Declared(ModelGraph graph, Set<String> outputs) {
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
    static ModelSignature declaredSignature(ModelFile file) throws ModelFailureException {
        return declaredSignature(file, parse(file));
    }

    /** {@link #declaredSignature(ModelFile)} of {@code proto}, the protobuf of {@code file} parsed before. */
    static ModelSignature declaredSignature(ModelFile file, OnnxMl.ModelProto proto) throws ModelFailureException {
        OnnxMl.GraphProto graph = proto.getGraph();
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

    static OnnxMl.ModelProto parse(ModelFile file) throws ModelFailureException {
        OnnxMl.ModelProto proto;
        try {
            proto = OnnxProtos.parse(file.bytes());
        } catch (InvalidProtocolBufferException e) {
            throw new ModelFailureException("ONNX model " + file.ref().path() + ": not an ONNX protobuf ("
                    + OnnxRuntimeRunner.oneLine(e.getMessage()) + ")", e);
        }
        if (!proto.hasGraph() || proto.getGraph().getNodeCount() == 0) {
            throw new ModelFailureException("ONNX model " + file.ref().path() + ": not an ONNX model (no graph)");
        }
        return proto;
    }

    /** The model with every node output of its main graph a graph output. */
    static OnnxMl.ModelProto exposeAllNodeOutputs(OnnxMl.ModelProto proto) {
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
        return proto.toBuilder().setGraph(graph).build();
    }

    /** The model serialized into a direct buffer (ONNX Runtime reads it without a copy). */
    static ByteBuffer serialize(OnnxMl.ModelProto model) {
        ByteBuffer bytes = ByteBuffer.allocateDirect(model.getSerializedSize());
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            model.writeTo(out);
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
        return new ModelGraph(nodes, constants, integerConstants, notes, InputDomains.of(graph, integerConstants));
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
}
