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
import org.tensorparity.backend.InlinedBranch;
import org.tensorparity.backend.InlinedModel;
import org.tensorparity.model.ModelFile;

/**
 * Copies the branch an ONNX {@code If} took into the main graph in the {@code If}'s place: ONNX Runtime exposes no
 * value computed inside a branch, and a branch inlined is a run of plain nodes whose every output can be captured.
 *
 * <p>The branch's nodes keep their names and their outputs' names, which the user finds in the model as exported;
 * a name that something else in the model already defines is suffixed with {@code __<If's name>} (and a counter if
 * that is taken too), in the branch's nodes and in the subgraphs nested in them. Outer-scope names the branch reads
 * resolve to the same tensors in the main graph, which holds them before the {@code If}. The {@code If}'s outputs
 * are kept, each an {@code Identity} of the branch output it returned, so the nodes after it are unchanged.
 */
final class IfInliner {
    private IfInliner() {
    }

    /**
     * @param conditions for each {@code If} node of the main graph to inline, by its first output's name, the value
     *     its condition had in the run; other nodes are kept as they are
     * @param depth how deep in the user's model those {@code If} nodes were nested (0: its main graph)
     */
    static InlinedModel inline(ModelFile file, Map<String, Boolean> conditions, int depth) throws ModelFailureException {
        OnnxMl.ModelProto proto = OnnxModelFile.parse(file);
        OnnxMl.GraphProto graph = proto.getGraph();
        OnnxMl.GraphProto.Builder out = graph.toBuilder().clearNode();
        List<InlinedBranch> inlined = new ArrayList<>();
        for (int index = 0; index < graph.getNodeCount(); index++) {
            OnnxMl.NodeProto node = graph.getNode(index);
            Boolean value = node.getOpType().equals("If") && node.getOutputCount() > 0
                    ? conditions.get(node.getOutput(0)) : null;
            if (value == null) {
                out.addNode(node);
                continue;
            }
            String branchName = value ? "then_branch" : "else_branch";
            OnnxMl.GraphProto branch = node.getAttributeList().stream().filter(a -> a.getName().equals(branchName))
                    .findFirst().map(OnnxMl.AttributeProto::getG).orElse(null);
            if (branch == null || branch.getOutputCount() != node.getOutputCount()) {
                out.addNode(node);
                continue;
            }
            // Names the rest of the model defines: what is written so far, the If without the branch, what follows.
            Set<String> values = new HashSet<>();
            Set<String> nodeNames = new HashSet<>();
            collectNames(out.build(), values, nodeNames);
            collectNode(node.toBuilder().clearAttribute().build(), values, nodeNames);
            for (OnnxMl.AttributeProto a : node.getAttributeList()) {
                if (a.hasG() && !a.getName().equals(branchName)) {
                    collectNames(a.getG(), values, nodeNames);
                }
            }
            for (int k = index + 1; k < graph.getNodeCount(); k++) {
                collectNode(graph.getNode(k), values, nodeNames);
            }
            String label = node.getName().isEmpty() ? node.getOutput(0) : node.getName();
            inlined.add(inlineBranch(node, label, depth, branchName, value, branch, out, values, nodeNames));
        }
        OnnxMl.ModelProto rewritten = proto.toBuilder().setGraph(out).build();
        return new InlinedModel(file.rewritten(OnnxModelFile.serialize(rewritten)), inlined);
    }

    /**
     * @param elsewhere every value name the rest of the model defines; the names given here are added
     * @param nodeNames every node name the rest of the model uses; the names given here are added
     */
    private static InlinedBranch inlineBranch(OnnxMl.NodeProto ifNode, String label, int depth, String branchName, boolean value,
            OnnxMl.GraphProto branch, OnnxMl.GraphProto.Builder out, Set<String> elsewhere, Set<String> nodeNames) {
        Set<String> defined = new LinkedHashSet<>();
        branch.getInitializerList().forEach(t -> defined.add(t.getName()));
        branch.getSparseInitializerList().forEach(t -> defined.add(t.getValues().getName()));
        for (OnnxMl.NodeProto n : branch.getNodeList()) {
            n.getOutputList().stream().filter(s -> !s.isEmpty()).forEach(defined::add);
        }
        Map<String, String> renamed = new HashMap<>();
        for (String name : defined) {
            if (elsewhere.contains(name)) {
                String fresh = unique(name + "__" + label, elsewhere, defined);
                renamed.put(name, fresh);
                elsewhere.add(fresh);
            }
        }
        for (OnnxMl.TensorProto t : branch.getInitializerList()) {
            out.addInitializer(t.toBuilder().setName(renamed.getOrDefault(t.getName(), t.getName())));
        }
        for (OnnxMl.SparseTensorProto t : branch.getSparseInitializerList()) {
            String name = t.getValues().getName();
            out.addSparseInitializer(t.toBuilder().setValues(t.getValues().toBuilder()
                    .setName(renamed.getOrDefault(name, name))));
        }
        for (OnnxMl.ValueInfoProto v : branch.getValueInfoList()) {
            out.addValueInfo(v.toBuilder().setName(renamed.getOrDefault(v.getName(), v.getName())));
        }
        Set<String> tensors = new LinkedHashSet<>();
        for (OnnxMl.NodeProto n : branch.getNodeList()) {
            OnnxMl.NodeProto.Builder copy = rename(n, renamed).toBuilder();
            if (!n.getName().isEmpty() && !nodeNames.add(n.getName())) {
                String fresh = unique(n.getName() + "__" + label, nodeNames, Set.of());
                nodeNames.add(fresh);
                copy.setName(fresh);
            }
            copy.getOutputList().stream().filter(s -> !s.isEmpty()).forEach(tensors::add);
            out.addNode(copy);
        }
        for (int i = 0; i < ifNode.getOutputCount(); i++) {
            String result = ifNode.getOutput(i);
            if (result.isEmpty()) {
                continue;
            }
            String returned = branch.getOutput(i).getName();
            String name = unique(label + "/" + branchName + "/output_" + i, nodeNames, Set.of());
            nodeNames.add(name);
            out.addNode(OnnxMl.NodeProto.newBuilder().setName(name).setOpType("Identity")
                    .addInput(renamed.getOrDefault(returned, returned)).addOutput(result));
        }
        return new InlinedBranch(label, ifNode.getOutputList().stream().filter(o -> !o.isEmpty()).toList(), depth, branchName, ifNode.getInput(0), value, branch.getNodeCount(), tensors);
    }

