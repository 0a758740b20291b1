package org.tensorparity.align;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.TensorLayout;
import org.tensorparity.text.ShortNumber;

/**
 * Aligns two graphs' activations, values first.
 *
 * <ol>
 *   <li><b>By values.</b> Every ONNX activation is compared with every TFLite activation of the same element
 *       count under each layout that fits the two shapes ({@link TensorLayout#fitting}), on a fixed sample
 *       of elements ({@link ValueSampler}). A pair whose relative RMS difference is at most
 *       {@link #AGREEMENT} holds the same values. Such pairs are taken best first, each tensor at most once;
 *       among equally close candidates the one whose operator, name and inputs fit best wins. This needs no
 *       converter name map and no common execution order, and it tells apart tensors that only their
 *       values distinguish (sibling slices, a conv output and its ReLU).
 *   <li><b>Same values twice.</b> A tensor whose values agree with a tensor that is already paired (an
 *       ONNX Squeeze of a paired LSTM state, a TFLite PACK of one value) is left unmatched as a duplicate:
 *       comparing it would add nothing.
 *   <li><b>By structure, where no values agree.</b> A layer a converter broke holds values that agree with
 *       nothing. It is paired with a TFLite tensor that has no agreeing partner either, fits its shape (or,
 *       for a broken shape, its rank and channel count), and is computed from the partner of one of its
 *       own nearest paired ancestors; among those, the best by operator, name and value statistics
 *       ({@link PairScorer}). Such a pair is judged later and fails, which is how a broken layer is
 *       reported as diverged instead of unmatched. Fused-away ONNX tensors (a conv's output before its
 *       BatchNormalization) are considered only after the ends of their fusion chains.
 *   <li><b>Transposes.</b> A TFLite TRANSPOSE of a paired tensor or of a model input carries its source's
 *       value: it is paired with its source's partner and judged under its own permutation.
 *   <li><b>Layouts.</b> Each pair gets the layout the graphs explain ({@link LayoutExpectation}); the other
 *       fitting layouts are kept so that agreement only under one of them is reported as a layout anomaly.
 * </ol>
 * The result depends only on the inputs: every choice is broken by a fixed order.
 */
public final class TensorAligner {
    /**
     * Largest relative RMS difference at which two tensors count as holding the same values. Correct float32
     * conversions measure 1e-7 to 1e-4 on the real corpus, float16 weights about 1e-3, 8-bit quantized layers
     * 1e-2 to 1e-1; unrelated tensors of the same shape, and the right values in the wrong layout, measure
     * 0.5 to 1.4. Neighbouring pixels of a real image differ by about 0.1, which is why the closest
     * candidate wins and this bound only keeps unrelated tensors out.
     */
    static final double AGREEMENT = 0.25;
    /**
     * The bound for a quantized TFLite tensor: quantization error accumulates over an integer network, and a
     * badly calibrated int8 layer deep in it differs from its float original by 0.3 to 0.5 (GTCRN-Micro's
     * int8 conversions on real audio) while unrelated tensors stay at 0.8 and above.
     */
    static final double QUANTIZED_AGREEMENT = 0.6;

    /** The agreement bound for candidate {@code t}. */
    private static double agreement(LayerTensor t) {
        return t.values().quantization() != null ? QUANTIZED_AGREEMENT : AGREEMENT;
    }

    /** Two candidates this close in difference (ratio) count as equally close; the structure decides. */
    private static final double TIE_RATIO = 4.0;
    /**
     * A difference this small is float rounding whatever the best candidate's is: the same values computed
     * by another kernel (correct float32 layers measure up to about 1e-5 on the corpus).
     */
    private static final double SAME_VALUES = 1e-4;

