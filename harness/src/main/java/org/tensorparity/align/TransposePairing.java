package org.tensorparity.align;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Pairs TFLite transposes (the graph's followers): a TRANSPOSE of a paired tensor or of a model input carries its
 * source's value, so it is paired with its source's partner, as sure as its source's pair, and judged under its own
 * permutation.
 */
final class TransposePairing {
    private TransposePairing() {
    }

    /** The transposes paired, and those left unmatched because their source has no ONNX counterpart. */
    record Paired(List<FoundPair> pairs, List<UnmatchedTensor> stray) {
    }

    /**
     * @param found every pair found so far, mapping-file pairs included
     * @param boundInputs ONNX model input to its bound TFLite input
     * @param forcedTflite TFLite tensors a mapping file pairs, left as the file says
     */
    static Paired pair(GraphLayers onnx, GraphLayers tflite, List<FoundPair> found, Map<String, String> boundInputs,
            Set<String> forcedTflite) {
        Map<String, String> partnerOf = new HashMap<>();
        boundInputs.forEach((o, t) -> partnerOf.put(t, o));
        found.forEach(f -> partnerOf.put(f.tflite().name(), f.onnx().name()));
        Map<String, FoundPair> foundByTflite = new HashMap<>();
        found.forEach(f -> foundByTflite.put(f.tflite().name(), f));

        List<FoundPair> pairs = new ArrayList<>();
        List<UnmatchedTensor> stray = new ArrayList<>();
        for (LayerTensor f : tflite.followers()) {
            if (forcedTflite.contains(f.name())) {
                continue;
            }
            String source = tflite.followerSource(f.name());
            String partner = partnerOf.get(source);
            if (partner == null) {
                stray.add(new UnmatchedTensor("tflite", f.name(), f.opType(), UnmatchedReason.CONVERTER_INSERTED,
                        "transpose of '" + source + "', which has no ONNX counterpart"));
                continue;
            }
            LayerTensor onnxTensor = onnx.candidate(partner);
            LayerTensor partnerTensor = onnxTensor != null ? onnxTensor : onnx.input(partner);
            FoundPair sourcePair = foundByTflite.get(source);
            double confidence = sourcePair == null ? AlignmentWeights.GIVEN_CONFIDENCE : sourcePair.confidence();
            String why = "TRANSPOSE of '" + source + "', which " + (sourcePair == null ? "is bound to ONNX input '"
                    + partner + "'" : "pairs with '" + partner + "'");
            pairs.add(new FoundPair(partnerTensor, f, Double.NaN, confidence, List.of(why), "transpose"));
            partnerOf.put(f.name(), partner);
        }
        return new Paired(pairs, stray);
    }
}
