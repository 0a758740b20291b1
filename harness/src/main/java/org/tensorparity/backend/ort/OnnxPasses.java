package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.tensorparity.ModelFailureException;
import org.tensorparity.tensor.Tensor;

/**
 * An instrumented run in passes: the main graph's nodes, in the file's (topological) order, are cut into consecutive
 * segments of about {@code passBytes} of node outputs, each run alone as a model of its own with every output of its
 * nodes exposed, so that ONNX Runtime holds one segment's activations at a time instead of the whole run's.
 *
 * <p><b>Bit for bit the one-session run.</b> In the one-session instrumented run every node output is a graph output,
 * so ONNX Runtime can fuse no node with the next: each fusion it knows (Conv with Add or an activation, the NCHWc
 * layout's activation and sum fusions, MatMul with Add...) requires the intermediate value to be no graph output.
 * Every node therefore runs as its own kernel on its inputs' exact values in both forms, and a segment feeds its
 * nodes the very bytes the earlier segment computed. What remains to keep equal is what decides which kernel a
 * node gets: whether an input is a constant (weights are pre-packed, convolutions take the NCHWc layout, only for
 * constant weights). A segment therefore holds as initializers the model's initializers its nodes read, and also
 * the values an earlier segment computed that ONNX Runtime folds into constants in the whole graph (Constant nodes
 * and deterministic nodes of constant inputs, {@link OnnxGraphFacts#constants}); every other value crosses as a graph
 * input (a MatMul of 1024x256 weights folded from a Transpose, handed them as a graph input, differed in its output:
 * {@code OnnxPassesTest.aFoldedConstantReachesALaterPassAsAConstant}). ONNX Runtime also folds a {@code Shape} node
 * whose input's shape it knows in full, and the shape arithmetic after it; {@link OnnxGraphFacts} follows ONNX shape
 * inference from the declared shapes as far as the file tells (weights reshaped by such a shape differed otherwise:
 * {@code aShapeOfStaticShapeFoldsIntoConstantsInPassesToo}). Where it cannot tell what ONNX Runtime inferred, shape
 * values feed only shape inputs (Reshape, Slice, Expand, Resize sizes) in the models seen, whose kernels compute the
 * same values either way. Last, a node must not start a segment where ONNX Runtime would have run it in the NCHWc
 * layout of the nodes before it ({@link OnnxGraphFacts#canStart}): the kernel then depends on the node's producers.
 * {@code OnnxPassesTest} checks the result on real models against the one-session run, every value, every bit.
 *
 * <p><b>Segment size.</b> A node's outputs count at their size when known: measured in an earlier pass or run of
 * this model, or declared in full by the file (value_info, graph outputs); otherwise at the mean size of the values
 * measured so far, and before the first pass at the size of the largest feed. Nodes are added while the count stays
 * within {@code passBytes}; a node always makes a segment, however large. A segment is extended past its budget
 * to the last reader of a sequence, map or optional it computes, which ONNX Runtime's Java API cannot feed to the
 * next one.
 */
final class OnnxPasses {
    /** Checks the loop counters a segment computed; throws when a loop ran past the bound. */
    interface CounterCheck {
        void check(OrtSession.Result result) throws ModelFailureException;
    }

    /** A value computed by one segment and read by a later one: its exact bytes, as ONNX Runtime laid them out. */
    private record Held(ByteBuffer bytes, long[] shape, OnnxJavaType type) {
        /**
         * The tensor's bytes copied into a direct buffer, from which every later segment's feed is made without
         * another copy.
         */
        static Held of(OnnxTensor t) {
            ByteBuffer copy = t.getByteBuffer();
            ByteBuffer bytes = ByteBuffer.allocateDirect(copy.remaining()).order(ByteOrder.nativeOrder());
            bytes.put(copy).flip();
            return new Held(bytes, t.getInfo().getShape(), t.getInfo().type);
        }

        OnnxTensor tensor() throws OrtException {
            return OnnxTensor.createTensor(OrtEnv.get(), bytes.duplicate().order(ByteOrder.nativeOrder()), shape, type);
        }

        int onnxType() {
            return switch (type) {
                case FLOAT -> OnnxMl.TensorProto.DataType.FLOAT_VALUE;
                case DOUBLE -> OnnxMl.TensorProto.DataType.DOUBLE_VALUE;
                case INT8 -> OnnxMl.TensorProto.DataType.INT8_VALUE;
                case UINT8 -> OnnxMl.TensorProto.DataType.UINT8_VALUE;
                case INT16 -> OnnxMl.TensorProto.DataType.INT16_VALUE;
                case INT32 -> OnnxMl.TensorProto.DataType.INT32_VALUE;
                case INT64 -> OnnxMl.TensorProto.DataType.INT64_VALUE;
                case BOOL -> OnnxMl.TensorProto.DataType.BOOL_VALUE;
                case FLOAT16 -> OnnxMl.TensorProto.DataType.FLOAT16_VALUE;
                case BFLOAT16 -> OnnxMl.TensorProto.DataType.BFLOAT16_VALUE;
                default -> throw new IllegalStateException("no tensor of " + type + " is held");
            };
        }

