package org.tensorparity.align;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Pairs by structure what values cannot pair: a layer a converter broke holds values that agree with nothing, and so
 * does what is computed from it. Such a tensor is paired with a TFLite tensor that agrees with nothing either, fits
 * its shape (or, for a broken shape, its rank and channel count) and is computed from the partner of one of its own
 * nearest paired ancestors; among those, the best by {@link PairScorer}. The pair is judged later and fails, which is
 * how a broken layer is reported as diverged instead of unmatched.
 */
final class StructuralPairing {
    private StructuralPairing() {
    }

    /**
     * Pairs, by structure, the tensors whose values agree with nothing on the other side: the layers a
     * converter broke and what is computed from them, in ONNX execution order. A fused-away ONNX tensor (a
     * conv output whose only consumer is a foldable BatchNormalization or activation) is paired only where
     * the TFLite graph kept that consumer as an operator of its own; otherwise the end of its chain is.
     *
     * <p>A left-over tensor whose values only repeat its input's, because its constant Add, Sub, Mul or Div does
     * nothing on its side (a bias or offset the converter zeroed), is paired too, but only with the operator of the
     * same kind that reads its input's partner directly and agrees with nothing: the one that still applies the
     * constant on the other side.
     */
    static void pair(List<LayerTensor> a, List<LayerTensor> b, boolean[] agreesA, boolean[] agreesB,
            GraphLayers onnx, GraphLayers tflite, PairScorer scorer, Matching m) {
        for (int i = 0; i < a.size(); i++) {
            LayerTensor x = a.get(i);
            boolean repeatsInput = agreesA[i] && OpFamily.foldsIntoProducer(x.opType());
            if ((agreesA[i] && !repeatsInput) || m.partnerOfA[i] >= 0) {
                continue;
            }
            Set<String> anchors = new HashSet<>();
            for (String ancestor : pairedAncestors(x.name(), onnx, m::partner)) {
                anchors.add(m.partner(ancestor));
            }
            if (anchors.isEmpty()) {
                continue;
            }
            String folding = x.fusionInterior() ? onnx.foldingOp(x.name()) : null;
            int best = -1;
            double bestScore = 0;
            boolean bestDirect = false;
            for (int j = 0; j < b.size(); j++) {
                LayerTensor y = b.get(j);
                boolean repeatsOnTflite = agreesB[j] && !agreesA[i] && OpFamily.foldsIntoProducer(x.opType())
                        && OpFamily.compatible(x.opType(), y.opType());
                if ((agreesB[j] && !repeatsOnTflite) || m.partnerOfB[j] >= 0
                        || (repeatsInput && !OpFamily.compatible(x.opType(), y.opType()))) {
                    continue;
                }
                double s = scorer.score(i, j);
                if (s <= 0 || (folding != null && !keepsOperator(tflite, y.name(), folding))) {
                    continue;
                }
                Set<String> tAncestors = pairedAncestors(y.name(), tflite, t -> m.pairedTflite.contains(t)
                        || tflite.isModelInput(t) ? t : null);
                if (tAncestors.stream().noneMatch(anchors::contains)) {
                    continue;
                }
                boolean direct = tflite.dataInputs(y.name()).stream().anyMatch(anchors::contains);
                // Integer rounding makes near-copies everywhere in a quantized model: there, only values pair them.
                if ((repeatsInput || repeatsOnTflite) && (!direct || y.values().quantization() != null)) {
                    continue;
                }
                double ranked = s + (direct ? AlignmentWeights.DIRECT_INPUT : 0)
                        - AlignmentWeights.ORDER_DISTANCE * Math.abs(x.order() - y.order());
                if (best < 0 || ranked > bestScore) {
                    best = j;
                    bestScore = ranked;
                    bestDirect = direct;
                }
            }
            if (best >= 0) {
                m.take(i, best, structural(x, b.get(best), i, best, scorer, bestDirect));
            }
        }
    }

    /** True when a TFLite operator of {@code onnxOp}'s family reads {@code tensor}: the converter did not fuse it. */
    private static boolean keepsOperator(GraphLayers tflite, String tensor, String onnxOp) {
        return tflite.consumers(tensor).stream().anyMatch(n -> OpFamily.compatible(onnxOp, n.opType()));
    }

    /** The pair with its evidence, as sure as the structural cues it has make it ({@link AlignmentWeights}). */
    private static FoundPair structural(LayerTensor x, LayerTensor y, int i, int j, PairScorer scorer, boolean direct) {
        List<String> evidence = new ArrayList<>();
        evidence.add("no tensor of the other model holds its values; paired by structure");
        double confidence = AlignmentWeights.STRUCTURE_CONFIDENCE;
        if (scorer.fullShape(i, j)) {
            evidence.add("shape " + x.shape() + " ~ " + y.shape());
            confidence += AlignmentWeights.SHAPE_CONFIDENCE;
        } else {
            evidence.add("same channel count, other sizes: " + x.shape() + " vs " + y.shape());
        }
        if (direct) {
            evidence.add("computed directly from the partner of its input");
            confidence += AlignmentWeights.DIRECT_CONFIDENCE;
        } else {
            evidence.add("computed from the partner of one of its ancestors");
        }
        if (scorer.sameFamily(i, j)) {
            evidence.add("operator " + x.groupOp() + (x.groupOp().equals(x.opType()) ? "" : "->...->" + x.opType())
                    + " ~ " + y.opType());
            confidence += AlignmentWeights.OPERATOR_CONFIDENCE;
        }
        if (scorer.sharesName(i, j)) {
            evidence.add("names share a part");
            confidence += AlignmentWeights.NAME_CONFIDENCE;
        }
        return new FoundPair(x, y, Double.NaN, confidence, evidence, "auto");
    }

    /**
     * The nearest ancestors of {@code tensor} that have a partner (or are model inputs with one), found by
     * walking up through producers that have none. {@code partner} maps a tensor to its partner or null.
     */
    private static Set<String> pairedAncestors(String tensor, GraphLayers graph, Function<String, String> partner) {
        Set<String> found = new HashSet<>();
        Set<String> seen = new HashSet<>();
        List<String> frontier = new ArrayList<>(graph.dataInputs(tensor));
        while (!frontier.isEmpty()) {
            String t = frontier.remove(frontier.size() - 1);
            if (!seen.add(t)) {
                continue;
            }
            if (partner.apply(t) != null) {
                found.add(t);
            } else {
                frontier.addAll(graph.dataInputs(t));
            }
        }
        return found;
    }
}