    /** {@code base}, or {@code base_2}, {@code base_3}... whichever neither set holds. */
    private static String unique(String base, Set<String> taken, Set<String> alsoTaken) {
        String name = base;
        for (int k = 2; taken.contains(name) || alsoTaken.contains(name); k++) {
            name = base + "_" + k;
        }
        return name;
    }

    /**
     * The node with {@code renamed} applied to what it reads and writes, and to what the subgraphs nested in it read
     * from outside them (a name a nested graph defines itself is its own, and is left alone there).
     */
    static OnnxMl.NodeProto rename(OnnxMl.NodeProto node, Map<String, String> renamed) {
        if (renamed.isEmpty()) {
            return node;
        }
        OnnxMl.NodeProto.Builder b = node.toBuilder().clearInput().clearOutput();
        node.getInputList().forEach(s -> b.addInput(renamed.getOrDefault(s, s)));
        node.getOutputList().forEach(s -> b.addOutput(renamed.getOrDefault(s, s)));
        for (int i = 0; i < b.getAttributeCount(); i++) {
            OnnxMl.AttributeProto a = b.getAttribute(i);
            if (a.hasG() || a.getGraphsCount() > 0) {
                OnnxMl.AttributeProto.Builder ab = a.toBuilder();
                if (a.hasG()) {
                    ab.setG(renameInside(a.getG(), renamed));
                }
                for (int k = 0; k < a.getGraphsCount(); k++) {
                    ab.setGraphs(k, renameInside(a.getGraphs(k), renamed));
                }
                b.setAttribute(i, ab);
            }
        }
        return b.build();
    }

    private static OnnxMl.GraphProto renameInside(OnnxMl.GraphProto graph, Map<String, String> renamed) {
        Set<String> own = new HashSet<>();
        graph.getInputList().forEach(v -> own.add(v.getName()));
        graph.getInitializerList().forEach(t -> own.add(t.getName()));
        graph.getNodeList().forEach(n -> own.addAll(n.getOutputList()));
        Map<String, String> outer = new HashMap<>(renamed);
        outer.keySet().removeAll(own);
        if (outer.isEmpty()) {
            return graph;
        }
        OnnxMl.GraphProto.Builder b = graph.toBuilder().clearNode().clearOutput();
        graph.getNodeList().forEach(n -> b.addNode(rename(n, outer)));
        // A subgraph may return an outer value as it is.
        graph.getOutputList().forEach(v -> b.addOutput(v.toBuilder().setName(outer.getOrDefault(v.getName(), v.getName()))));
        return b.build();
    }

    /** Every value and node name defined anywhere in {@code graph}, its nested subgraphs included. */
    static void collectNames(OnnxMl.GraphProto graph, Set<String> values, Set<String> nodes) {
        graph.getInputList().forEach(v -> values.add(v.getName()));
        graph.getOutputList().forEach(v -> values.add(v.getName()));
        graph.getInitializerList().forEach(t -> values.add(t.getName()));
        graph.getNodeList().forEach(n -> collectNode(n, values, nodes));
    }

    private static void collectNode(OnnxMl.NodeProto n, Set<String> values, Set<String> nodes) {
        n.getOutputList().stream().filter(s -> !s.isEmpty()).forEach(values::add);
        if (!n.getName().isEmpty()) {
            nodes.add(n.getName());
        }
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.hasG()) {
                collectNames(a.getG(), values, nodes);
            }
            a.getGraphsList().forEach(g -> collectNames(g, values, nodes));
        }
    }
}
