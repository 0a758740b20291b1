package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Bounds every ONNX {@code Loop} of a model at {@code max} iterations: ONNX Runtime runs a {@code Loop} whose
 * condition never turns false, or whose trip count is huge, until it ends or memory does, and has no cap of its own.
 *
 * <p>Each {@code Loop}'s trip count {@code M} becomes {@code min(M, max + 1)} (just {@code max + 1} when it has
 * none), so no loop runs more than {@code max + 1} iterations. Each also carries one more value, the iteration
 * number plus one, whose final value is how many iterations it ran (0 when none); a run in which one of these
 * exceeds {@code max} is a runaway, and the caller fails it. A loop within the bound runs exactly the iterations it
 * would have, on the same values, so its outputs do not change.
 *
 * <p>Loops nested in a {@code Loop} body or an {@code If} branch are bounded too. Their counts leave the subgraph
 * they run in as one more value: a {@code Loop} around them carries the largest count any of its iterations saw, an
 * {@code If} returns it from the branch that has the loop and 0 from the other. Every count reaches the main graph
 * and becomes a graph output. {@code Scan} bodies and other subgraphs are left as they are.
 *
 * <p>The rewrite uses {@code Less}, {@code Greater} and {@code Where} on int64 (opset 9): a model of an older opset
 * is left unbounded.
 */
final class LoopBound {
    /** The earliest default-domain opset whose comparison and selection operators take int64. */
    private static final long MIN_OPSET = 9;

    private LoopBound() {
    }

    /**
     * One bounded loop's iteration count, as a graph output.
     *
     * @param output the graph output that holds how many iterations it ran
     * @param loop the loop, as the user finds it: its name (or first output), and the loops and branches around it
     */
    record Counter(String output, String loop) {
    }

    /**
     * The model bounded, and the counters to check after a run.
     *
     * @param model the model to build the session from
     * @param counters one per bounded loop; empty when the model has no loop or an opset too old to bound it in
     */
    record Bounded(OnnxMl.ModelProto model, List<Counter> counters) {
    }

