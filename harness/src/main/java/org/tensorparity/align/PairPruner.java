package org.tensorparity.align;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;

/**
 * Takes back structural pairs that the judgement shows to be wrong. A pair found by structure alone (its
 * values agree with nothing) fails; if every pair computed from its TFLite tensor passes, the error did not
 * go anywhere, so the two tensors never held the same value: the converter computes that step differently
 * (TFLite's RSQRT where ONNX has Sqrt then Div) and both are left unmatched, with that reason. A real
 * broken layer spreads its error to what is computed from it, or sits at an output, and stays paired; so does a
 * pair whose two operators are the same step (see {@link #sameStep}), whose error a saturating layer after it may
 * absorb.
 */
public final class PairPruner {
    private PairPruner() {
    }

    /**
     * @param alignment the alignment that was judged
     * @param failing the TFLite names of the pairs that failed
     * @param quantized the TFLite names of quantized tensors: integer rounding fails a pair of the same step on its own,
     *     so there a failure that goes nowhere disproves the pair as before
     * @param tfliteGraph the converted graph, to find what is computed from each tensor
     * @return the alignment without the disproved pairs, which are listed as unmatched
     */
    public static Alignment prune(Alignment alignment, Set<String> failing, Set<String> quantized, ModelGraph onnxGraph,
            ModelGraph tfliteGraph) {
        Map<String, GraphNode> onnxProducers = new HashMap<>();
        onnxGraph.nodes().forEach(n -> n.outputs().forEach(o -> onnxProducers.put(o, n)));
        Map<String, List<String>> consumersOut = new HashMap<>();
        for (GraphNode node : tfliteGraph.nodes()) {
            for (String in : node.inputs()) {
                consumersOut.computeIfAbsent(in, k -> new ArrayList<>()).addAll(node.outputs());
            }
        }
        Map<String, AlignedPair> byTflite = new HashMap<>();
        alignment.pairs().forEach(p -> byTflite.put(p.tflite(), p));
        Set<String> disprovedOnnx = new HashSet<>();
        Map<String, String> reasons = new HashMap<>();
        for (AlignedPair p : alignment.pairs()) {
            if (!p.source().equals("auto") || p.foundByValues() || !failing.contains(p.tflite())
                    || (!quantized.contains(p.tflite()) && sameStep(p, onnxProducers, onnxGraph.constants()))) {
                continue;
            }
            List<AlignedPair> downstream = nearestPairedDescendants(p, byTflite, consumersOut);
            if (!downstream.isEmpty() && downstream.stream().noneMatch(d -> failing.contains(d.tflite()))) {
                disprovedOnnx.add(p.onnx());
                reasons.put(p.onnx(), "its values differ from TFLite '" + p.tflite() + "', yet '"
                        + downstream.get(0).onnx() + "' computed from it agrees: the converter computes this step"
                        + " another way");
            }
        }
        if (disprovedOnnx.isEmpty()) {
            return alignment;
        }
        List<AlignedPair> kept = new ArrayList<>();
        List<UnmatchedTensor> unmatched = new ArrayList<>();
        for (AlignedPair p : alignment.pairs()) {
            if (!disprovedOnnx.contains(p.onnx())) {
                kept.add(p);
                continue;
            }
            String reason = reasons.get(p.onnx());
            if (reason != null) {
                unmatched.add(new UnmatchedTensor("onnx", p.onnx(), p.onnxOp(), UnmatchedReason.NO_COUNTERPART, reason));
            }
            unmatched.add(new UnmatchedTensor("tflite", p.tflite(), p.tfliteOp(), UnmatchedReason.CONVERTER_INSERTED,
                    "no ONNX tensor holds its values, and what is computed from it agrees: an intermediate of the"
                            + " converter's own"));
        }
        unmatched.addAll(alignment.unmatched());
        return new Alignment(kept, unmatched, alignment.onnxCandidates(), alignment.tfliteCandidates());
    }

    /**
     * Whether the TFLite operator is the one that computes the ONNX tensor: of the same family as its ONNX producer, or
     * as an operator further up that a converter folds the producers in between into (an Add of a bias after a
     * MatMul is one FULLY_CONNECTED). Such a pair is the same step; when it fails while what follows agrees (a
     * saturated sigmoid after a wrong bias), the layers after it absorbed the error, and it stays paired.
     */
    private static boolean sameStep(AlignedPair p, Map<String, GraphNode> producers, Set<String> constants) {
        GraphNode node = producers.get(p.onnx());
        for (int hops = 0; node != null && hops < 8; hops++) {
            if (OpFamily.compatible(node.opType(), p.tfliteOp())) {
                return true;
            }
            if (!OpFamily.foldsIntoProducer(node.opType())) {
                return false;
            }
            node = node.inputs().stream().filter(i -> !constants.contains(i)).findFirst().map(producers::get).orElse(null);
        }
        return false;
    }

    /** The first pairs met walking down from {@code p}'s TFLite tensor, ignoring pairs of the same ONNX tensor. */
    private static List<AlignedPair> nearestPairedDescendants(AlignedPair p, Map<String, AlignedPair> byTflite,
            Map<String, List<String>> consumersOut) {
        List<AlignedPair> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> frontier = new ArrayList<>(consumersOut.getOrDefault(p.tflite(), List.of()));
        while (!frontier.isEmpty()) {
            String t = frontier.remove(frontier.size() - 1);
            if (!seen.add(t)) {
                continue;
            }
            AlignedPair q = byTflite.get(t);
            if (q != null && !q.onnx().equals(p.onnx())) {
                out.add(q);
            } else {
                frontier.addAll(consumersOut.getOrDefault(t, List.of()));
            }
        }
        return out;
    }
}
