package org.tensorparity.align;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.tensor.TensorLayout;

/**
 * Aligns two graphs' activations, values first.
 *
 * <ol>
 *   <li><b>By values</b> ({@link ValueAgreements}, {@link ValuePairing}). Every ONNX activation is compared with
 *       every TFLite activation of the same element count under each layout that fits the two shapes ({@link
 *       TensorLayout#fitting}), on a fixed sample of elements ({@link ValueSampler}), and on every element where the
 *       sample cannot tell two candidates apart. A pair whose relative RMS difference is at most {@link
 *       ValueAgreements#AGREEMENT} holds the same values. Such pairs are taken best first, each tensor at most
 *       once; among equally close candidates the one whose operator, name and inputs fit best wins. This needs no
 *       converter name map and no common execution order, and it tells apart tensors that only their values
 *       distinguish (sibling slices, a conv output and its ReLU).
 *   <li><b>Part of a fusion chain</b> ({@link PartialFusions}). A TFLite tensor that holds the values of an ONNX
 *       tensor inside a fusion chain (a Conv's output before its Relu) pairs with the chain's end instead, when no
 *       TFLite tensor holds the end's values and none computed from it agrees again: a converted operator that lost
 *       the chain's tail (a fused ReLU dropped) is judged, and named, where it is.
 *   <li><b>Same values twice</b> ({@link DuplicateValues}). A tensor whose values agree with a tensor that is
 *       already paired (an ONNX Squeeze of a paired LSTM state, a TFLite PACK of one value) is left unmatched as a
 *       duplicate: comparing it would add nothing.
 *   <li><b>By structure, where no values agree</b> ({@link StructuralPairing}). A layer a converter broke holds
 *       values that agree with nothing. It is paired with a TFLite tensor that has no agreeing partner either,
 *       fits its shape (or, for a broken shape, its rank and channel count), and is computed from the partner of
 *       one of its own nearest paired ancestors; among those, the best by operator, name and value statistics
 *       ({@link PairScorer}). Such a pair is judged later and fails, which is how a broken layer is reported as
 *       diverged instead of unmatched. A fused-away ONNX tensor (a conv's output before its BatchNormalization)
 *       pairs this way only where the TFLite candidate is read by an operator of its consumer's family, that is
 *       where the converter did not fuse; elsewhere its fusion chain's end stands for it.
 *   <li><b>Transposes</b> ({@link TransposePairing}). A TFLite TRANSPOSE of a paired tensor or of a model input
 *       carries its source's value: it is paired with its source's partner and judged under its own permutation.
 *   <li><b>Layouts.</b> Each pair gets the layout the graphs explain ({@link LayoutExpectation}); the other
 *       fitting layouts are kept so that agreement only under one of them is reported as a layout anomaly.
 * </ol>
 * What each piece of evidence weighs, and how sure each kind of pair is, is in {@link AlignmentWeights}. The result
 * depends only on the inputs: every choice is broken by a fixed order.
 */
public final class TensorAligner {
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

        List<Agreement> agreements = ValueAgreements.of(a, b);
        boolean[] agreesA = new boolean[a.size()];
        boolean[] agreesB = new boolean[b.size()];
        for (Agreement g : agreements) {
            agreesA[g.i()] = true;
            agreesB[g.j()] = true;
        }
        PairScorer scorer = new PairScorer(a, b);
        ValuePairing.pair(agreements, a, b, onnx, tflite, scorer, m);
        PartialFusions.pair(a, agreements, onnx, tflite, m);
        Map<String, String> duplicates = DuplicateValues.of(agreements, a, b, m);
        StructuralPairing.pair(a, b, agreesA, agreesB, onnx, tflite, scorer, m);
        pairBoundOutputs(outputs, a, b, m);

        LayoutExpectation layouts = new LayoutExpectation(onnx, tflite, inputs, outputs);
        List<AlignedPair> pairs = new ArrayList<>();
        List<FoundPair> found = new ArrayList<>(m.found);
        for (Map.Entry<String, String> f : forced.entrySet()) {
            LayerTensor x = onnx.candidate(f.getKey());
            LayerTensor y = tflite.candidate(f.getValue());
            if (x != null && y != null) {
                found.add(new FoundPair(x, y, Double.NaN, AlignmentWeights.GIVEN_CONFIDENCE,
                        List.of("named in the mapping file"), "mapping"));
            }
        }
        found.sort(Comparator.comparingInt((FoundPair f) -> f.tflite().order()));
        TransposePairing.Paired transposes = TransposePairing.pair(onnx, tflite, found, boundInputs, forcedTflite);
        List<FoundPair> withFollowers = new ArrayList<>(found);
        withFollowers.addAll(transposes.pairs());
        withFollowers.sort(Comparator.comparingInt((FoundPair f) -> f.tflite().order()));
        for (FoundPair f : withFollowers) {
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
        unmatched.addAll(transposes.stray());
        unmatched.addAll(tflite.excluded());
        return new Alignment(pairs, unmatched, onnx.candidates().size(), tflite.candidates().size());
    }

    /**
     * Pairs each bound model output that neither values nor structure paired: the binding already says the two are
     * the same tensor, and a wrong output left out of the layers is one no layer, and no isolated run, can explain
     * (an ONNX matrix read transposed before DTLN's last activation left both its outputs unpaired).
     */
    private static void pairBoundOutputs(List<BoundTensor> outputs, List<LayerTensor> a, List<LayerTensor> b,
            Matching m) {
        for (BoundTensor bound : outputs) {
            if (m.pairedOnnx.contains(bound.onnx()) || m.pairedTflite.contains(bound.tflite())) {
                continue;
            }
            int i = indexOf(a, bound.onnx());
            int j = indexOf(b, bound.tflite());
            if (i >= 0 && j >= 0) {
                m.take(i, j, new FoundPair(a.get(i), b.get(j), Double.NaN, AlignmentWeights.GIVEN_CONFIDENCE,
                        List.of("bound as model outputs; their values do not agree"), "auto"));
            }
        }
    }

    private static int indexOf(List<LayerTensor> tensors, String name) {
        for (int k = 0; k < tensors.size(); k++) {
            if (tensors.get(k).name().equals(name)) {
                return k;
            }
        }
        return -1;
    }

    private static AlignedPair toPair(FoundPair f, LayoutExpectation layouts) {
        LayerTensor x = f.onnx();
        LayerTensor y = f.tflite();
        List<TensorLayout> fitting = TensorLayout.fitting(x.shape(), y.shape());
        List<String> evidence = new ArrayList<>(f.evidence());
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
                f.agreement(), Math.max(0, Math.min(1, f.confidence())), evidence, f.source());
    }

    /** Execution position; model inputs (not candidates) come first. */
    private static int order(GraphLayers layers, String name) {
        LayerTensor t = layers.candidate(name);
        return t == null ? -1 : t.order();
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