    /** Whether the model has a {@code Loop} in its main graph or in a subgraph of it. */
    static boolean hasLoop(OnnxMl.GraphProto graph) {
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("Loop") && node.getDomain().isEmpty()) {
                return true;
            }
            for (OnnxMl.AttributeProto a : node.getAttributeList()) {
                if (a.hasG() && hasLoop(a.getG()) || a.getGraphsList().stream().anyMatch(LoopBound::hasLoop)) {
                    return true;
                }
            }
        }
        return false;
    }

    static Bounded bound(OnnxMl.ModelProto proto, int max) {
        long opset = OnnxProtos.defaultOpset(proto).orElse(MIN_OPSET);
        if (opset < MIN_OPSET || !hasLoop(proto.getGraph())) {
            return new Bounded(proto, List.of());
        }
        Set<String> taken = new HashSet<>();
        Set<String> nodeNames = new HashSet<>();
        IfInliner.collectNames(proto.getGraph(), taken, nodeNames);
        Rewrite rewrite = new Rewrite(max, taken, nodeNames);
        OnnxMl.GraphProto.Builder graph = proto.getGraph().toBuilder();
        List<Counter> counters = new ArrayList<>();
        for (Count count : rewrite.graph(graph, "")) {
            graph.addOutput(int64Value(count.value()));
            counters.add(new Counter(count.value(), count.loop()));
        }
        return new Bounded(proto.toBuilder().setGraph(graph).build(), counters);
    }

    /** A value of some graph that holds a loop's iteration count (or the largest of them). */
    private record Count(String value, String loop) {
    }

    private static final class Rewrite {
        private final int max;
        private final Set<String> taken;
        private final Set<String> nodeNames;

        Rewrite(int max, Set<String> taken, Set<String> nodeNames) {
            this.max = max;
            this.taken = taken;
            this.nodeNames = nodeNames;
        }

        /**
         * Bounds the loops of {@code graph} and those nested in its {@code Loop} bodies and {@code If} branches.
         *
         * @param where how the user finds this graph, e.g. " in the body of Loop 'outer'" (empty for the main graph)
         * @return the counts of those loops, as values of {@code graph}
         */
        List<Count> graph(OnnxMl.GraphProto.Builder graph, String where) {
            List<OnnxMl.NodeProto> nodes = new ArrayList<>(graph.getNodeList());
            graph.clearNode();
            List<Count> counts = new ArrayList<>();
            for (OnnxMl.NodeProto node : nodes) {
                String label = node.getName().isEmpty() ? node.getOutputCount() > 0 ? node.getOutput(0) : "" : node.getName();
                if (node.getDomain().isEmpty() && node.getOpType().equals("Loop") && attribute(node, "body") >= 0
                        && node.getInputCount() >= 2) {
                    counts.addAll(loop(node, label, where, graph));
                } else if (node.getDomain().isEmpty() && node.getOpType().equals("If")) {
                    counts.addAll(branches(node, label, where, graph));
                } else {
                    graph.addNode(node);
                }
            }
            return counts;
        }

        private List<Count> loop(OnnxMl.NodeProto node, String label, String where, OnnxMl.GraphProto.Builder graph) {
            OnnxMl.NodeProto.Builder loop = node.toBuilder();
            int bodyIndex = attribute(node, "body");
            OnnxMl.GraphProto.Builder body = node.getAttribute(bodyIndex).getG().toBuilder();
            String name = "Loop '" + label + "'" + where;
            List<Count> inner = graph(body, " in the body of " + name);
            int carried = node.getInputCount() - 2;
            if (body.getInputCount() != carried + 2 || body.getOutputCount() < carried + 1) {
                // Not a Loop ONNX Runtime would run; its own error says why.
                graph.addNode(loop.setAttribute(bodyIndex, node.getAttribute(bodyIndex).toBuilder().setG(body)));
                return inner;
            }
            // The trip count: min(M, max + 1).
            String cap = constant(graph, label + "/max_iterations_cap", OnnxMl.TensorProto.DataType.INT64_VALUE, max + 1L);
            String tripCount = node.getInput(0);
            if (tripCount.isEmpty()) {
                loop.setInput(0, cap);
            } else {
                loop.setInput(0, select(graph, label + "/bounded_trip_count", "Less", tripCount, cap));
            }
            // The iteration counter: body returns i + 1; the loop's final value is how many iterations it ran.
            String iteration = body.getInput(0).getName();
            if (iteration.isEmpty()) {
                iteration = unique(label + "/iteration", taken);
                body.setInput(0, body.getInput(0).toBuilder().setName(iteration));
            }
            String one = constant(body, label + "/one", OnnxMl.TensorProto.DataType.INT64_VALUE, 1);
            String ran = unique(label + "/iterations_run", taken);
            body.addNode(OnnxMl.NodeProto.newBuilder().setName(unique(ran, nodeNames)).setOpType("Add")
                    .addInput(iteration).addInput(one).addOutput(ran));
            String zero = constant(graph, label + "/no_iterations", OnnxMl.TensorProto.DataType.INT64_VALUE, 0);
            List<String> bodyOut = new ArrayList<>(List.of(ran));
            List<Count> counts = new ArrayList<>(List.of(new Count(unique(label + "/iterations", taken), name)));
            loop.addInput(zero);
            body.addInput(int64Value(unique(label + "/iterations_before", taken)));
            // Each nested count: the largest any iteration saw, carried from one iteration to the next.
            for (Count c : inner) {
                String before = unique(c.value() + "/largest_before", taken);
                loop.addInput(zero);
                body.addInput(int64Value(before));
                bodyOut.add(select(body, c.value() + "/largest", "Greater", c.value(), before));
                counts.add(new Count(unique(c.value() + "/largest", taken), c.loop()));
            }
            // Carried values come before scan outputs, in the node's outputs and in the body's.
            List<String> outputs = new ArrayList<>(loop.getOutputList());
            while (outputs.size() < carried) {
                outputs.add("");
            }
            outputs.addAll(carried, counts.stream().map(Count::value).toList());
            List<OnnxMl.ValueInfoProto> returned = new ArrayList<>(body.getOutputList());
            returned.addAll(1 + carried, bodyOut.stream().map(LoopBound::int64Value).toList());
            loop.clearOutput().addAllOutput(outputs);
            body.clearOutput().addAllOutput(returned);
            graph.addNode(loop.setAttribute(bodyIndex, node.getAttribute(bodyIndex).toBuilder().setG(body)));
            return counts;
        }

        private List<Count> branches(OnnxMl.NodeProto node, String label, String where, OnnxMl.GraphProto.Builder graph) {
            int thenIndex = attribute(node, "then_branch");
            int elseIndex = attribute(node, "else_branch");
            if (thenIndex < 0 || elseIndex < 0) {
                graph.addNode(node);
                return List.of();
            }
            OnnxMl.GraphProto.Builder thenBranch = node.getAttribute(thenIndex).getG().toBuilder();
            OnnxMl.GraphProto.Builder elseBranch = node.getAttribute(elseIndex).getG().toBuilder();
            List<Count> thenCounts = graph(thenBranch, " in the then branch of If '" + label + "'" + where);
            List<Count> elseCounts = graph(elseBranch, " in the else branch of If '" + label + "'" + where);
            OnnxMl.NodeProto.Builder ifNode = node.toBuilder();
            while (ifNode.getOutputCount() < node.getAttribute(thenIndex).getG().getOutputCount()) {
                ifNode.addOutput("");
            }
            List<Count> counts = new ArrayList<>();
            for (Count c : thenCounts) {
                thenBranch.addOutput(int64Value(c.value()));
                elseBranch.addOutput(int64Value(constant(elseBranch, c.value() + "/not_run",
                        OnnxMl.TensorProto.DataType.INT64_VALUE, 0)));
                counts.add(new Count(unique(c.value() + "/branch", taken), c.loop()));
            }
            for (Count c : elseCounts) {
                thenBranch.addOutput(int64Value(constant(thenBranch, c.value() + "/not_run",
                        OnnxMl.TensorProto.DataType.INT64_VALUE, 0)));
                elseBranch.addOutput(int64Value(c.value()));
                counts.add(new Count(unique(c.value() + "/branch", taken), c.loop()));
            }
            counts.forEach(c -> ifNode.addOutput(c.value()));
            ifNode.setAttribute(thenIndex, node.getAttribute(thenIndex).toBuilder().setG(thenBranch));
            ifNode.setAttribute(elseIndex, node.getAttribute(elseIndex).toBuilder().setG(elseBranch));
            graph.addNode(ifNode);
            return counts;
        }

        /** {@code Where(op(a, b), a, b)}: the smaller of two int64 values with {@code Less}, the larger with {@code Greater}. */
        private String select(OnnxMl.GraphProto.Builder graph, String base, String op, String a, String b) {
            String test = unique(base + "/" + op.toLowerCase(java.util.Locale.ROOT), taken);
            graph.addNode(OnnxMl.NodeProto.newBuilder().setName(unique(test, nodeNames)).setOpType(op).addInput(a)
                    .addInput(b).addOutput(test));
            String chosen = unique(base, taken);
            graph.addNode(OnnxMl.NodeProto.newBuilder().setName(unique(chosen, nodeNames)).setOpType("Where")
                    .addInput(test).addInput(a).addInput(b).addOutput(chosen));
            return chosen;
        }

        private String constant(OnnxMl.GraphProto.Builder graph, String base, int dataType, long value) {
            String name = unique(base, taken);
            graph.addNode(OnnxMl.NodeProto.newBuilder().setName(unique(name, nodeNames)).setOpType("Constant")
                    .addOutput(name).addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value")
                            .setType(OnnxMl.AttributeProto.AttributeType.TENSOR)
                            .setT(OnnxMl.TensorProto.newBuilder().setDataType(dataType).addInt64Data(value))));
            return name;
        }
    }

    private static int attribute(OnnxMl.NodeProto node, String name) {
        for (int i = 0; i < node.getAttributeCount(); i++) {
            if (node.getAttribute(i).getName().equals(name) && node.getAttribute(i).hasG()) {
                return i;
            }
        }
        return -1;
    }

    /** An int64 value of no declared shape: ONNX Runtime infers it (a scalar, as the iteration number is). */
    private static OnnxMl.ValueInfoProto int64Value(String name) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.INT64_VALUE)))
                .build();
    }

    private static String unique(String base, Set<String> taken) {
        return LoopUnroller.unique(base, taken);
    }
}
