package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a run in passes must know of a main graph before running any of it: what each node reads (the names its
 * {@code If}, {@code Loop} and {@code Scan} bodies take from the enclosing scope included), the last node that reads
 * each value, which values ONNX Runtime holds as constants, which values are no tensors, and the byte size of those
 * whose shape the file declares in full.
 */
final class OnnxGraphFacts {
    /**
     * Operators whose outputs ONNX Runtime never folds into constants: random values differ from one run to the next
     * ({@code optimizer_utils::IsOperationDeterministic}), and {@code DequantizeLinear} is kept for the quantized
     * node units its constant folding preserves by default ({@code skip_dequantize_linear}).
     */
    private static final Set<String> NEVER_FOLDED = Set.of("RandomUniform", "RandomNormal", "RandomUniformLike",
            "RandomNormalLike", "Multinomial", "Bernoulli", "DequantizeLinear");

    /** Operators whose outputs are sequences, maps or optionals: ONNX Runtime's Java API cannot feed those. */
    private static final Set<String> NON_TENSOR_OPS = Set.of("SequenceConstruct", "SequenceEmpty", "SequenceInsert",
            "SequenceErase", "SplitToSequence", "SequenceMap", "Optional", "ZipMap", "CastMap", "DictVectorizer");

    /**
     * Operators ONNX Runtime computes otherwise when their input comes from a node it runs in the NCHWc layout
     * (NchwcTransformer): a BatchNormalization then becomes a depthwise NCHWc convolution of its folded scale and
     * bias, and pooling and resizing run NCHWc kernels. Measured on the DaSiamRPN fixture: its first
     * BatchNormalization, fed its convolution's output from another segment, differed from the one-session run by up
     * to 48 ulps, and every value after it too.
     */
    private static final Set<String> LAYOUT_SENSITIVE = Set.of("BatchNormalization", "AveragePool",
            "GlobalAveragePool", "LpPool", "GlobalLpPool", "Resize", "Upsample");

    /**
     * Operators through which ONNX Runtime carries the NCHWc layout from a convolution to the nodes after it
     * (activations, elementwise sums and products, concatenation, pooling, BatchNormalization, resizing): a
     * {@link #LAYOUT_SENSITIVE} node behind a Relu behind a convolution runs in that layout too
     * ({@code OnnxPassesTest.aBatchNormalizationStaysWithTheConvolutionItsLayoutComesFrom}).
     */
    private static final Set<String> LAYOUT_CARRIERS = Set.of("Relu", "Sigmoid", "Tanh", "HardSigmoid", "LeakyRelu",
            "Clip", "Add", "Sum", "Mul", "Concat", "MaxPool", "GlobalMaxPool", "AveragePool", "GlobalAveragePool",
            "LpPool", "GlobalLpPool", "BatchNormalization", "Resize", "Upsample");

    /**
     * Operators whose output shape follows from their inputs' shapes and, past the first input, their values: the
     * output shape is static when the first input's is and the others are constants (ONNX shape inference, which
     * ONNX Runtime reruns after each fold).
     */
    private static final Set<String> SHAPE_FROM_VALUES = Set.of("Reshape", "Expand", "Tile", "Slice", "Pad", "Resize",
            "Upsample", "Squeeze", "Unsqueeze", "Split", "TopK", "OneHot", "ReduceSum", "ReduceMean", "ReduceMax",
            "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare",
            "ConstantOfShape", "Range");

    /** Operators whose output shape depends on the data they compute: never static before the run. */
    private static final Set<String> SHAPE_FROM_DATA = Set.of("NonZero", "Unique", "Compress", "NonMaxSuppression",
            "StringSplit", "RegexFullMatch");

    final List<OnnxMl.NodeProto> nodes;
    /** Per node, every name it reads: its inputs, then what its subgraphs read from the enclosing scopes. */
    final List<Set<String>> reads;
    final Map<String, OnnxMl.TensorProto> initializers = new HashMap<>();
    final Map<String, OnnxMl.ValueInfoProto> inputs = new HashMap<>();
    /** The graph's declared outputs, by name. */
    final Map<String, OnnxMl.ValueInfoProto> outputs = new HashMap<>();
    /** The graph's value_info entries, by name. */
    final Map<String, OnnxMl.ValueInfoProto> valueInfos = new HashMap<>();
    /** The index of the last node that reads each value. */
    final Map<String, Integer> lastRead = new HashMap<>();
    /** Values ONNX Runtime holds as constants when it builds a session of the whole graph. */
    final Set<String> constants = new HashSet<>();
    /** Node outputs that are no tensors (sequences, maps, optionals). */
    final Set<String> nonTensors = new HashSet<>();
    /** The bytes of each value whose element type and every dimension the file declares. */
    final Map<String, Long> declaredBytes = new HashMap<>();
    /**
     * Whether a segment may start at each node: not between a {@link #LAYOUT_SENSITIVE} node and the convolutions
     * whose layout reaches it through {@link #LAYOUT_CARRIERS}, nor between it and the nodes on the way.
     */
    final boolean[] canStart;