    /**
     * @param onnx ONNX layers in execution order
     * @param tflite TFLite layers in execution order
     * @param inputs the model inputs binding paired, with their layouts
     * @param outputs the model outputs binding paired, with their layouts (anchors for layouts)
     * @param forced pairs the user fixed in a mapping file; they are taken as given and not re-aligned
     */
    public Alignment align(GraphLayers onnx, GraphLayers tflite, List<BoundTensor> inputs, List<BoundTensor> outputs,
            Map<String, String> forced) {
        Map<String, String> boundInputs = new LinkedHashMap<>();
        inputs.forEach(b -> boundInputs.put(b.onnx(), b.tflite()));
        Set<String> forcedTflite = new HashSet<>(forced.values());
        List<LayerTensor> a = onnx.candidates().stream().filter(t -> !forced.containsKey(t.name())).toList();
        List<LayerTensor> b = tflite.candidates().stream().filter(t -> !forcedTflite.contains(t.name())).toList();
        Matching m = new Matching(a, b, boundInputs, forced);

        List<Agreement> agreements = admissible(agreements(a, b), a.size(), b.size());
        boolean[] agreesA = new boolean[a.size()];
        boolean[] agreesB = new boolean[b.size()];
        for (Agreement g : agreements) {
            agreesA[g.i] = true;
            agreesB[g.j] = true;
        }
        PairScorer scorer = new PairScorer(a, b);
        takeAgreements(agreements, a, b, onnx, tflite, scorer, m);
        Map<String, String> duplicates = duplicates(agreements, a, b, m);
        pairByStructure(a, b, agreesA, agreesB, onnx, tflite, scorer, m);

        LayoutExpectation layouts = new LayoutExpectation(onnx, tflite, inputs, outputs);
        List<AlignedPair> pairs = new ArrayList<>();
        List<Found> found = new ArrayList<>(m.found);
        for (Map.Entry<String, String> f : forced.entrySet()) {
            LayerTensor x = onnx.candidate(f.getKey());
            LayerTensor y = tflite.candidate(f.getValue());
            if (x != null && y != null) {
                found.add(new Found(x, y, Double.NaN, AlignmentWeights.GIVEN_CONFIDENCE, List.of("named in the mapping file"),
                        "mapping"));
            }
        }
        found.sort(Comparator.comparingInt((Found f) -> f.tflite.order()));
        Map<String, String> partnerOf = new HashMap<>();
        boundInputs.forEach((o, t) -> partnerOf.put(t, o));
        found.forEach(f -> partnerOf.put(f.tflite.name(), f.onnx.name()));
        Map<String, Found> foundByTflite = new HashMap<>();
        found.forEach(f -> foundByTflite.put(f.tflite.name(), f));

        List<UnmatchedTensor> strayTransposes = new ArrayList<>();
        List<Found> withFollowers = new ArrayList<>(found);
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
            LayerTensor onnxTensor = onnx.candidate(partner);
            LayerTensor partnerTensor = onnxTensor != null ? onnxTensor : onnx.input(partner);
            Found sourcePair = foundByTflite.get(source);
            double confidence = sourcePair == null ? AlignmentWeights.GIVEN_CONFIDENCE : sourcePair.confidence;
            String why = "TRANSPOSE of '" + source + "', which " + (sourcePair == null ? "is bound to ONNX input '"
                    + partner + "'" : "pairs with '" + partner + "'");
            withFollowers.add(new Found(partnerTensor, f, Double.NaN, confidence, List.of(why), "transpose"));
            partnerOf.put(f.name(), partner);
        }
        withFollowers.sort(Comparator.comparingInt((Found f) -> f.tflite.order()));
        for (Found f : withFollowers) {
            pairs.add(toPair(f, layouts));
        }
        pairs.sort(Comparator.comparingInt((AlignedPair p) -> order(onnx, p.onnx()))
                .thenComparingInt(p -> order(tflite, p.tflite())));

