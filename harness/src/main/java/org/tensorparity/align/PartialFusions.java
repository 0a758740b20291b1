package org.tensorparity.align;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.text.ShortNumber;

/**
 * A converted operator that computes only part of an ONNX fusion chain. A CONV_2D whose fused ReLU a converter dropped
 * holds the values of the ONNX Conv's output, inside the chain Conv -> Relu, and no TFLite tensor holds the Relu's.
 * Paired by those values, the chain's end stays unmatched, and the error first shows at the next layer, which
 * isolation then names as its root cause. Such a TFLite tensor pairs with the chain's end instead: judged there, it
 * fails and names the operator that lost the chain's tail.
 *
 * <p>A converter may also apply the tail later, where it commutes (a ReLU fused into the MAX_POOL_2D or the
 * CONCATENATION after the convolution, or moved past a transpose): then an ONNX tensor computed from the chain's end
 * holds a TFLite tensor's values again, about as closely as the chain's inside does, within a few operators, and the
 * pair found by its values stays.
 */
final class PartialFusions {
    /**
     * How many operators below the chain's end a tensor that agrees again shows that the converter applied the tail
     * later: the consumer that fuses it, or that consumer behind a transpose and a reshape.
     */
    static final int TAIL_REACH = 4;
    /**
     * How much farther apart than the chain's inside a tensor below may be and still show the tail applied later, where
     * it commutes and adds no rounding. Below a dropped ReLU, a MAX_POOL_2D still agrees within {@link
     * ValueAgreements#AGREEMENT} where few pooling windows are all negative (the float64 EMG CNN's: 37 of 640 elements
     * differ, 0.055 apart against its conv's 1e-7), and so does a concatenation of which it is a small part
     * (basic-pitch: 7.6e-4).
     */
    static final double REAGREEMENT = 10;
    /** The least difference {@link #REAGREEMENT} scales: correct float32 layers measure up to 1e-5 on the corpus. */
    static final double FLOAT_ROUNDING = 1e-5;
    /** The longest fusion chain followed: isolation's fused chains hold at most 8 operators too. */
    private static final int MAX_CHAIN = 8;

    private PartialFusions() {
    }

    /** Moves each pair whose ONNX tensor lies inside a fusion chain, as above, to the chain's end. */
    static void pair(List<LayerTensor> a, List<Agreement> agreements, GraphLayers onnx, GraphLayers tflite,
            Matching m) {
        Map<String, Integer> indexA = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            indexA.put(a.get(i).name(), i);
        }
        double[] closest = new double[a.size()];
        Arrays.fill(closest, Double.POSITIVE_INFINITY);
        agreements.forEach(g -> closest[g.i()] = Math.min(closest[g.i()], g.distance()));
        for (FoundPair f : List.copyOf(m.found)) {
            LayerTensor x = f.onnx();
            LayerTensor y = f.tflite();
            Integer i = indexA.get(x.name());
            if (i == null || !x.fusionInterior() || OpFamily.layoutOnly(y.opType())
                    || !(OpFamily.compatible(x.opType(), y.opType()) || OpFamily.compatible(x.groupOp(), y.opType()))) {
                continue;
            }
            List<LayerTensor> tail = tail(i, a, indexA, onnx, m);
            if (tail.isEmpty()) {
                continue;
            }
            LayerTensor r = tail.get(tail.size() - 1);
            int end = indexA.get(r.name());
            double reagreement = REAGREEMENT * Math.max(f.agreement(), FLOAT_ROUNDING);
            if (closest[end] < Double.POSITIVE_INFINITY || keptOnTflite(tail, y, tflite)
                    || agreesBelow(r.name(), indexA, closest, reagreement, onnx)) {
                continue;
            }
            List<String> evidence = new ArrayList<>();
            evidence.add("holds the values of ONNX '" + x.name() + "' (relative RMS difference "
                    + ShortNumber.format(f.agreement()) + "), inside the fusion chain " + r.groupOp() + "->...->"
                    + r.opType() + " that ends here, and nothing computed from here agrees again within " + TAIL_REACH
                    + " operators: the converted operator computes only part of the chain");
            evidence.add("shape " + r.shape() + " ~ " + y.shape());
            m.move(i, end, new FoundPair(r, y, Double.NaN, f.confidence(), evidence, "auto"));
        }
    }

    /**
     * The tensors after {@code i} on its fusion chain, its end last (at most {@link #MAX_CHAIN}), when none of them is
     * paired; empty otherwise.
     */
    private static List<LayerTensor> tail(int i, List<LayerTensor> a, Map<String, Integer> indexA, GraphLayers onnx,
            Matching m) {
        List<LayerTensor> tail = new ArrayList<>();
        int k = i;
        while (a.get(k).fusionInterior() && tail.size() < MAX_CHAIN) {
            List<GraphNode> consumers = onnx.consumers(a.get(k).name());
            if (consumers.size() != 1 || consumers.get(0).outputs().isEmpty()) {
                return List.of();
            }
            Integer next = indexA.get(consumers.get(0).outputs().get(0));
            if (next == null || m.partnerOfA[next] >= 0) {
                return List.of();
            }
            k = next;
            tail.add(a.get(k));
        }
        return a.get(k).fusionInterior() ? List.of() : tail;
    }

    /**
     * Whether the TFLite tensor is read, directly or behind operators that only move values, by an operator of the kind
     * of one on the chain's tail: the converter kept that step as its own (DTLN's layer normalization: a MUL, then
     * an ADD of its shift, where a mutant zeroed the shift), and structural pairing gives the chain's end to it.
     */
    private static boolean keptOnTflite(List<LayerTensor> tail, LayerTensor y, GraphLayers tflite) {
        List<String> frontier = List.of(y.name());
        for (int depth = 0; depth < TAIL_REACH && !frontier.isEmpty(); depth++) {
            List<String> next = new ArrayList<>();
            for (String read : frontier) {
                for (GraphNode node : tflite.consumers(read)) {
                    if (tail.stream().anyMatch(t -> OpFamily.compatible(t.opType(), node.opType()))) {
                        return true;
                    }
                    if (OpFamily.layoutOnly(node.opType())) {
                        next.addAll(node.outputs());
                    }
                }
            }
            frontier = next;
        }
        return false;
    }

    /**
     * Whether an ONNX tensor computed from {@code end} within {@link #TAIL_REACH} operators holds a TFLite tensor's
     * values at most {@code reagreement} apart.
     */
    private static boolean agreesBelow(String end, Map<String, Integer> indexA, double[] closest, double reagreement,
            GraphLayers onnx) {
        Set<String> seen = new HashSet<>();
        List<String> frontier = List.of(end);
        for (int depth = 0; depth < TAIL_REACH && !frontier.isEmpty(); depth++) {
            List<String> next = new ArrayList<>();
            for (String t : frontier) {
                for (GraphNode node : onnx.consumers(t)) {
                    for (String out : node.outputs()) {
                        if (!seen.add(out)) {
                            continue;
                        }
                        Integer k = indexA.get(out);
                        if (k != null && closest[k] <= reagreement) {
                            return true;
                        }
                        next.add(out);
                    }
                }
            }
            frontier = next;
        }
        return false;
    }
}
