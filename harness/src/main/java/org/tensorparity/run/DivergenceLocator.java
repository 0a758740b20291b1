package org.tensorparity.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.compare.Verdict;
import org.tensorparity.report.LayerResult;

/**
 * Finds where the models part: the failing pairs none of whose upstream pairs fail. "Upstream" is read
 * in the converted graph, where the damage happens: a failure taints every TFLite tensor computed from it,
 * so a failing pair whose TFLite tensor is computed only from untainted tensors is a root. Parallel
 * branches can have several roots; the earliest in layer order is the first divergence.
 */
final class DivergenceLocator {
    private DivergenceLocator() {
    }

    /** Indices into {@code layers} of the root divergences, earliest first. */
    static List<Integer> roots(List<LayerResult> layers, ModelGraph tfliteGraph) {
        Set<String> failing = new HashSet<>();
        for (LayerResult l : layers) {
            if (l.verdict() == Verdict.FAIL) {
                failing.add(l.tflite());
            }
        }
        Set<String> rootTensors = new HashSet<>();
        Set<String> tainted = new HashSet<>();
        for (GraphNode node : tfliteGraph.nodes()) {
            boolean taintedInput = node.inputs().stream().anyMatch(tainted::contains);
            for (String out : node.outputs()) {
                if (failing.contains(out) && !taintedInput) {
                    rootTensors.add(out);
                }
                if (taintedInput || failing.contains(out)) {
                    tainted.add(out);
                }
            }
        }
        List<Integer> roots = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerResult l = layers.get(i);
            if (l.verdict() == Verdict.FAIL && rootTensors.contains(l.tflite())) {
                roots.add(i);
            }
        }
        return roots;
    }
}