        List<UnmatchedTensor> unmatched = new ArrayList<>();
        for (LayerTensor t : onnx.candidates()) {
            if (!m.pairedOnnx.contains(t.name()) && !forced.containsKey(t.name())) {
                unmatched.add(unmatchedOnnx(t, onnx, duplicates.get("onnx:" + t.name())));
            }
        }
        unmatched.addAll(onnx.excluded());
        for (LayerTensor t : tflite.candidates()) {
            if (!m.pairedTflite.contains(t.name()) && !forcedTflite.contains(t.name())) {
                unmatched.add(unmatchedTflite(t, duplicates.get("tflite:" + t.name())));
            }
        }
        unmatched.addAll(strayTransposes);
        unmatched.addAll(tflite.excluded());
        return new Alignment(pairs, unmatched, onnx.candidates().size(), tflite.candidates().size());
    }

    /** A pair as the matching phases found it, before its layout is decided. */
    private record Found(LayerTensor onnx, LayerTensor tflite, double agreement, double confidence,
            List<String> evidence, String source) {
    }

    /** Two tensors whose sampled values agree under {@code layout}. */
    private record Agreement(int i, int j, double distance, TensorLayout layout) {
        /** Written out rather than generated, as {@link AlignedPair#hashCode} says why; keys a map by itself too. */
        @Override
        public int hashCode() {
            return Objects.hash(i, j, distance, layout);
        }
    }

    /** The pairs chosen so far, and who is taken. */
    private static final class Matching {
        final List<LayerTensor> a;
        final List<LayerTensor> b;
        final int[] partnerOfA;
        final int[] partnerOfB;
        final Map<String, String> boundInputs;
        final Set<String> pairedOnnx = new HashSet<>();
        final Set<String> pairedTflite = new HashSet<>();
        final Map<String, String> onnxToTflite = new HashMap<>();
        final List<Found> found = new ArrayList<>();

        Matching(List<LayerTensor> a, List<LayerTensor> b, Map<String, String> boundInputs, Map<String, String> forced) {
            this.a = a;
            this.b = b;
            this.boundInputs = boundInputs;
            partnerOfA = new int[a.size()];
            partnerOfB = new int[b.size()];
            Arrays.fill(partnerOfA, -1);
            Arrays.fill(partnerOfB, -1);
            onnxToTflite.putAll(boundInputs);
            onnxToTflite.putAll(forced);
            pairedTflite.addAll(forced.values());
        }

        void take(int i, int j, Found f) {
            partnerOfA[i] = j;
            partnerOfB[j] = i;
            pairedOnnx.add(a.get(i).name());
            pairedTflite.add(b.get(j).name());
            onnxToTflite.put(a.get(i).name(), b.get(j).name());
            found.add(f);
        }

        /** The TFLite partner of an ONNX tensor (a paired activation or a bound input), or null. */
        String partner(String onnxName) {
            return onnxToTflite.get(onnxName);
        }
    }

    /** Every candidate pair whose values agree, with its best layout. */
    private static List<Agreement> agreements(List<LayerTensor> a, List<LayerTensor> b) {
        Map<Long, List<Integer>> bySize = new HashMap<>();
        for (int j = 0; j < b.size(); j++) {
            if (!b.get(j).constantValued()) {
                bySize.computeIfAbsent((long) b.get(j).values().size(), k -> new ArrayList<>()).add(j);
            }
        }
        Map<List<Shape>, List<TensorLayout>> layoutCache = new HashMap<>();
        Map<List<Object>, int[]> offsetCache = new HashMap<>();
        List<Agreement> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            LayerTensor x = a.get(i);
            List<Integer> same = bySize.get((long) x.values().size());
            if (same == null || x.constantValued()) {
                continue;
            }
            ValueSampler sampler = null;
            for (int j : same) {
                LayerTensor y = b.get(j);
                if (!similarSpread(x.fingerprint(), y.fingerprint())) {
                    continue;
                }
                List<TensorLayout> fitting = layoutCache.computeIfAbsent(List.of(x.shape(), y.shape()),
                        k -> TensorLayout.fitting(k.get(0), k.get(1)));
                if (sampler == null) {
                    sampler = new ValueSampler(x.values());
                    // Samples depend on the reference's shape only: offsets cached by shape serve this sampler.
                    offsetCache.keySet().removeIf(k -> !k.get(0).equals(x.shape()));
                }
                double best = Double.POSITIVE_INFINITY;
                TensorLayout bestLayout = null;
                for (TensorLayout l : fitting) {
                    ValueSampler s = sampler;
                    int[] offsets = offsetCache.computeIfAbsent(List.of(x.shape(), l), k -> s.offsets(x.shape(), l));
                    double d = sampler.distance(y.values().data(), offsets, 3 * agreement(y));
                    if (d < best) {
                        best = d;
                        bestLayout = l;
                    }
                }
                if (best <= agreement(y)) {
                    out.add(new Agreement(i, j, best, bestLayout));
                }
            }
        }
        return out;
    }

    /**
     * Keeps the agreements that are about as close as the best each of their two tensors has: a tensor
     * whose true partner is taken (an ONNX Squeeze of a paired LSTM state) must not fall back on the next
     * value that happens to agree loosely (that state's tanh, 0.24 apart).
     */
    private static List<Agreement> admissible(List<Agreement> agreements, int n, int m) {
        double[] bestA = new double[n];
        double[] bestB = new double[m];
        Arrays.fill(bestA, Double.POSITIVE_INFINITY);
        Arrays.fill(bestB, Double.POSITIVE_INFINITY);
        for (Agreement g : agreements) {
            bestA[g.i] = Math.min(bestA[g.i], g.distance);
            bestB[g.j] = Math.min(bestB[g.j], g.distance);
        }
        return agreements.stream().filter(g -> nearBest(g.distance, bestA[g.i]) && nearBest(g.distance, bestB[g.j]))
                .toList();
    }

    /** Within {@link #TIE_RATIO} of the best, or below {@link #SAME_VALUES}: what float rounding alone explains. */
    private static boolean nearBest(double distance, double best) {
        return distance <= TIE_RATIO * best + SAME_VALUES;
    }

    /**
     * A cheap test that two tensors could hold the same values, before any element is read: equal values
     * have equal means and spreads whatever their layout. Generous, so that noisy quantized values pass.
     */
    private static boolean similarSpread(TensorFingerprint x, TensorFingerprint y) {
        double spread = x.std() + y.std();
        return Math.abs(x.mean() - y.mean()) <= spread && Math.abs(x.std() - y.std()) <= 0.5 * spread;
    }

    /** Takes agreeing pairs closest first; among near-equal ones, the structurally best. */
    private static void takeAgreements(List<Agreement> agreements, List<LayerTensor> a, List<LayerTensor> b,
            GraphLayers onnx, GraphLayers tflite, PairScorer scorer, Matching m) {
        Set<Long> agreeing = new HashSet<>();
        agreements.forEach(g -> agreeing.add(key(g.i, g.j)));
        Map<String, Integer> indexA = index(a);
        Map<String, Integer> indexB = index(b);
        Map<Agreement, Double> structure = new HashMap<>();
        for (Agreement g : agreements) {
            structure.put(g, tieBreak(g, a, b, onnx, tflite, scorer, agreeing, indexA, indexB, m.boundInputs));
        }
        List<Agreement> sorted = new ArrayList<>(agreements);
        sorted.sort(Comparator.comparingInt((Agreement g) -> bucket(g.distance))
                .thenComparing(Comparator.comparingDouble((Agreement g) -> structure.get(g)).reversed())
                .thenComparingDouble(g -> g.distance)
                .thenComparingInt(g -> g.i)
                .thenComparingInt(g -> g.j));
        Map<Integer, List<Agreement>> byOnnx = new HashMap<>();
        agreements.forEach(g -> byOnnx.computeIfAbsent(g.i, k -> new ArrayList<>()).add(g));
        for (Agreement g : sorted) {
            if (m.partnerOfA[g.i] >= 0 || m.partnerOfB[g.j] >= 0) {
                continue;
            }
            LayerTensor x = a.get(g.i);
            LayerTensor y = b.get(g.j);
            List<String> evidence = new ArrayList<>();
            evidence.add(String.format(Locale.ROOT, "values agree under %s: relative RMS difference %s on %d"
                    + " sampled elements", g.layout, ShortNumber.format(g.distance), Math.min(ValueSampler.SAMPLES, x.values().size())));
            evidence.add("shape " + x.shape() + " ~ " + y.shape());
            if (scorer.sameFamily(g.i, g.j)) {
                evidence.add("operator " + x.groupOp() + (x.groupOp().equals(x.opType()) ? "" : "->...->"
                        + x.opType()) + " ~ " + y.opType());
            }
            if (scorer.sharesName(g.i, g.j)) {
                evidence.add("names share a part");
            }
            double confidence = AlignmentWeights.VALUES_CONFIDENCE
                    + AlignmentWeights.CLOSE_VALUES_CONFIDENCE * (1 - g.distance / agreement(y));
            long rivals = byOnnx.get(g.i).stream().filter(o -> o.j != g.j && m.partnerOfB[o.j] < 0
                    && bucket(o.distance) == bucket(g.distance)).count();
            if (rivals > 0) {
                evidence.add(rivals + (rivals == 1 ? " other TFLite tensor holds" : " other TFLite tensors hold")
                        + " values as close; operator, name and inputs decided");
                confidence -= AlignmentWeights.RIVALS_DOUBT;
            }
            m.take(g.i, g.j, new Found(x, y, g.distance, confidence, evidence, "auto"));
        }
    }

    /** Log-scale bucket of a difference: within a factor of {@link #TIE_RATIO}, candidates tie; below {@link #SAME_VALUES} all do. */
    private static int bucket(double distance) {
        return (int) Math.floor(Math.log(Math.max(distance, SAME_VALUES)) / Math.log(TIE_RATIO));
    }

    /**
     * How well a pair fits beyond its values: the same operator family, a shared name, inputs whose values
     * agree with each other, a fusion-chain end rather than its interior, close positions in execution order.
     */
    private static double tieBreak(Agreement g, List<LayerTensor> a, List<LayerTensor> b, GraphLayers onnx,
            GraphLayers tflite, PairScorer scorer, Set<Long> agreeing, Map<String, Integer> indexA,
            Map<String, Integer> indexB, Map<String, String> boundInputs) {
        LayerTensor x = a.get(g.i);
        LayerTensor y = b.get(g.j);
        double s = 0;
        if (scorer.sameFamily(g.i, g.j)) {
            s += AlignmentWeights.OPERATOR;
        }
        if (scorer.sharesName(g.i, g.j)) {
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
        if (g.layout.isIdentity()) {
            s += AlignmentWeights.IDENTITY_LAYOUT;
        }
        double relativeOrderGap = Math.abs((double) x.order() / Math.max(1, a.size()) - (double) y.order() / Math.max(1, b.size()));
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

    /**
     * Tensors left over whose values agree with a tensor that found a partner hold a duplicate value;
     * keyed {@code onnx:NAME} or {@code tflite:NAME}, with the reason in words.
     */
    private static Map<String, String> duplicates(List<Agreement> agreements, List<LayerTensor> a, List<LayerTensor> b,
            Matching m) {
        Map<String, String> out = new HashMap<>();
        for (Agreement g : agreements) {
            LayerTensor x = a.get(g.i);
            LayerTensor y = b.get(g.j);
            if (m.partnerOfA[g.i] < 0 && m.partnerOfB[g.j] >= 0) {
                out.putIfAbsent("onnx:" + x.name(), "holds the same values as ONNX '" + a.get(m.partnerOfB[g.j]).name()
                        + "', which pairs with '" + y.name() + "'");
            }
            if (m.partnerOfB[g.j] < 0 && m.partnerOfA[g.i] >= 0) {
                out.putIfAbsent("tflite:" + y.name(), "holds the same values as TFLite '" + b.get(m.partnerOfA[g.i]).name()
                        + "', which pairs with '" + x.name() + "'");
            }
        }
        return out;
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
    private static void pairByStructure(List<LayerTensor> a, List<LayerTensor> b, boolean[] agreesA, boolean[] agreesB,
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

    private static Found structural(LayerTensor x, LayerTensor y, int i, int j, PairScorer scorer, boolean direct) {
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
        return new Found(x, y, Double.NaN, confidence, evidence, "auto");
    }

    /**
     * The nearest ancestors of {@code tensor} that have a partner (or are model inputs with one), found by
     * walking up through producers that have none. {@code partner} maps a tensor to its partner or null.
     */
    private static Set<String> pairedAncestors(String tensor, GraphLayers graph,
            java.util.function.Function<String, String> partner) {
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

    private static AlignedPair toPair(Found f, LayoutExpectation layouts) {
        LayerTensor x = f.onnx;
        LayerTensor y = f.tflite;
        List<TensorLayout> fitting = TensorLayout.fitting(x.shape(), y.shape());
        List<String> evidence = new ArrayList<>(f.evidence);
        TensorLayout layout = null;
        List<TensorLayout> others = List.of();
        if (!fitting.isEmpty()) {
            LayoutExpectation.Expected e = layouts.decide(x.name(), y.name(), fitting);
            layout = e.layout();
            others = fitting.stream().filter(l -> !l.equals(e.layout())).toList();
            if (e.evidence() != null) {
                evidence.add(e.evidence());
            }
        }
        return new AlignedPair(x.name(), y.name(), x.opType(), y.opType(), x.shape(), y.shape(), layout, others,
                f.agreement, Math.max(0, Math.min(1, f.confidence)), evidence, f.source);
    }

    /** Execution position; model inputs (not candidates) come first. */
    private static int order(GraphLayers layers, String name) {
        LayerTensor t = layers.candidate(name);
        return t == null ? -1 : t.order();
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

    private static UnmatchedTensor unmatchedOnnx(LayerTensor t, GraphLayers onnx, String duplicate) {
        if (t.fusionInterior()) {
            return new UnmatchedTensor("onnx", t.name(), t.opType(), UnmatchedReason.FUSED_INTO_NEIGHBOUR,
                    "folded into " + onnx.foldedInto(t.name()));
        }
        if (duplicate != null) {
            return new UnmatchedTensor("onnx", t.name(), t.opType(),
                    OpFamily.layoutOnly(t.opType()) ? UnmatchedReason.LAYOUT_ONLY : UnmatchedReason.DUPLICATE_VALUES,
                    duplicate);
        }
        if (OpFamily.layoutOnly(t.opType())) {
            return new UnmatchedTensor("onnx", t.name(), t.opType(), UnmatchedReason.LAYOUT_ONLY,
                    t.opType() + " only rearranges values");
        }
        return new UnmatchedTensor("onnx", t.name(), t.opType(), UnmatchedReason.NO_COUNTERPART,
                "no TFLite tensor holds its values or fits its place in the graph (shape " + t.shape() + ")");
    }

    private static UnmatchedTensor unmatchedTflite(LayerTensor t, String duplicate) {
        if (duplicate != null) {
            return new UnmatchedTensor("tflite", t.name(), t.opType(),
                    OpFamily.layoutOnly(t.opType()) ? UnmatchedReason.LAYOUT_ONLY : UnmatchedReason.DUPLICATE_VALUES,
                    duplicate);
        }
        if (OpFamily.converterAdded(t.opType())) {
            return new UnmatchedTensor("tflite", t.name(), t.opType(), UnmatchedReason.CONVERTER_INSERTED,
                    t.opType() + " added by the converter");
        }
        if (OpFamily.layoutOnly(t.opType())) {
            return new UnmatchedTensor("tflite", t.name(), t.opType(), UnmatchedReason.LAYOUT_ONLY,
                    t.opType() + " only rearranges values");
        }
        return new UnmatchedTensor("tflite", t.name(), t.opType(), UnmatchedReason.CONVERTER_INSERTED,
                "no ONNX tensor holds its values: an intermediate of the converter's own (shape " + t.shape() + ")");
    }
}
