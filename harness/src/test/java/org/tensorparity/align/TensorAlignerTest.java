package org.tensorparity.align;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TensorAlignerTest {
    private final TensorAligner aligner = new TensorAligner();

    private Alignment align(SyntheticGraphs.Pair pair, Map<String, String> forced) {
        GraphLayers onnx = GraphLayers.of("onnx", pair.onnx().graph(), pair.onnx().captured(), pair.onnx().inputs());
        GraphLayers tflite = GraphLayers.of("tflite", pair.tflite().graph(), pair.tflite().captured(), pair.tflite().inputs());
        return aligner.align(onnx, tflite, pair.boundInputs(), List.of(), forced);
    }

    /** Aligned pairs found by the dynamic programme, ONNX to TFLite (transposes left out). */
    private static Map<String, String> pairs(Alignment a) {
        return a.pairs().stream().filter(p -> p.source().equals("auto"))
                .collect(Collectors.toMap(AlignedPair::onnx, AlignedPair::tflite));
    }

    @Test
    void eachFusedConvPairsWithTheEndOfItsOnnxChain() {
        SyntheticGraphs.Pair pair = SyntheticGraphs.chain(12, -1, 8, 1);
        Alignment a = align(pair, Map.of());
        Map<String, String> p = pairs(a);
        for (int k = 0; k < 12; k++) {
            assertEquals(pair.tfliteBlockOutputs().get(k), p.get(pair.onnxBlockOutputs().get(k)), "block " + k);
        }
        assertEquals(12, p.size(), () -> "extra pairs: " + p);
    }

    @Test
    void transposesCarryTheirSourcesPartner() {
        Alignment a = align(SyntheticGraphs.chain(4, -1, 8, 1), Map.of());
        Map<String, String> byTflite = a.pairs().stream().collect(Collectors.toMap(AlignedPair::tflite, AlignedPair::onnx));
        assertEquals("relu_3", byTflite.get("transpose_out"));
        assertEquals("input", byTflite.get("transpose_in"));
        AlignedPair out = a.pairs().stream().filter(p -> p.tflite().equals("transpose_out")).findFirst().orElseThrow();
        assertEquals("transpose", out.source());
        List<String> order = a.pairs().stream().map(AlignedPair::tflite).toList();
        assertEquals("transpose_in", order.get(0));
        assertEquals("transpose_out", order.get(order.size() - 1));
    }

    @Test
    void fusedAwayTensorsAreExplained() {
        Alignment a = align(SyntheticGraphs.chain(4, -1, 8, 1), Map.of());
        Map<String, UnmatchedReason> reasons = a.unmatched().stream()
                .collect(Collectors.toMap(UnmatchedTensor::name, UnmatchedTensor::reason));
        assertEquals(UnmatchedReason.FUSED_INTO_NEIGHBOUR, reasons.get("conv_2"));
        assertEquals(UnmatchedReason.FUSED_INTO_NEIGHBOUR, reasons.get("bn_2"));
        assertEquals(8, reasons.size(), () -> "unmatched: " + reasons);
        UnmatchedTensor bn = a.unmatched().stream().filter(u -> u.name().equals("bn_2")).findFirst().orElseThrow();
        assertEquals("folded into Relu 'relu_2'", bn.detail());
    }

    @Test
    void aBrokenLayerIsStillPairedWithItsCounterpart() {
        SyntheticGraphs.Pair pair = SyntheticGraphs.chain(10, 4, 8, 1);
        Map<String, String> p = pairs(align(pair, Map.of()));
        assertEquals(pair.tfliteBlockOutputs().get(4), p.get(pair.onnxBlockOutputs().get(4)));
        assertEquals(pair.tfliteBlockOutputs().get(5), p.get(pair.onnxBlockOutputs().get(5)));
    }

    @Test
    void alignmentIsDeterministic() {
        SyntheticGraphs.Pair pair = SyntheticGraphs.chain(30, 7, 8, 3);
        assertEquals(align(pair, Map.of()), align(pair, Map.of()));
    }

    @Test
    void differentNetworksLeaveMostLayersWithoutCounterpart() {
        SyntheticGraphs.Pair a = SyntheticGraphs.chain(10, -1, 8, 1);
        SyntheticGraphs.Pair b = SyntheticGraphs.chain(10, -1, 100, 2);
        GraphLayers onnx = GraphLayers.of("onnx", a.onnx().graph(), a.onnx().captured(), a.onnx().inputs());
        GraphLayers tflite = GraphLayers.of("tflite", b.tflite().graph(), b.tflite().captured(), b.tflite().inputs());
        Alignment al = aligner.align(onnx, tflite, List.of(), List.of(), Map.of());
        assertEquals(0, al.pairs().size(), () -> "pairs: " + al.pairs());
        assertTrue(al.unmatched().stream().anyMatch(u -> u.name().equals("transpose_out")
                && u.reason() == UnmatchedReason.CONVERTER_INSERTED));
        long noCounterpart = al.unmatched().stream().filter(u -> u.model().equals("onnx")
                && u.reason() == UnmatchedReason.NO_COUNTERPART).count();
        assertEquals(10, noCounterpart);
    }

    @Test
    void forcedPairsFromAMappingWin() {
        SyntheticGraphs.Pair pair = SyntheticGraphs.chain(4, -1, 8, 1);
        String tflite0 = pair.tfliteBlockOutputs().get(0);
        Alignment a = align(pair, Map.of("bn_0", tflite0));
        AlignedPair forced = a.pairs().stream().filter(p -> p.onnx().equals("bn_0")).findFirst().orElseThrow();
        assertEquals(tflite0, forced.tflite());
        assertEquals("mapping", forced.source());
        assertTrue(a.pairs().stream().noneMatch(p -> p.onnx().equals("relu_0")));
        List<String> order = a.pairs().stream().filter(p -> !p.source().equals("transpose")).map(AlignedPair::onnx).toList();
        assertEquals(List.of("bn_0", "relu_1", "relu_2", "relu_3"), order);
    }
}
