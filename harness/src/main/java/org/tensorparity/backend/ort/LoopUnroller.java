package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
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
 * Copies the body of an ONNX {@code Loop} into the main graph once per iteration the run made, in the
 * {@code Loop}'s place: ONNX Runtime exposes no value computed inside a body, and an unrolled body is a run of plain
 * nodes whose every output is captured.
 *
 * <p>Iteration {@code k} (from 0) names what its body defines {@code <name in the body>@<k>}, values and nodes
 * alike. Its iteration number is a constant; its condition and loop-carried inputs are the previous iteration's
 * outputs (the {@code Loop}'s own inputs for iteration 0); outer-scope names resolve to the main graph's tensors.
 * The body's initializers are added once. The {@code Loop}'s outputs are kept: the final loop-carried values are
 * {@code Identity} nodes of the last iteration's, and each scan output is the {@code Concat} of every iteration's
 * value with a leading axis added, which is how the {@code Loop} stacks them; the nodes after it are unchanged.
 */
final class LoopUnroller {
    private LoopUnroller() {
    }

    /**
     * @param values what the run computed and was fed, by name: a {@code Loop}'s iteration count is read from it
     * @param maxNodes most body nodes, over all iterations, one {@code Loop} may put in the graph
     */
    static UnrolledModel unroll(ModelFile file, Map<String, Tensor> values, int maxNodes) throws ModelFailureException {
        OnnxMl.ModelProto proto = OnnxModelFile.parse(file);
        long opset = OnnxProtos.defaultOpset(proto).orElse(13);
        OnnxMl.GraphProto graph = proto.getGraph();
        Set<String> taken = new HashSet<>();
        Set<String> nodeNames = new HashSet<>();
        IfInliner.collectNames(graph, taken, nodeNames);
        OnnxMl.GraphProto.Builder out = graph.toBuilder().clearNode();
        List<UnrolledLoop> unrolled = new ArrayList<>();
        List<String> whole = new ArrayList<>();
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            OnnxMl.GraphProto body = node.getAttributeList().stream().filter(a -> a.getName().equals("body"))
                    .findFirst().map(OnnxMl.AttributeProto::getG).orElse(null);
            if (!node.getOpType().equals("Loop") || body == null || node.getInputCount() < 2
                    || body.getInputCount() != node.getInputCount() || body.getOutputCount() < node.getInputCount() - 1) {
                out.addNode(node);
                continue;
            }
            String label = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
            Integer count = iterations(node, body, graph, values);
            String why = count == null ? "the run captured no scan output and no trip count with a condition that never"
                    + " changes, so how many iterations it made is not known"
                    : count < 1 ? "it made no iteration on these inputs"
                    : (long) count * body.getNodeCount() > maxNodes ? count + " iterations of its " + body.getNodeCount()
                            + "-node body exceed " + maxNodes + " nodes unrolled"
                    : null;
            if (why != null) {
                whole.add("Loop '" + label + "' was not unrolled (" + why + "): its body's values are not captured");
                out.addNode(node);
                continue;
            }
            unrolled.add(unrollOne(node, label, body, count, opset, out, taken, nodeNames));
        }
        OnnxMl.ModelProto rewritten = proto.toBuilder().setGraph(out).build();
        return new UnrolledModel(unrolled.isEmpty() ? file : file.rewritten(OnnxModelFile.serialize(rewritten)), unrolled,
                whole);
    }

    /**
     * How many iterations the {@code Loop} made: the length of a scan output the run captured, or else its trip count
     * when it has no condition input and its body returns the condition it was given (so nothing ends it early); null
     * when neither tells.
     */
    private static Integer iterations(OnnxMl.NodeProto loop, OnnxMl.GraphProto body, OnnxMl.GraphProto graph,
            Map<String, Tensor> values) {
        int carried = loop.getInputCount() - 2;
        for (int i = carried; i < loop.getOutputCount(); i++) {
            Tensor scan = loop.getOutput(i).isEmpty() ? null : values.get(loop.getOutput(i));
            if (scan != null && scan.shape().rank() > 0) {
                return scan.shape().dim(0);
            }
        }
        String tripCount = loop.getInput(0);
        String given = body.getInput(1).getName();
        String returned = body.getOutput(0).getName();
        boolean passedThrough = returned.equals(given) || body.getNodeList().stream().anyMatch(n -> n.getOpType()
                .equals("Identity") && n.getInputList().equals(List.of(given)) && n.getOutputList().equals(List.of(returned)));
        if (tripCount.isEmpty() || !loop.getInput(1).isEmpty() || !passedThrough) {
            return null;
        }
        Tensor m = values.get(tripCount);
        if (m != null && m.shape().elementCount() == 1) {
            return (int) Math.min(Integer.MAX_VALUE, (long) m.data()[0]);
        }
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            if (!t.getName().equals(tripCount)) {
                continue;
            }
            long value = t.getInt64DataCount() == 1 ? t.getInt64Data(0)
                    : t.getRawData().size() == Long.BYTES ? t.getRawData().asReadOnlyByteBuffer()
                            .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong() : -1;
            return value < 0 ? null : (int) Math.min(Integer.MAX_VALUE, value);
        }
        return null;
    }

    private static UnrolledLoop unrollOne(OnnxMl.NodeProto loop, String label, OnnxMl.GraphProto body, int count,
            long opset, OnnxMl.GraphProto.Builder out, Set<String> taken, Set<String> nodeNames) {
        int carried = loop.getInputCount() - 2;
        Map<String, String> initializers = new HashMap<>();
        for (OnnxMl.TensorProto t : body.getInitializerList()) {
            String fresh = unique(t.getName() + "@" + label, taken);
            initializers.put(t.getName(), fresh);
            out.addInitializer(t.toBuilder().setName(fresh));
        }
        String conditionIn = loop.getInput(1);
        if (conditionIn.isEmpty()) {
            conditionIn = unique(label + "/condition", taken);
            out.addNode(constant(unique(label + "/condition", nodeNames), conditionIn, OnnxMl.TensorProto.DataType.BOOL_VALUE, 1));
        }
        List<String> state = new ArrayList<>();
        for (int i = 0; i < carried; i++) {
            state.add(loop.getInput(2 + i));
        }
        List<List<String>> scans = new ArrayList<>();
        List<Set<String>> perIteration = new ArrayList<>();
        String axes = null;
        for (int k = 0; k < count; k++) {
            Map<String, String> renamed = new HashMap<>(initializers);
            Set<String> tensors = new LinkedHashSet<>();
            String iterationNumber = unique(body.getInput(0).getName() + "@" + k, taken);
            out.addNode(constant(unique(iterationNumber, nodeNames), iterationNumber,
                    OnnxMl.TensorProto.DataType.INT64_VALUE, k));
            renamed.put(body.getInput(0).getName(), iterationNumber);
            renamed.put(body.getInput(1).getName(), conditionIn);
            for (int i = 0; i < carried; i++) {
                renamed.put(body.getInput(2 + i).getName(), state.get(i));
            }
            for (OnnxMl.NodeProto n : body.getNodeList()) {
                for (String o : n.getOutputList()) {
                    if (!o.isEmpty()) {
                        String fresh = unique(o + "@" + k, taken);
                        renamed.put(o, fresh);
                        tensors.add(fresh);
                    }
                }
            }
            for (OnnxMl.NodeProto n : body.getNodeList()) {
                OnnxMl.NodeProto.Builder copy = IfInliner.rename(n, renamed).toBuilder();
                copy.setName(unique((n.getName().isEmpty() ? n.getOutput(0) : n.getName()) + "@" + k, nodeNames));
                out.addNode(copy);
            }
            conditionIn = renamed.getOrDefault(body.getOutput(0).getName(), body.getOutput(0).getName());
            for (int i = 0; i < carried; i++) {
                String returned = body.getOutput(1 + i).getName();
                state.set(i, renamed.getOrDefault(returned, returned));
            }
            for (int s = 0; s + 1 + carried < body.getOutputCount(); s++) {
                if (k == 0) {
                    scans.add(new ArrayList<>());
                }
                if (axes == null && opset >= 13) {
                    axes = unique(label + "/scan_axis", taken);
                    out.addInitializer(OnnxMl.TensorProto.newBuilder().setName(axes).addDims(1)
                            .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addInt64Data(0));
                }
                String returned = body.getOutput(1 + carried + s).getName();
                String value = renamed.getOrDefault(returned, returned);
                String stacked = unique(value + "/stacked", taken);
                OnnxMl.NodeProto.Builder unsqueeze = OnnxMl.NodeProto.newBuilder()
                        .setName(unique(stacked, nodeNames)).setOpType("Unsqueeze").addInput(value).addOutput(stacked);
                if (axes != null) {
                    unsqueeze.addInput(axes);
                } else {
                    unsqueeze.addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axes")
                            .setType(OnnxMl.AttributeProto.AttributeType.INTS).addInts(0));
                }
                out.addNode(unsqueeze);
                scans.get(s).add(stacked);
            }
            perIteration.add(tensors);
        }
        for (int i = 0; i < carried && i < loop.getOutputCount(); i++) {
            if (!loop.getOutput(i).isEmpty()) {
                out.addNode(OnnxMl.NodeProto.newBuilder().setName(unique(label + "/output_" + i, nodeNames))
                        .setOpType("Identity").addInput(state.get(i)).addOutput(loop.getOutput(i)));
            }
        }
        for (int s = 0; s < scans.size() && carried + s < loop.getOutputCount(); s++) {
            String result = loop.getOutput(carried + s);
            if (result.isEmpty()) {
                continue;
            }
            OnnxMl.NodeProto.Builder concat = OnnxMl.NodeProto.newBuilder()
                    .setName(unique(label + "/scan_output_" + s, nodeNames)).setOpType("Concat").addOutput(result)
                    .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("axis")
                            .setType(OnnxMl.AttributeProto.AttributeType.INT).setI(0));
            scans.get(s).forEach(concat::addInput);
            out.addNode(concat);
        }
        return new UnrolledLoop(label, loop.getOutputList().stream().filter(o -> !o.isEmpty()).toList(), count,
                body.getNodeCount(), perIteration);
    }

    static OnnxMl.NodeProto constant(String nodeName, String output, int dataType, long value) {
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setDataType(dataType);
        if (dataType == OnnxMl.TensorProto.DataType.BOOL_VALUE) {
            t.addInt32Data((int) value);
        } else {
            t.addInt64Data(value);
        }
        return OnnxMl.NodeProto.newBuilder().setName(nodeName).setOpType("Constant").addOutput(output)
                .addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value")
                        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(t)).build();
    }

    /** {@code base}, or {@code base_2}, {@code base_3}... whichever is not taken yet; it is taken from then on. */
    static String unique(String base, Set<String> taken) {
        String name = base;
        for (int k = 2; taken.contains(name); k++) {
            name = base + "_" + k;
        }
        taken.add(name);
        return name;
    }
}
