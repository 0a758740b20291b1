package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.UnrolledLoop;
import org.tensorparity.backend.UnrolledModel;
import org.tensorparity.model.ModelFile;
import org.tensorparity.tensor.Tensor;

/**
 * Unrolls the {@code Loop} and {@code Scan} nodes of a main graph, those an earlier unrolling copied there out of an
 * enclosing body included. Such a copy still holds its body under the names the enclosing body gave it, the same in
 * every copy; before it is unrolled, every name defined inside it gets the suffix of the enclosing iteration it was
 * copied for, so that iteration {@code j} of the copy made for iteration {@code k} names its values
 * {@code <name>@<k>@<j>}.
 */
final class NestedBodies {
    private NestedBodies() {
    }

    /**
     * @param values what the run computed and was fed, by name, from which iteration counts are read
     * @param maxNodes most body nodes, over all iterations, one node may put in the graph
     * @param enclosing the loops unrolled before, whose iterations hold the nested nodes
     */
    static UnrolledModel unroll(ModelFile file, Map<String, Tensor> values, int maxNodes, List<UnrolledLoop> enclosing)
            throws ModelFailureException {
        ModelFile named = enclosing.isEmpty() ? file : suffixed(file, enclosing);
        // A Scan a Loop's body held is copied out by the Loop's unrolling: it waits for the next round, when its body's
        // names have been given their iteration's suffix.
        Set<String> present = new HashSet<>();
        OnnxModelFile.parse(named).getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Scan"))
                .forEach(n -> present.add(n.getOutput(0)));
        UnrolledModel loops = LoopUnroller.unroll(named, values, maxNodes);
        UnrolledModel scans = present.isEmpty() ? new UnrolledModel(loops.file(), List.of(), List.of())
                : ScanUnroller.unroll(loops.file(), values, maxNodes, present);
        List<UnrolledLoop> unrolled = new ArrayList<>(loops.unrolled());
        unrolled.addAll(scans.unrolled());
        List<String> whole = new ArrayList<>(loops.notUnrolled());
        whole.addAll(scans.notUnrolled());
        return new UnrolledModel(unrolled.isEmpty() ? file : scans.file(), unrolled, whole);
    }

    private static ModelFile suffixed(ModelFile file, List<UnrolledLoop> enclosing) throws ModelFailureException {
        Map<String, String> suffixes = new HashMap<>();
        for (UnrolledLoop l : enclosing) {
            for (int k = 0; k < l.tensors().size(); k++) {
                for (String t : l.tensors().get(k)) {
                    suffixes.put(t, "@" + k);
                }
            }
        }
        OnnxMl.ModelProto proto = OnnxModelFile.parse(file);
        OnnxMl.GraphProto graph = proto.getGraph();
        Set<String> taken = new HashSet<>();
        Set<String> nodeNames = new HashSet<>();
        IfInliner.collectNames(graph, taken, nodeNames);
        OnnxMl.GraphProto.Builder out = graph.toBuilder().clearNode();
        boolean changed = false;
        for (OnnxMl.NodeProto node : graph.getNodeList()) {
            String suffix = node.getOutputList().stream().filter(o -> !o.isEmpty()).findFirst().map(suffixes::get)
                    .orElse(null);
            boolean nested = node.getAttributeList().stream().anyMatch(a -> a.hasG() || a.getGraphsCount() > 0);
            if (suffix == null || !nested || !(node.getOpType().equals("Loop") || node.getOpType().equals("Scan"))) {
                out.addNode(node);
                continue;
            }
            Map<String, String> renamed = new HashMap<>();
            OnnxMl.NodeProto.Builder b = node.toBuilder();
            for (OnnxMl.AttributeProto a : node.getAttributeList()) {
                if (a.hasG()) {
                    defined(a.getG(), suffix, taken, renamed);
                }
                a.getGraphsList().forEach(g -> defined(g, suffix, taken, renamed));
            }
            for (int i = 0; i < b.getAttributeCount(); i++) {
                OnnxMl.AttributeProto a = b.getAttribute(i);
                OnnxMl.AttributeProto.Builder ab = a.toBuilder();
                if (a.hasG()) {
                    ab.setG(rename(a.getG(), suffix, renamed, nodeNames));
                }
                for (int g = 0; g < a.getGraphsCount(); g++) {
                    ab.setGraphs(g, rename(a.getGraphs(g), suffix, renamed, nodeNames));
                }
                b.setAttribute(i, ab);
            }
            out.addNode(b);
            changed = true;
        }
        return changed ? file.rewritten(OnnxModelFile.serialize(proto.toBuilder().setGraph(out).build())) : file;
    }

    /** Maps every value name {@code graph} and its subgraphs define to a fresh one ending in {@code suffix}. */
    private static void defined(OnnxMl.GraphProto graph, String suffix, Set<String> taken, Map<String, String> renamed) {
        List<String> names = new ArrayList<>();
        graph.getInputList().forEach(v -> names.add(v.getName()));
        graph.getInitializerList().forEach(t -> names.add(t.getName()));
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            n.getOutputList().stream().filter(o -> !o.isEmpty()).forEach(names::add);
            for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                if (a.hasG()) {
                    defined(a.getG(), suffix, taken, renamed);
                }
                a.getGraphsList().forEach(g -> defined(g, suffix, taken, renamed));
            }
        }
        names.stream().filter(s -> !renamed.containsKey(s))
                .forEach(s -> renamed.put(s, LoopUnroller.unique(s + suffix, taken)));
    }

    private static OnnxMl.GraphProto rename(OnnxMl.GraphProto graph, String suffix, Map<String, String> renamed,
            Set<String> nodeNames) {
        OnnxMl.GraphProto.Builder b = graph.toBuilder().clearInput().clearOutput().clearInitializer().clearValueInfo()
                .clearNode();
        graph.getInputList().forEach(v -> b.addInput(v.toBuilder().setName(renamed.getOrDefault(v.getName(), v.getName()))));
        graph.getOutputList().forEach(v -> b.addOutput(v.toBuilder().setName(renamed.getOrDefault(v.getName(), v.getName()))));
        graph.getValueInfoList().forEach(v -> b.addValueInfo(v.toBuilder()
                .setName(renamed.getOrDefault(v.getName(), v.getName()))));
        graph.getInitializerList().forEach(t -> b.addInitializer(t.toBuilder()
                .setName(renamed.getOrDefault(t.getName(), t.getName()))));
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            OnnxMl.NodeProto.Builder nb = n.toBuilder().clearInput().clearOutput();
            n.getInputList().forEach(s -> nb.addInput(renamed.getOrDefault(s, s)));
            n.getOutputList().forEach(s -> nb.addOutput(renamed.getOrDefault(s, s)));
            if (!n.getName().isEmpty()) {
                nb.setName(LoopUnroller.unique(n.getName() + suffix, nodeNames));
            }
            for (int i = 0; i < nb.getAttributeCount(); i++) {
                OnnxMl.AttributeProto a = nb.getAttribute(i);
                if (a.hasG() || a.getGraphsCount() > 0) {
                    OnnxMl.AttributeProto.Builder ab = a.toBuilder();
                    if (a.hasG()) {
                        ab.setG(rename(a.getG(), suffix, renamed, nodeNames));
                    }
                    for (int g = 0; g < a.getGraphsCount(); g++) {
                        ab.setGraphs(g, rename(a.getGraphs(g), suffix, renamed, nodeNames));
                    }
                    nb.setAttribute(i, ab);
                }
            }
            b.addNode(nb);
        }
        return b.build();
    }
}
