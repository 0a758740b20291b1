package org.tensorparity.align;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Aligns two graphs' activations. Pairs must keep both execution orders monotone (if ONNX tensor a
 * comes before b, a's partner comes before b's), so the best pairing is a weighted longest common
 * subsequence, solved by dynamic programming in O(N*M) with constant work per cell.
 *
 * <p>Pair score, all parts non-negative so any admissible pair beats leaving both unmatched:
 * <ul>
 *   <li>structure: same dimensions up to a permutation (1.0), or same rank and channel count with other
 *       spatial sizes (0.35, so that a converter that broke a shape still pairs its layer and the
 *       break is reported as a shape mismatch, not as a missing layer); anything else is not admissible;
 *   <li>operator family of the fusion chain's head ({@code Conv} for Conv->BN->Relu) equals the TFLite
 *       operator's (0.3);
 *   <li>name evidence, a normalized name or fused-name part in common (0.6);
 *   <li>value closeness of the layout-invariant fingerprints (up to 1.0), which separates the tensors
 *       of a fusion chain (a conv output from its BN and ReLU outputs);
 *   <li>a penalty (0.6) for ONNX tensors a converter normally fuses away; such a tensor is admissible
 *       only when its values really agree (a converter that did not fuse), otherwise the pairing would
 *       trade one true pair for two false ones.
 * </ul>
 * TFLite transposes of a paired tensor or of a model input ({@link GraphLayers#followers()}) are not
 * aligned themselves: they carry their source's value, so they are paired with their source's partner
 * and judged under their own permutation. A converter's broken transpose is caught exactly there.
 * The result depends only on the inputs: ties are broken by a fixed preference order.
 */
public final class TensorAligner {

    /**
     * @param onnx ONNX layers in execution order
     * @param tflite TFLite layers in execution order
     * @param boundInputs ONNX input name to the TFLite input it was bound to
     * @param forced pairs the user fixed in a mapping file; they are taken as given and not re-aligned
     */
    public Alignment align(GraphLayers onnx, GraphLayers tflite, Map<String, String> boundInputs,
            Map<String, String> forced) {
        List<LayerTensor> a = new ArrayList<>();
        List<LayerTensor> b = new ArrayList<>();
        Set<String> forcedTflite = new HashSet<>(forced.values());
        onnx.candidates().stream().filter(t -> !forced.containsKey(t.name())).forEach(a::add);
        tflite.candidates().stream().filter(t -> !forcedTflite.contains(t.name())).forEach(b::add);

        int n = a.size();
        int m = b.size();
        PairScorer scorer = new PairScorer(a, b);

        // dp[(i)*(m+1)+j]: best total score aligning the first i ONNX with the first j TFLite layers.
        double[] dp = new double[(n + 1) * (m + 1)];
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                double best = Math.max(dp[(i - 1) * (m + 1) + j], dp[i * (m + 1) + j - 1]);
                double s = scorer.score(i - 1, j - 1);
                if (s > 0) {
                    best = Math.max(best, dp[(i - 1) * (m + 1) + j - 1] + s);
                }
                dp[i * (m + 1) + j] = best;
            }
        }

        List<AlignedPair> pairs = new ArrayList<>();
        Set<String> pairedOnnx = new HashSet<>(forced.keySet());
        Set<String> pairedTflite = new HashSet<>(forcedTflite);
        int i = n;
        int j = m;
        while (i > 0 && j > 0) {
            double here = dp[i * (m + 1) + j];
            if (here == dp[(i - 1) * (m + 1) + j]) {
                i--;
            } else if (here == dp[i * (m + 1) + j - 1]) {
                j--;
            } else {
                LayerTensor x = a.get(i - 1);
                LayerTensor y = b.get(j - 1);
                pairs.add(pair(x, y, scorer, i - 1, j - 1));
                pairedOnnx.add(x.name());
                pairedTflite.add(y.name());
                i--;
                j--;
            }
        }
        for (Map.Entry<String, String> f : forced.entrySet()) {
            LayerTensor x = onnx.candidate(f.getKey());
            LayerTensor y = tflite.candidate(f.getValue());
            if (x != null && y != null) {
                pairs.add(new AlignedPair(x.name(), y.name(), x.opType(), y.opType(), x.shape(), y.shape(), 1.0,
                        List.of("named in the mapping file"), "mapping"));
            }
        }
        Map<String, String> partnerOf = new HashMap<>();
        boundInputs.forEach((o, t) -> partnerOf.put(t, o));
        pairs.forEach(p -> partnerOf.put(p.tflite(), p.onnx()));
        List<UnmatchedTensor> strayTransposes = new ArrayList<>();
        for (LayerTensor f : tflite.followers()) {
            if (forcedTflite.contains(f.name())) {
                continue;
            }
            String source = tflite.followerSource(f.name());
            String partner = partnerOf.get(source);
            if (partner == null) {
                strayTransposes.add(new UnmatchedTensor("tflite", f.name(), f.opType(), UnmatchedReason.CONVERTER_INSERTED,
                        "transpose of '" + source + "', which has no ONNX counterpart"));
                continue;
            }
            LayerTensor sourceTensor = tflite.candidate(source);
            LayerTensor onnxTensor = onnx.candidate(partner);
            pairs.add(new AlignedPair(partner, f.name(), onnxTensor == null ? "input" : onnxTensor.opType(), f.opType(),
                    onnxTensor == null ? f.shape() : onnxTensor.shape(), f.shape(), 0.95,
                    List.of("TRANSPOSE of '" + source + "', which " + (sourceTensor == null ? "is bound to ONNX input '"
                            + partner + "'" : "pairs with '" + partner + "'")), "transpose"));
            partnerOf.put(f.name(), partner);
        }
        pairs.sort(Comparator.comparingInt((AlignedPair p) -> order(onnx, p.onnx()))
                .thenComparingInt(p -> order(tflite, p.tflite())));
        List<LayerTensor> onnxOrder = onnx.candidates();

        List<UnmatchedTensor> unmatched = new ArrayList<>();
        for (LayerTensor t : onnxOrder) {
            if (!pairedOnnx.contains(t.name())) {
                unmatched.add(unmatchedOnnx(t, onnx));
            }
        }
        unmatched.addAll(onnx.excluded());
        for (LayerTensor t : tflite.candidates()) {
            if (!pairedTflite.contains(t.name())) {
                unmatched.add(unmatchedTflite(t));
            }
        }
        unmatched.addAll(strayTransposes);
        unmatched.addAll(tflite.excluded());
        return new Alignment(pairs, unmatched, onnx.candidates().size(), tflite.candidates().size());
    }

    /** Execution position; model inputs (not candidates) come first. */
    private static int order(GraphLayers layers, String name) {
        LayerTensor t = layers.candidate(name);
        return t == null ? -1 : t.order();
    }

    private static AlignedPair pair(LayerTensor x, LayerTensor y, PairScorer scorer, int i, int j) {
        boolean full = scorer.fullShape(i, j);
        List<String> evidence = new ArrayList<>();
        double confidence = 0;
        if (full) {
            evidence.add("shape " + x.shape() + " ~ " + y.shape() + (x.shape().equals(y.shape()) ? "" : " up to layout"));
            confidence += 0.4;
        } else {
            evidence.add("same channel count, other sizes: " + x.shape() + " vs " + y.shape());
            confidence += 0.1;
        }
        if (scorer.sameFamily(i, j)) {
            evidence.add("operator " + x.groupOp() + (x.groupOp().equals(x.opType()) ? "" : "->...->" + x.opType())
                    + " ~ " + y.opType());
            confidence += 0.15;
        }
        if (scorer.sharesName(i, j)) {
            evidence.add("names share a part");
            confidence += 0.15;
        }
        double closeness = scorer.closeness(i, j);
        evidence.add(String.format(Locale.ROOT, "value statistics %s (distance %.1e)",
                closeness > 0.9 ? "agree" : closeness > 0.5 ? "nearly agree" : "differ", x.fingerprint().distanceTo(y.fingerprint())));
        confidence += 0.3 * closeness;
        if (x.fusionInterior()) {
            confidence -= 0.2;
        }
        return new AlignedPair(x.name(), y.name(), x.opType(), y.opType(), x.shape(), y.shape(),
                Math.max(0, Math.min(1, confidence)), evidence, "auto");
    }

    private static UnmatchedTensor unmatchedOnnx(LayerTensor t, GraphLayers onnx) {
        if (t.fusionInterior()) {
            return new UnmatchedTensor("onnx", t.name(), t.opType(), UnmatchedReason.FUSED_INTO_NEIGHBOUR,
                    "folded into " + onnx.foldedInto(t.name()));
        }
        if (OpFamily.layoutOnly(t.opType())) {
            return new UnmatchedTensor("onnx", t.name(), t.opType(), UnmatchedReason.LAYOUT_ONLY,
                    t.opType() + " only rearranges values");
        }
        return new UnmatchedTensor("onnx", t.name(), t.opType(), UnmatchedReason.NO_COUNTERPART,
                "no TFLite tensor fits its shape " + t.shape() + " in execution order");
    }

    private static UnmatchedTensor unmatchedTflite(LayerTensor t) {
        if (OpFamily.converterAdded(t.opType())) {
            return new UnmatchedTensor("tflite", t.name(), t.opType(), UnmatchedReason.CONVERTER_INSERTED,
                    t.opType() + " added by the converter");
        }
        if (OpFamily.layoutOnly(t.opType())) {
            return new UnmatchedTensor("tflite", t.name(), t.opType(), UnmatchedReason.LAYOUT_ONLY,
                    t.opType() + " only rearranges values");
        }
        return new UnmatchedTensor("tflite", t.name(), t.opType(), UnmatchedReason.NO_COUNTERPART,
                "no ONNX tensor fits its shape " + t.shape() + " in execution order");
    }

}
