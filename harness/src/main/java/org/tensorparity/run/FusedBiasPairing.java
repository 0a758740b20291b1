package org.tensorparity.run;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.align.IsolationPlan;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.result.LayerResult;

/**
 * Whether a reproducer's two cuts can compute the same thing: not when the TFLite side adds a bias the ONNX side lacks,
 * the two paired one fused operator apart, and the ONNX cut cannot take in the Add of that bias ({@link TrailingBias}):
 * {@link ReproBundle} then writes no bundle.
 */
final class FusedBiasPairing {
    /**
     * TFLite operators that add their bias themselves, and the index of that bias among their inputs: the fully
     * connected layer only, where the pairing was seen one operator off (a convolution's bias is often a converter's
     * zeros, which a bias-free ONNX Conv matches).
     */
    private static final Map<String, Integer> BIASED = Map.of("FULLY_CONNECTED", 2);
    /**
     * Operators of either model that only re-lay their input out, and the ONNX activations a TFLite operator fuses: a
     * bias is looked for before them.
     */
    private static final Set<String> VIEWS = Set.of("Reshape", "Squeeze", "Unsqueeze", "Flatten", "Identity",
            "RESHAPE", "SQUEEZE", "EXPAND_DIMS", "Relu", "Clip", "Tanh");
    /** ONNX operators that can add a bias or an offset. */
    private static final Set<String> OFFSETTING = Set.of("Add", "Sub", "Sum", "Gemm", "Conv", "ConvTranspose",
            "BatchNormalization");

    private FusedBiasPairing() {
    }

    /**
     * Refuses a cut whose TFLite side adds a bias its ONNX side lacks, at the root (no ONNX operator of the cut can add
     * one, and the cut cannot take in the Add that does) or at a fed tensor (the ONNX tensor fed comes from an operator that adds none): alignment paired the two one
     * fused operator apart (an ONNX MatMul with a FULLY_CONNECTED that also adds the following Add's bias), so the cut
     * differs on the correct conversion too and shows nothing of the bug. {@code parity repro --against} found DTLN
     * model_2's dense-layer mutants bundled both ways, each failing against the unmutated model.
     *
     * @param bias the ONNX Add the cut takes in after the root, adding the bias the TFLite operator includes; or null
     */
    static void check(LayerResult root, IsolationPlan.Isolable plan, ReproBundle.Evidence evidence,
            TrailingBias.Taken bias) throws ReproBundle.Refusal {
        if (bias == null && rootLacksBias(root, plan, evidence)) {
            throw new ReproBundle.Refusal("TFLite '" + root.tflite() + "' adds a bias that the ONNX operators cut for it ("
                    + String.join(", ", plan.onnxOps()) + ") do not: the two are paired one fused operator apart, so a"
                    + " cut would differ on a correct conversion too");
        }
        for (IsolationPlan.Feed feed : plan.feeds()) {
            if (feedLacksBias(feed, evidence)) {
                GraphNode producer = producer(evidence.onnx().graph(), feed.onnx());
                throw new ReproBundle.Refusal("the cut is fed TFLite '" + feed.pair().tflite() + "', which includes a bias, for ONNX '"
                        + feed.onnx() + "' (" + producer.opType() + "), which does not: the two are paired one fused"
                        + " operator apart, so a cut would differ on a correct conversion too");
            }
        }
    }

    /**
     * Whether the TFLite value fed for {@code feed} includes a bias its ONNX tensor lacks: a FULLY_CONNECTED's output,
     * bias added, for a MatMul's.
     */
    static boolean feedLacksBias(IsolationPlan.Feed feed, ReproBundle.Evidence evidence) {
        if (feed.pair() == null || !addsBias(evidence.tflite().graph(), feed.pair().tflite())) {
            return false;
        }
        GraphNode producer = producer(evidence.onnx().graph(), feed.onnx());
        return producer != null && !OFFSETTING.contains(producer.opType());
    }

    /**
     * Whether the TFLite operator paired with the root adds a bias of its own that no ONNX operator of the cut adds:
     * the two were paired one fused operator apart.
     */
    static boolean rootLacksBias(LayerResult root, IsolationPlan.Isolable plan, ReproBundle.Evidence evidence) {
        List<GraphNode> onnxNodes = plan.nodes().stream().map(i -> evidence.onnx().graph().nodes().get(i)).toList();
        return addsBias(evidence.tflite().graph(), root.tflite())
                && onnxNodes.stream().noneMatch(n -> OFFSETTING.contains(n.opType()));
    }

    /** Whether {@code tensor} comes from a TFLite operator that adds a bias of its own. */
    private static boolean addsBias(ModelGraph graph, String tensor) {
        GraphNode p = producer(graph, tensor);
        Integer bias = p == null ? null : BIASED.get(p.opType());
        return bias != null && p.inputs().size() > bias;
    }

    /** The operator that computes {@code tensor}, looking through the ones that only re-lay it out. */
    private static GraphNode producer(ModelGraph graph, String tensor) {
        String t = tensor;
        for (int hop = 0; hop < 4; hop++) {
            String current = t;
            GraphNode p = graph.nodes().stream().filter(n -> n.outputs().contains(current)).findFirst().orElse(null);
            if (p == null || !VIEWS.contains(p.opType()) || p.inputs().isEmpty()) {
                return p;
            }
            t = p.inputs().get(0);
        }
        return null;
    }
}