        OnnxMl.TensorProto initializer(String name) {
            OnnxMl.TensorProto.Builder b = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(onnxType())
                    .setRawData(ByteString.copyFrom(bytes.duplicate()));
            for (long d : shape) {
                b.addDims(d);
            }
            return b.build();
        }
    }

    private final String path;
    private final OnnxMl.ModelProto model;
    private final OnnxGraphFacts facts;
    /** What the one-session run captures, in its order: the declared outputs, then every node output. */
    private final List<String> exposed;
    private final Set<String> counters;
    private final long passBytes;
    /** Bytes of each value, as measured in the runs so far: a later run is cut by them. */
    private final Map<String, Long> measured = new HashMap<>();
    /** The node count of each segment of the last run. */
    private final List<Integer> lastSegments = new ArrayList<>();
    /** The bytes of tensors each segment of the last run computed. */
    private final List<Long> lastSegmentBytes = new ArrayList<>();

    /**
     * @param path the model's file, for errors
     * @param bounded the model with its loops bounded ({@link LoopBound})
     * @param exposed the names the one-session run captures, in its order
     * @param counters the loop counters' graph outputs
     */
    OnnxPasses(String path, OnnxMl.ModelProto bounded, List<String> exposed, Set<String> counters, long passBytes) {
        this.path = path;
        this.model = bounded;
        this.facts = new OnnxGraphFacts(bounded.getGraph());
        this.exposed = exposed;
        this.counters = counters;
        this.passBytes = passBytes;
    }

    /** The node count of each segment of the last run, in order. */
    List<Integer> lastSegments() {
        return List.copyOf(lastSegments);
    }

    /** The bytes of tensors each segment of the last run computed, in order. */
    List<Long> lastSegmentBytes() {
        return List.copyOf(lastSegmentBytes);
    }

    /**
     * Runs the model segment by segment and hands every captured value to {@code keep} as soon as its segment ran.
     *
     * @param feeds the model's inputs; the caller closes them
     * @return what {@code keep} returned for each captured value, in the one-session run's order
     */
    Map<String, Tensor> run(Map<String, OnnxTensor> feeds, OrtSession.SessionOptions options,
            BiFunction<String, Tensor, Tensor> keep, CounterCheck check) throws ModelFailureException {
        Set<String> captured = new HashSet<>(exposed);
        Map<String, Tensor> kept = new HashMap<>();
        Map<String, Held> live = new HashMap<>();
        double fallback = feeds.values().stream().mapToLong(OnnxPasses::bytes).max().orElse(passBytes);
        long measuredTotal = 0;
        long measuredCount = 0;
        lastSegments.clear();
        lastSegmentBytes.clear();
        int n = facts.nodes.size();
        for (int start = 0; start < n;) {
            if (measuredCount > 0) {
                fallback = (double) measuredTotal / measuredCount;
            }
            int end = end(start, fallback);
            lastSegments.add(end - start);
            Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
            try {
                OnnxMl.ModelProto segment = segment(start, end, feeds, live, inputs);
                try (OrtSession session = session(segment, options);
                        OrtSession.Result result = session.run(inputs)) {
                    check.check(result);
                    long computed = 0;
                    for (Map.Entry<String, OnnxValue> e : result) {
                        String name = e.getKey();
                        boolean later = facts.lastRead.getOrDefault(name, -1) >= end;
                        if (e.getValue() instanceof OnnxTensor t) {
                            long size = bytes(t);
                            measured.put(name, size);
                            measuredTotal += size;
                            measuredCount++;
                            computed += size;
                            if (captured.contains(name) && OrtTensors.isNumeric(t.getInfo().type)) {
                                kept.put(name, keep.apply(name, OrtTensors.toTensor(t)));
                            }
                            if (later) {
                                if (t.getInfo().type == OnnxJavaType.STRING || t.getInfo().type == OnnxJavaType.UNKNOWN) {
                                    throw unfeedable(name, "a tensor of " + t.getInfo().onnxType + " elements");
                                }
                                live.put(name, Held.of(t));
                            }
                        } else if (later) {
                            throw unfeedable(name, "a " + e.getValue().getType());
                        }
                    }
                    lastSegmentBytes.add(computed);
                }
            } catch (OrtException e) {
                throw new ModelFailureException("ONNX model " + path + ": inference failed: "
                        + OnnxRuntimeRunner.oneLine(e.getMessage()), e);
            } finally {
                inputs.forEach((name, t) -> {
                    if (!feeds.containsKey(name)) {
                        t.close();
                    }
                });
            }
            int done = end;
            live.keySet().removeIf(name -> facts.lastRead.getOrDefault(name, -1) < done);
            start = end;
        }
        Map<String, Tensor> ordered = new LinkedHashMap<>();
        for (String name : exposed) {
            Tensor t = kept.get(name);
            if (t != null) {
                ordered.put(name, t);
            }
        }
        return ordered;
    }

    private ModelFailureException unfeedable(String name, String what) {
        return new ModelFailureException("ONNX model " + path + ": '" + name + "' is " + what
                + ", which a run in passes cannot hand from one pass to the next");
    }

