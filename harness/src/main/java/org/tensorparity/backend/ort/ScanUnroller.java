package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.UnrolledLoop;
import org.tensorparity.backend.UnrolledModel;
import org.tensorparity.model.ModelFile;
import org.tensorparity.tensor.Tensor;

/**
 * Copies the body of an ONNX {@code Scan} into the main graph once per iteration, in the {@code Scan}'s place, as
 * {@link LoopUnroller} does for a {@code Loop}: ONNX Runtime exposes no value computed inside a body.
 *
 * <p>A {@code Scan} makes as many iterations as its scan inputs are long along their scan axis. Iteration {@code k}
 * (from 0) names what its body defines {@code <name in the body>@<k>}; its scan input elements are {@code Gather}s of
 * index {@code k} along the input's {@code scan_input_axes} entry ({@code T-1-k} when its
 * {@code scan_input_directions} entry is 1), named after the body's input, and its state inputs are the previous
 * iteration's state outputs (the {@code Scan}'s own for iteration 0). The {@code Scan}'s outputs are kept: the final
 * states are {@code Identity} nodes of the last iteration's, and each scan output is the {@code Concat}, along its
 * {@code scan_output_axes} entry, of every iteration's value with that axis added, the last iteration's first when
 * its {@code scan_output_directions} entry is 1. Gather, Unsqueeze and Concat move values without arithmetic, so the
 * outputs are the {@code Scan}'s bit for bit.
 */
final class ScanUnroller {
    private ScanUnroller() {
    }

