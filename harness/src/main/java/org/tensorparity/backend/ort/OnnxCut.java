package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.backend.ModelCut;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;

/**
 * Nodes of an ONNX model as a model of their own: the nodes, the initializers they read (and no other), the
 * model's IR version and opsets, and the model-local functions they call. What isolation runs in memory
 * ({@link OnnxSubgraphRunner}) is what a reproducer writes to a file.
 */
public final class OnnxCut {
    /** Operator sets ONNX Runtime implements itself; a node of any other domain is a custom operator. */
    private static final Set<String> BUILTIN_DOMAINS = Set.of("", "ai.onnx", "ai.onnx.ml", "com.microsoft");

    private OnnxCut() {
    }

    /** The cut, or why it cannot be made: a custom operator, a node with subgraphs, an input of unknown shape. */
    /** {@link #cut}, the nodes found by their first outputs' names ({@code ModelCuts.onnxComputing}). */
    public static ModelCut cutComputing(ModelFile file, List<String> computes, List<TensorSpec> inputs,
            TensorSpec output) {
        OnnxMl.ModelProto proto;
        try {
            proto = OnnxProtos.parse(file.bytes());
        } catch (InvalidProtocolBufferException e) {
            return new ModelCut.Refused("ONNX model " + file.ref().path() + " is not an ONNX protobuf");
        }
        java.util.Map<String, Integer> byOutput = new java.util.HashMap<>();
        for (int i = 0; i < proto.getGraph().getNodeCount(); i++) {
            OnnxMl.NodeProto node = proto.getGraph().getNode(i);
            if (node.getOutputCount() > 0) {
                byOutput.putIfAbsent(node.getOutput(0), i);
            }
        }
        List<Integer> nodes = new java.util.ArrayList<>();
        for (String name : computes) {
            Integer index = byOutput.get(name);
            if (index == null) {
                return new ModelCut.Refused("no ONNX operator of " + file.ref().path() + "'s main graph computes '"
                        + name + "'");
            }
            nodes.add(index);
        }
        return cut(file, nodes, inputs, output);
    }

    public static ModelCut cut(ModelFile file, List<Integer> nodes, List<TensorSpec> inputs, TensorSpec output) {
        OnnxMl.ModelProto proto;
        try {
            proto = OnnxProtos.parse(file.bytes());
        } catch (InvalidProtocolBufferException e) {
            return new ModelCut.Refused("ONNX model " + file.ref().path() + " is not an ONNX protobuf");
        }
        Set<String> functions = new HashSet<>();
        proto.getFunctionsList().forEach(f -> functions.add(f.getDomain() + ":" + f.getName()));
        // Another file with the same graph (a correct counterpart) is cut by the same indices: they must name the
        // node that computes the output there too.
        if (nodes.stream().anyMatch(i -> i < 0 || i >= proto.getGraph().getNodeCount())
                || nodes.stream().noneMatch(i -> proto.getGraph().getNode(i).getOutputList().contains(output.name()))) {
            return new ModelCut.Refused("no ONNX operator of the cut computes '" + output.name() + "' in "
                    + file.ref().path());
        }
        for (int index : nodes) {
            OnnxMl.NodeProto node = proto.getGraph().getNode(index);
            String label = node.getOpType() + " '" + node.getName() + "'";
            if (node.getAttributeList().stream().anyMatch(a -> a.hasG() || a.getGraphsCount() > 0)) {
                return new ModelCut.Refused("control flow: ONNX " + label + " has subgraphs");
            }
            if (!BUILTIN_DOMAINS.contains(node.getDomain())
                    && !functions.contains(node.getDomain() + ":" + node.getOpType())) {
                return new ModelCut.Refused("custom operator: ONNX " + label + " of domain '" + node.getDomain() + "'");
            }
        }
        for (TensorSpec input : inputs) {
            if (input.shape().isDynamic()) {
                return new ModelCut.Refused("ONNX '" + input.name() + "' has a shape known only at run time");
            }
        }
        Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
        proto.getGraph().getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        OnnxMl.ModelProto cut = model(proto, initializers, nodes, inputs, output, true);
        long weights = cut.getGraph().getInitializerList().stream().mapToLong(OnnxMl.TensorProto::getSerializedSize).sum();
        List<String> ops = nodes.stream().map(i -> proto.getGraph().getNode(i))
                .filter(n -> !n.getOpType().equals("Constant"))
                .map(n -> n.getName().isEmpty() ? n.getOpType() : n.getOpType() + " '" + n.getName() + "'").toList();
        return new ModelCut.Model(cut.toByteArray(), weights, ops);
    }