    OnnxGraphFacts(OnnxMl.GraphProto graph) {
        nodes = graph.getNodeList();
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t));
        graph.getInputList().forEach(v -> inputs.put(v.getName(), v));
        graph.getOutputList().forEach(v -> outputs.put(v.getName(), v));
        graph.getValueInfoList().forEach(v -> valueInfos.putIfAbsent(v.getName(), v));
        for (List<OnnxMl.ValueInfoProto> infos : List.of(graph.getValueInfoList(), graph.getOutputList(),
                graph.getInputList())) {
            for (OnnxMl.ValueInfoProto v : infos) {
                long bytes = bytes(v.getType());
                if (bytes >= 0) {
                    declaredBytes.putIfAbsent(v.getName(), bytes);
                }
            }
        }
        // An initializer that is also a graph input can be overridden by a feed, so ONNX Runtime holds it as no
        // constant (Graph::GetConstantInitializer).
        initializers.keySet().stream().filter(n -> !inputs.containsKey(n)).forEach(constants::add);
        // The values whose shape ONNX Runtime knows in full before the run, as far as this reading can tell: those
        // declared so, constants, and what ONNX shape inference derives from them.
        Set<String> staticShape = new HashSet<>(initializers.keySet());
        for (List<OnnxMl.ValueInfoProto> infos : List.of(graph.getValueInfoList(), graph.getOutputList(),
                graph.getInputList())) {
            infos.stream().filter(v -> isStatic(v.getType())).forEach(v -> staticShape.add(v.getName()));
        }
        reads = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            OnnxMl.NodeProto node = nodes.get(i);
            Set<String> read = new LinkedHashSet<>();
            node.getInputList().stream().filter(s -> !s.isEmpty()).forEach(read::add);
            boolean nested = false;
            for (OnnxMl.AttributeProto a : node.getAttributeList()) {
                if (a.hasG()) {
                    outerReads(a.getG(), read);
                    nested = true;
                }
                for (OnnxMl.GraphProto g : a.getGraphsList()) {
                    outerReads(g, read);
                    nested = true;
                }
            }
            reads.add(read);
            for (String r : read) {
                lastRead.put(r, i);
            }
            // ONNX Runtime turns Constant nodes into initializers as it loads the graph, and its constant folding
            // computes every deterministic node without subgraphs whose inputs are all constants, whether or not
            // its outputs are graph outputs (ConstantFolding::ApplyImpl, ORT 1.29).
            // A Shape node it folds too when it knows its input's shape in full (ConstantFoldShapeNode).
            boolean onnx = node.getDomain().isEmpty() || node.getDomain().equals("ai.onnx");
            boolean folded = onnx && node.getOpType().equals("Constant")
                    || !nested && !NEVER_FOLDED.contains(node.getOpType()) && constants.containsAll(read)
                    || onnx && node.getOpType().equals("Shape") && staticShape.contains(node.getInput(0));
            List<String> data = node.getInputList().stream().filter(s -> !s.isEmpty()).toList();
            boolean known = onnx && !nested && !SHAPE_FROM_DATA.contains(node.getOpType()) && (folded
                    || staticShape.containsAll(data) && (!SHAPE_FROM_VALUES.contains(node.getOpType())
                            || constants.containsAll(data.subList(Math.min(1, data.size()), data.size()))
                                    && (!Set.of("ConstantOfShape", "Range").contains(node.getOpType())
                                            || constants.containsAll(data))));
            for (int k = 0; k < node.getOutputCount(); k++) {
                String output = node.getOutput(k);
                if (output.isEmpty()) {
                    continue;
                }
                if (folded) {
                    constants.add(output);
                }
                if (known) {
                    staticShape.add(output);
                }
                if (NON_TENSOR_OPS.contains(node.getOpType()) || nested && nonTensorBodyOutput(node, k)) {
                    nonTensors.add(output);
                }
            }
        }
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            for (String output : nodes.get(i).getOutputList()) {
                producer.putIfAbsent(output, i);
            }
        }
        canStart = new boolean[nodes.size() + 1];
        Arrays.fill(canStart, true);
        for (int j = 0; j < nodes.size(); j++) {
            if (LAYOUT_SENSITIVE.contains(nodes.get(j).getOpType()) && nodes.get(j).getDomain().isEmpty()) {
                int first = layoutOrigin(j, producer);
                for (int e = first + 1; e <= j; e++) {
                    canStart[e] = false;
                }
            }
        }
    }

    /**
     * The earliest node whose layout may reach node {@code j}: its producers, and theirs back through every
     * {@link #LAYOUT_CARRIERS} node, stopping at convolutions, where the NCHWc layout starts.
     */
    private int layoutOrigin(int j, Map<String, Integer> producer) {
        int first = j;
        Set<Integer> seen = new HashSet<>();
        ArrayDeque<Integer> todo = new ArrayDeque<>(List.of(j));
        while (!todo.isEmpty()) {
            int node = todo.pop();
            for (String input : nodes.get(node).getInputList()) {
                Integer p = producer.get(input);
                if (p == null || !seen.add(p)) {
                    continue;
                }
                first = Math.min(first, p);
                OnnxMl.NodeProto from = nodes.get(p);
                if (from.getDomain().isEmpty() && LAYOUT_CARRIERS.contains(from.getOpType())) {
                    todo.push(p);
                }
            }
        }
        return first;
    }

    /** Adds to {@code out} the names {@code graph} (and the subgraphs within it) read from enclosing scopes. */
    private static void outerReads(OnnxMl.GraphProto graph, Set<String> out) {
        Set<String> defined = new HashSet<>();
        graph.getInputList().forEach(v -> defined.add(v.getName()));
        graph.getInitializerList().forEach(t -> defined.add(t.getName()));
        graph.getNodeList().forEach(n -> defined.addAll(n.getOutputList()));
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            Set<String> read = new LinkedHashSet<>(n.getInputList());
            for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    outerReads(a.getG(), read);
                }
                a.getGraphsList().forEach(g -> outerReads(g, read));
            }
            read.stream().filter(s -> !s.isEmpty() && !defined.contains(s)).forEach(out::add);
        }
    }

    /**
     * Whether output {@code k} of a node with subgraphs is declared a sequence, map or optional by the body that
     * returns it: a {@code Loop} body returns its condition first, an {@code If} branch or {@code Scan} body does not.
     */
    private static boolean nonTensorBodyOutput(OnnxMl.NodeProto node, int k) {
        int offset = node.getOpType().equals("Loop") ? 1 : 0;
        for (OnnxMl.AttributeProto a : node.getAttributeList()) {
            if (a.hasG() && a.getG().getOutputCount() > k + offset) {
                OnnxMl.TypeProto type = a.getG().getOutput(k + offset).getType();
                if (type.hasSequenceType() || type.hasMapType() || type.hasOptionalType()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a type is a tensor whose every dimension the file declares. */
    private static boolean isStatic(OnnxMl.TypeProto type) {
        return type.hasTensorType() && type.getTensorType().hasShape() && type.getTensorType().getShape().getDimList()
                .stream().allMatch(d -> d.hasDimValue() && d.getDimValue() >= 0);
    }

    /** The bytes of a tensor type whose element type and every dimension are known, else -1. */
    private static long bytes(OnnxMl.TypeProto type) {
        if (!type.hasTensorType() || !type.getTensorType().hasShape()) {
            return -1;
        }
        long size = elementBytes(type.getTensorType().getElemType());
        for (OnnxMl.TensorShapeProto.Dimension d : type.getTensorType().getShape().getDimList()) {
            if (!d.hasDimValue() || d.getDimValue() < 0 || size < 0) {
                return -1;
            }
            size *= d.getDimValue();
        }
        return size;
    }

    /** The bytes of one element of an ONNX tensor type, or -1 for strings and types unknown here. */
    static long elementBytes(int elemType) {
        return switch (elemType) {
            case OnnxMl.TensorProto.DataType.UINT8_VALUE, OnnxMl.TensorProto.DataType.INT8_VALUE,
                    OnnxMl.TensorProto.DataType.BOOL_VALUE -> 1;
            case OnnxMl.TensorProto.DataType.UINT16_VALUE, OnnxMl.TensorProto.DataType.INT16_VALUE,
                    OnnxMl.TensorProto.DataType.FLOAT16_VALUE, OnnxMl.TensorProto.DataType.BFLOAT16_VALUE -> 2;
            case OnnxMl.TensorProto.DataType.FLOAT_VALUE, OnnxMl.TensorProto.DataType.INT32_VALUE,
                    OnnxMl.TensorProto.DataType.UINT32_VALUE -> 4;
            case OnnxMl.TensorProto.DataType.DOUBLE_VALUE, OnnxMl.TensorProto.DataType.INT64_VALUE,
                    OnnxMl.TensorProto.DataType.UINT64_VALUE -> 8;
            default -> -1;
        };
    }
}