    /**
     * @param values what the run computed and was fed, by name: a {@code Scan}'s iteration count is read from the
     *     shape of a scan input (or of a scan output) in it
     * @param maxNodes most body nodes, over all iterations, one {@code Scan} may put in the graph
     * @param candidates the first outputs of the {@code Scan} nodes to unroll; the others are left as they are
     */
    static UnrolledModel unroll(ModelFile file, Map<String, Tensor> values, int maxNodes, Set<String> candidates)
            throws ModelFailureException {
        OnnxMl.ModelProto proto = OnnxModelFile.parse(file);
        long opset = OnnxProtos.defaultOpset(proto).orElse(13);
        OnnxMl.GraphProto graph = proto.getGraph();
        if (graph.getNodeList().stream().noneMatch(n -> n.getOpType().equals("Scan"))) {
            return new UnrolledModel(file, List.of(), List.of());
        }
        Set<String> taken = new HashSet<>();
        Set<String> nodeNames = new HashSet<>();
        IfInliner.collectNames(graph, taken, nodeNames);
        OnnxMl.GraphProto.Builder out = graph.toBuilder().clearNode();
        List<UnrolledLoop> unrolled = new ArrayList<>();
        List<String> whole = new ArrayList<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (!node.getOpType().equals("Scan") || !candidates.contains(node.getOutput(0))) {
                out.addNode(node);
                continue;
            }
            String label = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
            OnnxMl.GraphProto body = attribute(node, "body") == null ? null : attribute(node, "body").getG();
            OnnxMl.AttributeProto scanInputs = attribute(node, "num_scan_inputs");
            int m = scanInputs == null ? -1 : (int) scanInputs.getI();
            int n = node.getInputCount() - m;
            String why;
            Integer count = null;
            if (opset < 9) {
                why = "a Scan of opset " + opset + " runs batches with sequence lengths, which is not unrolled";
            } else if (body == null || m < 1 || n < 0 || body.getInputCount() != node.getInputCount()
                    || body.getOutputCount() != node.getOutputCount() || body.getOutputCount() < n) {
                why = "its inputs, outputs and body do not match as a Scan's";
            } else {
                count = iterations(node, n, graph, values);
                why = count == null ? "the run captured the shape of none of its scan inputs or outputs, so how many"
                        + " iterations it made is not known"
                        : count < 1 ? "it made no iteration on these inputs"
                        : (long) count * body.getNodeCount() > maxNodes ? count + " iterations of its "
                                + body.getNodeCount() + "-node body exceed " + maxNodes + " nodes unrolled"
                        : null;
            }
            if (why != null) {
                whole.add("Scan '" + label + "' was not unrolled (" + why + "): its body's values are not captured");
                out.addNode(node);
                continue;
            }
            unrolled.add(unrollOne(node, label, n, body, count, opset, out, taken, nodeNames));
        }
        OnnxMl.ModelProto rewritten = proto.toBuilder().setGraph(out).build();
        return new UnrolledModel(unrolled.isEmpty() ? file : file.rewritten(OnnxModelFile.serialize(rewritten)), unrolled,
                whole);
    }

    /**
     * The length of the first scan input whose shape the run tells (a value fed or computed, or an initializer)
     * along its scan axis; else of a captured scan output along its scan output axis; null when none tells.
     */
    private static Integer iterations(OnnxMl.NodeProto scan, int states, OnnxMl.GraphProto graph,
            Map<String, Tensor> values) {
        Map<String, List<Long>> initializers = new HashMap<>();
        graph.getInitializerList().forEach(t -> initializers.put(t.getName(), t.getDimsList()));
        for (int j = 0; states + j < scan.getInputCount(); j++) {
            String input = scan.getInput(states + j);
            Tensor value = values.get(input);
            List<Long> dims = value != null ? java.util.Arrays.stream(value.shape().dims()).mapToObj(d -> (long) d).toList()
                    : initializers.get(input);
            if (dims != null && !dims.isEmpty()) {
                int axis = axis(ints(scan, "scan_input_axes"), j, dims.size());
                return axis < 0 ? null : (int) Math.min(Integer.MAX_VALUE, dims.get(axis));
            }
        }
        for (int k = 0; states + k < scan.getOutputCount(); k++) {
            Tensor value = values.get(scan.getOutput(states + k));
            if (value != null && value.shape().rank() > 0) {
                int axis = axis(ints(scan, "scan_output_axes"), k, value.shape().rank());
                return axis < 0 ? null : value.shape().dim(axis);
            }
        }
        return null;
    }

    private static UnrolledLoop unrollOne(OnnxMl.NodeProto scan, String label, int states, OnnxMl.GraphProto body,
            int count, long opset, OnnxMl.GraphProto.Builder out, Set<String> taken, Set<String> nodeNames) {
        int scanInputs = scan.getInputCount() - states;
        int scanOutputs = scan.getOutputCount() - states;
        List<Long> inputAxes = ints(scan, "scan_input_axes");
        List<Long> inputDirections = ints(scan, "scan_input_directions");
        List<Long> outputAxes = ints(scan, "scan_output_axes");
        List<Long> outputDirections = ints(scan, "scan_output_directions");
        Map<String, String> initializers = new HashMap<>();
        for (OnnxMl.TensorProto t : body.getInitializerList()) {
            String fresh = LoopUnroller.unique(t.getName() + "@" + label, taken);
            initializers.put(t.getName(), fresh);
            out.addInitializer(t.toBuilder().setName(fresh));
        }
        List<String> state = new ArrayList<>(scan.getInputList().subList(0, states));
        List<List<String>> stacked = new ArrayList<>();
        for (int s = 0; s < scanOutputs; s++) {
            stacked.add(new ArrayList<>());
        }
        Map<Long, String> indexes = new HashMap<>();
        Map<Long, String> unsqueezeAxes = new HashMap<>();
        List<Set<String>> perIteration = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            Map<String, String> renamed = new HashMap<>(initializers);
            Set<String> tensors = new LinkedHashSet<>();
            for (int i = 0; i < states; i++) {
                renamed.put(body.getInput(i).getName(), state.get(i));
            }
            for (int j = 0; j < scanInputs; j++) {
                long index = direction(inputDirections, j) == 1 ? count - 1 - k : k;
                String indexName = indexes.computeIfAbsent(index, i -> {
                    String name = LoopUnroller.unique(label + "/index_" + i, taken);
                    out.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name)
                            .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addInt64Data(i));
                    return name;
                });
                String element = LoopUnroller.unique(body.getInput(states + j).getName() + "@" + k, taken);
                long axis = j < inputAxes.size() ? inputAxes.get(j) : 0;
                out.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Gather")
                        .setName(LoopUnroller.unique(element, nodeNames)).addInput(scan.getInput(states + j))
                        .addInput(indexName).addOutput(element).addAttribute(OnnxMl.AttributeProto.newBuilder()
                                .setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(axis)));
                renamed.put(body.getInput(states + j).getName(), element);
            }
            for (OnnxMl.NodeProto n : body.getNodeList()) {
                for (String o : n.getOutputList()) {
                    if (!o.isEmpty()) {
                        String fresh = LoopUnroller.unique(o + "@" + k, taken);
                        renamed.put(o, fresh);
                        tensors.add(fresh);
                    }
                }
            }
            for (OnnxMl.NodeProto n : body.getNodeList()) {
                OnnxMl.NodeProto.Builder copy = IfInliner.rename(n, renamed).toBuilder();
                copy.setName(LoopUnroller.unique((n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "@" + k,
                        nodeNames));
                out.addNode(copy);
            }
            for (int i = 0; i < states; i++) {
                String returned = body.getOutput(i).getName();
                state.set(i, renamed.getOrDefault(returned, returned));
            }
            for (int s = 0; s < scanOutputs; s++) {
                long axis = s < outputAxes.size() ? outputAxes.get(s) : 0;
                String returned = body.getOutput(states + s).getName();
                String value = renamed.getOrDefault(returned, returned);
                String withAxis = LoopUnroller.unique(value + "/stacked", taken);
                OnnxMl.NodeProto.Builder unsqueeze = OnnxMl.NodeProto.newBuilder()
                        .setName(LoopUnroller.unique(withAxis, nodeNames)).setOpType("Unsqueeze").addInput(value)
                        .addOutput(withAxis);
                if (opset >= 13) {
                    unsqueeze.addInput(unsqueezeAxes.computeIfAbsent(axis, a -> {
                        String name = LoopUnroller.unique(label + "/scan_output_axis_" + a, taken);
                        out.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name).addDims(1)
                                .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addInt64Data(a));
                        return name;
                    }));
                } else {
                    unsqueeze.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axes")
                            .setType(OnnxMl.AttributeProto.AttributeType.INTS).addInts(axis));
                }
                out.addNode(unsqueeze);
                stacked.get(s).add(withAxis);
            }
            perIteration.add(tensors);
        }
        for (int i = 0; i < states; i++) {
            if (!scan.getOutput(i).isEmpty()) {
                out.addNode(OnnxMl.NodeProto.newBuilder().setName(LoopUnroller.unique(label + "/output_" + i, nodeNames))
                        .setOpType("Identity").addInput(state.get(i)).addOutput(scan.getOutput(i)));
            }
        }
        for (int s = 0; s < scanOutputs; s++) {
            String result = scan.getOutput(states + s);
            if (result.isEmpty()) {
                continue;
            }
            List<String> parts = new ArrayList<>(stacked.get(s));
            if (direction(outputDirections, s) == 1) {
                // Reverse: each iteration's value goes before those of the iterations before it.
                Collections.reverse(parts);
            }
            OnnxMl.NodeProto.Builder concat = OnnxMl.NodeProto.newBuilder()
                    .setName(LoopUnroller.unique(label + "/scan_output_" + s, nodeNames)).setOpType("Concat")
                    .addOutput(result).addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis")
                            .setType(OnnxMl.AttributeProto.AttributeType.INT)
                            .setI(s < outputAxes.size() ? outputAxes.get(s) : 0));
            parts.forEach(concat::addInput);
            out.addNode(concat);
        }
        return new UnrolledLoop("Scan", label, scan.getOutputList().stream().filter(o -> !o.isEmpty()).toList(), count,
                body.getNodeCount(), perIteration);
    }

    private static OnnxMl.AttributeProto attribute(OnnxMl.NodeProto node, String name) {
        return node.getAttributeList().stream().filter(a -> a.getName().equals(name)).findFirst().orElse(null);
    }

    private static List<Long> ints(OnnxMl.NodeProto node, String name) {
        OnnxMl.AttributeProto a = attribute(node, name);
        return a == null ? List.of() : a.getIntsList();
    }

    private static long direction(List<Long> directions, int index) {
        return index < directions.size() ? directions.get(index) : 0;
    }

    /** Entry {@code index} of {@code axes} (0 when absent) counted from the front of a rank-{@code rank} shape; -1 when out of range. */
    private static int axis(List<Long> axes, int index, int rank) {
        long axis = index < axes.size() ? axes.get(index) : 0;
        axis = axis < 0 ? axis + rank : axis;
        return axis < 0 || axis >= rank ? -1 : (int) axis;
    }
}
