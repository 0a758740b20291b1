package org.tensorparity.align;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.tensorparity.text.ShortNumber;

/**
 * Pairs the tensors whose values agree ({@link ValueAgreements}), closest first, each tensor at most once. Among
 * candidates about equally close (in one {@link ValueAgreements#bucket}), the one whose operator, name and inputs fit
 * best wins, by the tie-break weights of {@link AlignmentWeights}.
 */
final class ValuePairing {
    private ValuePairing() {
    }

    /** Takes agreeing pairs closest first; among near-equal ones, the structurally best. */
    static void pair(List<Agreement> agreements, List<LayerTensor> a, List<LayerTensor> b,
            GraphLayers onnx, GraphLayers tflite, PairScorer scorer, Matching m) {
        Set<Long> agreeing = new HashSet<>();
        agreements.forEach(g -> agreeing.add(key(g.i(), g.j())));
        Map<String, Integer> indexA = index(a);
        Map<String, Integer> indexB = index(b);
        Map<Agreement, Double> structure = new HashMap<>();
        for (Agreement g : agreements) {
            structure.put(g, tieBreak(g, a, b, onnx, tflite, scorer, agreeing, indexA, indexB, m.boundInputs));
        }
        List<Agreement> sorted = new ArrayList<>(agreements);
        sorted.sort(Comparator.comparingInt((Agreement g) -> ValueAgreements.bucket(g.distance()))
                .thenComparing(Comparator.comparingDouble((Agreement g) -> structure.get(g)).reversed())
                .thenComparingDouble(g -> g.distance())
                .thenComparingInt(g -> g.i())
                .thenComparingInt(g -> g.j()));
        Map<Integer, List<Agreement>> byOnnx = new HashMap<>();
        agreements.forEach(g -> byOnnx.computeIfAbsent(g.i(), k -> new ArrayList<>()).add(g));
        for (Agreement g : sorted) {
            if (m.partnerOfA[g.i()] >= 0 || m.partnerOfB[g.j()] >= 0) {
                continue;
            }
            LayerTensor x = a.get(g.i());
            LayerTensor y = b.get(g.j());
            List<String> evidence = new ArrayList<>();
            evidence.add(String.format(Locale.ROOT, "values agree under %s: relative RMS difference %s on %d"
                    + " sampled elements", g.layout(), ShortNumber.format(g.distance()),
                    Math.min(ValueSampler.SAMPLES, x.values().size())));
            evidence.add("shape " + x.shape() + " ~ " + y.shape());
            if (scorer.sameFamily(g.i(), g.j())) {
                evidence.add("operator " + x.groupOp() + (x.groupOp().equals(x.opType()) ? "" : "->...->"
                        + x.opType()) + " ~ " + y.opType());
            }
            if (scorer.sharesName(g.i(), g.j())) {
                evidence.add("names share a part");
            }
            double confidence = AlignmentWeights.VALUES_CONFIDENCE
                    + AlignmentWeights.CLOSE_VALUES_CONFIDENCE * (1 - g.distance() / ValueAgreements.agreement(y));
            long rivals = byOnnx.get(g.i()).stream().filter(o -> o.j() != g.j() && m.partnerOfB[o.j()] < 0
                    && ValueAgreements.bucket(o.distance()) == ValueAgreements.bucket(g.distance())).count();
            if (rivals > 0) {
                evidence.add(rivals + (rivals == 1 ? " other TFLite tensor holds" : " other TFLite tensors hold")
                        + " values as close; operator, name and inputs decided");
                confidence -= AlignmentWeights.RIVALS_DOUBT;
            }
            m.take(g.i(), g.j(), new FoundPair(x, y, g.distance(), confidence, evidence, "auto"));
        }
    }

    /**
     * How well a pair fits beyond its values: the same operator family, a shared name, inputs whose values
     * agree with each other, a fusion-chain end rather than its interior, close positions in execution order.
     */
    private static double tieBreak(Agreement g, List<LayerTensor> a, List<LayerTensor> b, GraphLayers onnx,
            GraphLayers tflite, PairScorer scorer, Set<Long> agreeing, Map<String, Integer> indexA,
            Map<String, Integer> indexB, Map<String, String> boundInputs) {
        LayerTensor x = a.get(g.i());
        LayerTensor y = b.get(g.j());
        double s = 0;
        if (scorer.sameFamily(g.i(), g.j())) {
            s += AlignmentWeights.OPERATOR;
        }
        if (scorer.sharesName(g.i(), g.j())) {
            s += AlignmentWeights.NAME;
        }
        if (inputsAgree(onnx.dataInputs(x.name()), tflite.dataInputs(y.name()), agreeing, indexA, indexB, boundInputs)) {
            s += AlignmentWeights.INPUTS_AGREE;
        }
        if (x.fusionInterior()) {
            s -= AlignmentWeights.FUSION_INTERIOR;
        }
        if (OpFamily.layoutOnly(x.opType()) != OpFamily.layoutOnly(y.opType())) {
            s -= AlignmentWeights.LAYOUT_ONLY_MISMATCH;
        }
        if (g.layout().isIdentity()) {
            s += AlignmentWeights.IDENTITY_LAYOUT;
        }
        double relativeOrderGap = Math.abs((double) x.order() / Math.max(1, a.size())
                - (double) y.order() / Math.max(1, b.size()));
        return s - AlignmentWeights.ORDER_GAP * relativeOrderGap;
    }

    private static boolean inputsAgree(List<String> onnxInputs, List<String> tfliteInputs, Set<Long> agreeing,
            Map<String, Integer> indexA, Map<String, Integer> indexB, Map<String, String> boundInputs) {
        for (String o : onnxInputs) {
            for (String t : tfliteInputs) {
                if (t.equals(boundInputs.get(o))) {
                    return true;
                }
                Integer i = indexA.get(o);
                Integer j = indexB.get(t);
                if (i != null && j != null && agreeing.contains(key(i, j))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Map<String, Integer> index(List<LayerTensor> tensors) {
        Map<String, Integer> out = new HashMap<>();
        for (int i = 0; i < tensors.size(); i++) {
            out.put(tensors.get(i).name(), i);
        }
        return out;
    }

    private static long key(int i, int j) {
        return ((long) i << 32) | (j & 0xffffffffL);
    }
}