    /**
     * A model of {@code nodes} of {@code proto}, reading {@code inputs} as graph inputs and computing {@code output}
     * (whose shape is declared only when known).
     *
     * @param usedFunctionsOnly keep only the model-local functions the nodes call (a file), rather than all of them
     *     (a session built in memory, where they cost nothing)
     */
    static OnnxMl.ModelProto model(OnnxMl.ModelProto proto, Map<String, OnnxMl.TensorProto> initializers,
            List<Integer> nodes, List<TensorSpec> inputs, TensorSpec output, boolean usedFunctionsOnly) {
        return build(proto, initializers, List.of(new Part(nodes, inputs, output)), false, usedFunctionsOnly);
    }

    /** One model of {@link #together}: nodes, the inputs they read and the tensor they compute. */
    record Part(List<Integer> nodes, List<TensorSpec> inputs, TensorSpec output) {
    }

    /** The prefix {@link #together} gives every name of part {@code k}. */
    static String prefix(int k) {
        return "part" + k + "/";
    }

    /**
     * The models {@link #model} makes of each part, as one model: part {@code k}'s nodes, inputs and output renamed
     * with {@link #prefix}{@code (k)}, so that parts that compute or feed the same tensor stay apart; the weights
     * they read, each once, under their own names. ONNX Runtime then builds one session for many isolated operators
     * instead of one each.
     */
    static OnnxMl.ModelProto together(OnnxMl.ModelProto proto, Map<String, OnnxMl.TensorProto> initializers,
            List<Part> parts) {
        return build(proto, initializers, parts, true, false);
    }

    private static OnnxMl.ModelProto build(OnnxMl.ModelProto proto, Map<String, OnnxMl.TensorProto> initializers,
            List<Part> parts, boolean renamed, boolean usedFunctionsOnly) {
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("isolated");
        Set<String> added = new HashSet<>();
        Set<String> called = new HashSet<>();
        for (int k = 0; k < parts.size(); k++) {
            Part part = parts.get(k);
            String prefix = renamed ? prefix(k) : "";
            Set<String> fed = new HashSet<>();
            part.inputs().forEach(i -> fed.add(i.name()));
            for (int index : part.nodes()) {
                OnnxMl.NodeProto.Builder node = proto.getGraph().getNode(index).toBuilder();
                called.add(node.getDomain() + ":" + node.getOpType());
                for (int i = 0; i < node.getInputCount(); i++) {
                    String input = node.getInput(i);
                    OnnxMl.TensorProto weight = fed.contains(input) ? null : initializers.get(input);
                    if (weight != null) {
                        if (added.add(input)) {
                            graph.addInitializer(weight);
                        }
                    } else if (renamed && !input.isEmpty()) {
                        // An empty name is an optional input left out, which stays so.
                        node.setInput(i, prefix + input);
                    }
                }
                if (renamed) {
                    for (int i = 0; i < node.getOutputCount(); i++) {
                        if (!node.getOutput(i).isEmpty()) {
                            node.setOutput(i, prefix + node.getOutput(i));
                        }
                    }
                    if (!node.getName().isEmpty()) {
                        node.setName(prefix + node.getName());
                    }
                }
                graph.addNode(node);
            }
            part.inputs().forEach(i -> graph.addInput(valueInfo(prefix + i.name(), i.dtype(), i.shape().toLongs())));
            TensorSpec output = part.output();
            graph.addOutput(valueInfo(prefix + output.name(), output.dtype(),
                    output.shape() == null ? null : output.shape().toLongs()));
        }
        List<OnnxMl.FunctionProto> functions = proto.getFunctionsList().stream()
                .filter(f -> !usedFunctionsOnly || called.contains(f.getDomain() + ":" + f.getName())).toList();
        return OnnxMl.ModelProto.newBuilder().setIrVersion(proto.getIrVersion())
                .addAllOpsetImport(proto.getOpsetImportList()).addAllFunctions(functions)
                .setGraph(graph).build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, DType dtype, long[] dims) {
        OnnxMl.TypeProto.Tensor.Builder tensor = OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elementType(dtype));
        if (dims != null) {
            OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
            for (long d : dims) {
                shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
            }
            tensor.setShape(shape);
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(tensor)).build();
    }

    private static int elementType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> OnnxMl.TensorProto.DataType.FLOAT_VALUE;
            case FLOAT16 -> OnnxMl.TensorProto.DataType.FLOAT16_VALUE;
            case FLOAT64 -> OnnxMl.TensorProto.DataType.DOUBLE_VALUE;
            case INT8 -> OnnxMl.TensorProto.DataType.INT8_VALUE;
            case UINT8 -> OnnxMl.TensorProto.DataType.UINT8_VALUE;
            case INT16 -> OnnxMl.TensorProto.DataType.INT16_VALUE;
            case INT32 -> OnnxMl.TensorProto.DataType.INT32_VALUE;
            case INT64 -> OnnxMl.TensorProto.DataType.INT64_VALUE;
            case BOOL -> OnnxMl.TensorProto.DataType.BOOL_VALUE;
        };
    }
}
