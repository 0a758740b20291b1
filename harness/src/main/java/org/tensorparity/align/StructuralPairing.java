package org.tensorparity.align;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.tensorparity.backend.GraphNode;

/**
 * Pairs by structure what values cannot pair: a layer a converter broke holds values that agree with nothing, and so
 * does what is computed from it. Such a tensor is paired with a TFLite tensor that agrees with nothing either, fits
 * its shape (or, for a broken shape, its rank and channel count) and is computed from the partner of one of its own
 * nearest paired ancestors; among those, the one that lines up best with it in the graph ({@link Ranked}: as many
 * convolutions past those partners, its shape, read by the same kind of operator), then the best by
 * {@link PairScorer}. The pair is judged later and fails, which is how a broken layer is reported as diverged
 * instead of unmatched.
 */
final class StructuralPairing {
    /** {@link #weightedSteps} of a tensor no accepted path leads to. */
    private static final int NO_PATH = Integer.MAX_VALUE;
    /** TFLite operators that crop a tensor: onnx2tf's crop of a TRANSPOSE_CONV to the ConvTranspose's padding. */
    private static final Set<String> CROPS = Set.of("STRIDED_SLICE", "SLICE");

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
            int steps = weightedSteps(x.name(), onnx, t -> m.partner(t) != null, t -> true, new HashMap<>());
            List<String> next = nextOperators(onnx, x.name());
            Map<String, Integer> tfliteSteps = new HashMap<>();
            Ranked best = null;
            for (int j = 0; j < b.size(); j++) {
                LayerTensor y = b.get(j);
                boolean repeatsOnTflite = agreesB[j] && !agreesA[i] && OpFamily.foldsIntoProducer(x.opType())
                        && OpFamily.compatible(x.opType(), y.opType());
                if ((agreesB[j] && !repeatsOnTflite) || m.partnerOfB[j] >= 0
                        || (repeatsInput && !OpFamily.compatible(x.opType(), y.opType()))) {
                    continue;
                }
                double s = scorer.score(i, j);
                if (s <= 0 || (folding != null && !keepsOperator(tflite, y.name(), folding)
                        && !(folding.equals("BatchNormalization")
                                && keptAsScaleAndShift(tflite, y.name(), x.opType(), anchors)))) {
                    continue;
                }
                // Reached from an anchor through tensors without partners, or not a candidate at all.
                int ySteps = weightedSteps(y.name(), tflite, anchors::contains, t -> !m.pairedTflite.contains(t),
                        tfliteSteps);
                if (ySteps == NO_PATH) {
                    continue;
                }
                boolean direct = readsDirectly(tflite, y.name(), anchors);
                // Integer rounding makes near-copies everywhere in a quantized model: there, only values pair them.
                if ((repeatsInput || repeatsOnTflite) && (!direct || y.values().quantization() != null)) {
                    continue;
                }
                double ranked = s + (direct ? AlignmentWeights.DIRECT_INPUT : 0)
                        - AlignmentWeights.ORDER_DISTANCE * Math.abs(x.order() - y.order());
                boolean inStep = ySteps == steps;
                // A fused-away tensor pairs only within its own layer: past it, the TFLite tensor read by an operator
                // of its consumer's kind is another layer's (silero-vad's encoder Conv, fused with its ReLU into a
                // CONV_2D, against the decoder's RELU some layers on), and the chain's end takes the fused operator.
                if (folding != null && !inStep) {
                    continue;
                }
                boolean fits = inStep && scorer.fullShape(i, j);
                int tier = !fits ? (inStep ? 1 : 0) : sameNext(next, nextOperators(tflite, y.name())) ? 3 : 2;
                best = new Ranked(j, tier, ranked, direct).over(best);
            }
            if (best != null) {
                m.take(i, best.index(), structural(x, b.get(best.index()), i, best.index(), scorer, best.direct()));
            }
        }
    }

    /**
     * A structural candidate: its index among the TFLite tensors, how closely it lines up with the ONNX tensor, its
     * score from {@link PairScorer} and the ranking bonuses, and whether it reads an anchor.
     *
     * <p>The tiers, each above the one before: reachable from an anchor (0); as many convolutions or matrix
     * products past the anchors as the ONNX tensor (1), so the same layer, as one more or fewer is another layer
     * however alike its shape and statistics; of the same layer, of the ONNX tensor's shape (2), where the others
     * are steps inside the layer (a transposed convolution before the crop of its padding), not a broken shape;
     * and of those, read by an operator of the family that reads the ONNX tensor (3): the layer's end as the ONNX
     * tensor is, not a step of the converter's decomposition of it (onnx2tf writes PRelu as RELU, ABS, SUB, MUL and
     * ADD).
     */
    private record Ranked(int index, int tier, double score, boolean direct) {
        /** This candidate, or {@code other} when that ranks higher. */
        Ranked over(Ranked other) {
            return other == null || tier > other.tier() || (tier == other.tier() && score > other.score())
                    ? this : other;
        }
    }

    /**
     * The operators that read {@code tensor}, looking through those that only move values or pad them, or that a
     * converter adds of its own (a PAD before a conv, which the ONNX model may write as a Pad of its own): their
     * types.
     */
    private static List<String> nextOperators(GraphLayers graph, String tensor) {
        List<String> found = new ArrayList<>();
        Deque<String> pending = new ArrayDeque<>(List.of(tensor));
        Set<String> seen = new HashSet<>();
        while (!pending.isEmpty()) {
            for (GraphNode n : graph.consumers(pending.pop())) {
                if (passesOn(n.opType())) {
                    n.outputs().stream().filter(seen::add).forEach(pending::push);
                } else {
                    found.add(n.opType());
                }
            }
        }
        return found;
    }

    /**
     * True for an operator that only moves or pads values, or that a converter adds of its own, in either model
     * (ONNX {@code Transpose} or {@code Pad}, TFLite {@code TRANSPOSE} or {@code PAD}): no step of the network.
     */
    private static boolean passesOn(String opType) {
        return OpFamily.layoutOnly(opType) || OpFamily.converterAdded(opType.toUpperCase(Locale.ROOT));
    }

    /** True when both tensors are read by operators of one family, or both by none (model outputs). */
    private static boolean sameNext(List<String> onnxNext, List<String> tfliteNext) {
        return onnxNext.isEmpty() ? tfliteNext.isEmpty()
                : onnxNext.stream().anyMatch(o -> tfliteNext.stream().anyMatch(t -> OpFamily.compatible(o, t)));
    }

    /**
     * The fewest weighted operators ({@link OpFamily#weighted}: convolutions and matrix products) on a path to
     * {@code tensor} from a tensor {@code from} accepts, {@code tensor}'s own operator included; {@link #NO_PATH}
     * when every path starts elsewhere (at a tensor {@code from} rejects that {@code through} rejects too, or that
     * nothing computes). {@code steps} holds the counts found so far for the same {@code from} and {@code through}.
     */
    private static int weightedSteps(String tensor, GraphLayers graph, Predicate<String> from,
            Predicate<String> through, Map<String, Integer> steps) {
        Deque<String> pending = new ArrayDeque<>(List.of(tensor));
        while (!pending.isEmpty()) {
            String t = pending.peek();
            if (steps.containsKey(t)) {
                pending.pop();
                continue;
            }
            List<String> inputs = graph.dataInputs(t);
            List<String> unknown = inputs.stream()
                    .filter(in -> !from.test(in) && through.test(in) && !steps.containsKey(in)).toList();
            if (!unknown.isEmpty()) {
                unknown.forEach(pending::push);
                continue;
            }
            pending.pop();
            int fewest = inputs.stream()
                    .mapToInt(in -> from.test(in) ? 0 : through.test(in) ? steps.get(in) : NO_PATH)
                    .min().orElse(NO_PATH);
            String op = graph.producerOp(t);
            steps.put(t, fewest == NO_PATH ? NO_PATH : fewest + (op != null && OpFamily.weighted(op) ? 1 : 0));
        }
        return steps.get(tensor);
    }

    /**
     * True when {@code tensor}'s operator reads one of {@code anchors}, directly or through operators that only move
     * values or that a converter adds of its own: onnx-tf puts a TRANSPOSE before every conv and a PAD before each
     * padded one, which the ONNX Conv does itself; neither is a step of the network.
     */
    private static boolean readsDirectly(GraphLayers tflite, String tensor, Set<String> anchors) {
        List<String> frontier = new ArrayList<>(tflite.dataInputs(tensor));
        Set<String> seen = new HashSet<>();
        while (!frontier.isEmpty()) {
            String t = frontier.remove(frontier.size() - 1);
            if (anchors.contains(t)) {
                return true;
            }
            String op = tflite.producerOp(t);
            if (seen.add(t) && op != null && passesOn(op)) {
                frontier.addAll(tflite.dataInputs(t));
            }
        }
        return false;
    }

    /** True when a TFLite operator of {@code onnxOp}'s family reads {@code tensor}: the converter did not fuse it. */
    private static boolean keepsOperator(GraphLayers tflite, String tensor, String onnxOp) {
        return tflite.consumers(tensor).stream().anyMatch(n -> OpFamily.compatible(onnxOp, n.opType()));
    }

    /**
     * True when {@code tensor} is what a TFLite operator of {@code onnxOp}'s family computes from one of
     * {@code anchors} (or a crop of it), read by a MUL by a constant whose output an ADD of a constant reads: the
     * BatchNormalization after that operator, kept as its scale and shift, since TFLite has none (onnx2tf after a
     * TRANSPOSE_CONV and its crop: GTCRN-Micro's decoder). A fold leaves no such trace. Both operands constant, as in
     * onnx2tf's PRelu (SUB, MUL by the slopes, ADD of the RELU) the ADD's other operand is computed; and the operator
     * itself found, as in an int8 model whose tensors pair sparsely another block's MUL and ADD are reachable too.
     */
    private static boolean keptAsScaleAndShift(GraphLayers tflite, String tensor, String onnxOp, Set<String> anchors) {
        boolean scaled = tflite.consumers(tensor).stream().anyMatch(mul -> mul.opType().equals("MUL")
                && mul.outputs().size() == 1 && tflite.dataInputs(mul.outputs().get(0)).size() == 1
                && tflite.consumers(mul.outputs().get(0)).stream().anyMatch(add -> add.opType().equals("ADD")
                        && add.outputs().size() == 1 && tflite.dataInputs(add.outputs().get(0)).size() == 1));
        if (!scaled) {
            return false;
        }
        String computed = tensor;
        String op = tflite.producerOp(computed);
        while (op != null && (passesOn(op) || CROPS.contains(op)) && tflite.dataInputs(computed).size() == 1) {
            computed = tflite.dataInputs(computed).get(0);
            op = tflite.producerOp(computed);
        }
        return op != null && OpFamily.compatible(onnxOp, op) && readsDirectly(tflite, computed, anchors);
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