    /** A session of one segment; a model ONNX Runtime cannot load fails here as the one-session open fails. */
    private OrtSession session(OnnxMl.ModelProto segment, OrtSession.SessionOptions options)
            throws ModelFailureException {
        try {
            return OrtEnv.get().createSession(OnnxModelFile.serialize(segment), options);
        } catch (OrtException e) {
            throw new ModelFailureException("ONNX model " + path + ": ONNX Runtime cannot load it: "
                    + OnnxRuntimeRunner.oneLine(e.getMessage()), e);
        }
    }

    /** The end (exclusive) of the segment that starts at {@code start}. */
    private int end(int start, double fallback) {
        int n = facts.nodes.size();
        double total = 0;
        int end = start;
        while (end < n) {
            double size = 0;
            for (String output : facts.nodes.get(end).getOutputList()) {
                if (!output.isEmpty()) {
                    Long known = measured.getOrDefault(output, facts.declaredBytes.get(output));
                    size += known != null ? known : fallback;
                }
            }
            if (end > start && total + size > passBytes) {
                break;
            }
            total += size;
            end++;
        }
        // Back to where the next segment may start, else on to it; then past the last reader of every sequence, map
        // or optional computed here, and so on until both hold.
        int back = end;
        while (back > start + 1 && !facts.canStart[back]) {
            back--;
        }
        end = facts.canStart[back] ? back : end;
        for (boolean moved = true; moved;) {
            moved = false;
            while (!facts.canStart[end]) {
                end++;
                moved = true;
            }
            for (int i = start; i < end; i++) {
                for (String output : facts.nodes.get(i).getOutputList()) {
                    int last = facts.lastRead.getOrDefault(output, -1);
                    if (facts.nonTensors.contains(output) && last >= end) {
                        end = last + 1;
                        moved = true;
                    }
                }
            }
        }
        return end;
    }

    /**
     * The model of nodes {@code start} to {@code end}: they, the initializers they read, the values earlier
     * segments computed as constants where the whole graph has constants and as graph inputs elsewhere (each added
     * to {@code inputs} with its value), and as graph outputs every output of its nodes.
     */
    private OnnxMl.ModelProto segment(int start, int end, Map<String, OnnxTensor> feeds, Map<String, Held> live,
            Map<String, OnnxTensor> inputs) throws OrtException {
        OnnxMl.GraphProto original = model.getGraph();
        OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder()
                .setName(original.getName() + "_pass_" + start + "_" + end);
        Set<String> produced = new HashSet<>();
        Set<String> added = new HashSet<>();
        List<String> reads = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int i = start; i < end; i++) {
            OnnxMl.NodeProto node = facts.nodes.get(i);
            graph.addNode(node);
            facts.reads.get(i).stream().filter(r -> !produced.contains(r)).forEach(reads::add);
            for (String output : node.getOutputList()) {
                if (!output.isEmpty() && produced.add(output)) {
                    outputs.add(output);
                }
            }
        }
        if (start == 0) {
            // A declared output no node computes (a feed or an initializer returned as it is).
            for (OnnxMl.ValueInfoProto v : original.getOutputList()) {
                if (facts.nodes.stream().noneMatch(node -> node.getOutputList().contains(v.getName()))) {
                    reads.add(v.getName());
                    outputs.add(v.getName());
                }
            }
        }
        for (String name : reads) {
            if (!added.add(name)) {
                continue;
            }
            OnnxMl.TensorProto weight = facts.initializers.get(name);
            if (weight != null) {
                graph.addInitializer(weight);
                if (facts.inputs.containsKey(name)) {
                    graph.addInput(facts.inputs.get(name));
                }
            } else if (facts.inputs.containsKey(name)) {
                // A model input is declared as the model declares it: the same graph input as the one-session run's.
                graph.addInput(facts.inputs.get(name));
                if (feeds.containsKey(name)) {
                    inputs.put(name, feeds.get(name));
                }
            } else if (live.containsKey(name)) {
                Held held = live.get(name);
                if (facts.constants.contains(name)) {
                    graph.addInitializer(held.initializer(name));
                } else {
                    graph.addInput(valueInfo(name, held));
                    inputs.put(name, held.tensor());
                }
            }
        }
        // Declared as the whole graph declares them: a graph output with its type, or a name with its value_info.
        for (String output : outputs) {
            OnnxMl.ValueInfoProto declared = facts.outputs.get(output);
            graph.addOutput(declared != null ? declared : OnnxMl.ValueInfoProto.newBuilder().setName(output).build());
            if (facts.valueInfos.containsKey(output)) {
                graph.addValueInfo(facts.valueInfos.get(output));
            }
        }
        return model.toBuilder().clearTrainingInfo().setGraph(graph).build();
    }

    /** A graph input of the element type and shape of the value fed. */
    private static OnnxMl.ValueInfoProto valueInfo(String name, Held held) {
        OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
        for (long d : held.shape()) {
            shape.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(held.onnxType()).setShape(shape)))
                .build();
    }

    private static long bytes(OnnxTensor t) {
        return (long) Math.max(t.getInfo().type.size, 0) * t.getInfo().getNumElements();
    }
}
