package org.tensorparity.run;

import java.util.List;
import java.util.Set;
import org.tensorparity.align.IsolationPlan;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelCuts;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.compare.PairJudge;
import org.tensorparity.compare.ScaleRule;
import org.tensorparity.result.LayerResult;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/**
 * The TFLite operator that adds a reproducer root's offset, where alignment paired the root one operator short of it:
 * an ONNX BatchNormalization written as a TFLite MUL and then an ADD of the shift, with the root paired to the MUL.
 * Past the first divergence alignment pairs by structure alone, and the MUL and the ADD look alike to it; a cut ending
 * at the MUL lacks the shift the ONNX cut adds, so it fails on a correct conversion too. {@code parity repro
 * --against} found three GTCRN-Micro mutants bundled so (onnx2tf writes the BatchNormalization after each decoder
 * ConvTranspose as MUL then ADD), each cut failing on the unmutated model by 0.29 to 0.52 of scale. The cut then ends
 * at the ADD ({@link ReproBundle}): the mirror of {@link FusedBiasPairing}, where the TFLite side adds a bias the
 * ONNX side lacks and the cut is refused.
 */
final class TrailingOffset {
    /** TFLite operators that scale their input and add nothing: a BatchNormalization's first half. */
    private static final Set<String> SCALING = Set.of("MUL", "DIV");
    /** TFLite operators that can add a constant offset. */
    private static final Set<String> OFFSETTING = Set.of("ADD", "SUB");
    /** ONNX operators that put a constant offset on their input of their own, and may be paired with MUL and ADD. */
    private static final Set<String> BIASED = Set.of("Conv", "ConvTranspose", "Gemm");
    /** ONNX operators that can add a constant: one reading the root would be the TFLite ADD's counterpart. */
    private static final Set<String> ONNX_OFFSETTING = Set.of("Add", "Sub");
    /**
     * The rule the run's error at the ADD is measured under: any scale rule gives the same fraction of scale (its
     * tolerance decides only the verdict, which is not read).
     */
    private static final ScaleRule MEASURE = ScaleRule.of(0);

    /**
     * The TFLite operator the cut takes in after the root's, and the error the run measured there.
     *
     * @param tflite the tensor it computes, where the cut ends
     * @param op its operator ({@code ADD})
     * @param error the run's error between the root's ONNX tensor and {@code tflite}, as a fraction of scale: the
     *     root's inputs agree, so it is what the cut's operators add (the run isolated the root against the operator
     *     before)
     */
    record Taken(String tflite, String op, double error) {
    }

    private TrailingOffset() {
    }

    /**
     * The ADD or SUB of a constant that adds the offset the ONNX operator computing the root includes, when the TFLite
     * operator paired with the root only scales (MUL, DIV) and hands its result to that ADD alone, with the same
     * shape and no activation of the ADD's own; and no ONNX operator reading the root adds a constant itself (the ADD
     * would then be its). Null when the pairing already ends where the ONNX operator does.
     *
     * @param layout the layout the run compared the root in; the ADD's output, of the MUL's shape, has it too
     */
    static Taken of(LayerResult root, IsolationPlan.Isolable plan, ReproBundle.Evidence evidence,
            TensorLayout layout) {
        ModelGraph onnx = evidence.onnx().graph();
        GraphNode last = plan.nodes().stream().map(i -> onnx.nodes().get(i))
                .filter(n -> n.outputs().contains(root.onnx())).findFirst().orElse(null);
        if (layout == null || last == null || !addsOffset(last)) {
            return null;
        }
        ModelGraph tflite = evidence.tflite().graph();
        GraphNode producer = tflite.nodes().stream().filter(n -> n.outputs().contains(root.tflite())).findFirst()
                .orElse(null);
        List<GraphNode> readers = tflite.readersOf(root.tflite());
        if (producer == null || !SCALING.contains(producer.opType()) || readers.size() != 1) {
            return null;
        }
        GraphNode add = readers.get(0);
        if (!OFFSETTING.contains(add.opType()) || add.outputs().size() != 1 || !addsConstant(tflite, add, root.tflite())
                || !ModelCuts.tfliteAddsWithoutActivation(evidence.tfliteFile(), add.outputs().get(0))) {
            return null;
        }
        if (onnx.readersOf(root.onnx()).stream().anyMatch(n -> ONNX_OFFSETTING.contains(n.opType())
                && n.inputs().stream().anyMatch(onnx.constants()::contains))) {
            return null;
        }
        Tensor scaled = evidence.tflite().captured().get(root.tflite());
        Tensor offset = evidence.tflite().captured().get(add.outputs().get(0));
        Tensor reference = evidence.onnx().captured().get(root.onnx());
        if (scaled == null || offset == null || reference == null || !scaled.shape().equals(offset.shape())) {
            return null;
        }
        double error = PairJudge.compare(reference, offset.asReal(), layout, MEASURE).metrics().normalizedMaxError();
        return new Taken(add.outputs().get(0), add.opType(), error);
    }

    /** A BatchNormalization (its shift), or a convolution or Gemm with a bias input. */
    private static boolean addsOffset(GraphNode node) {
        return node.opType().equals("BatchNormalization") || (BIASED.contains(node.opType())
                && node.inputs().size() > 2 && !node.inputs().get(2).isEmpty());
    }

    /**
     * Whether {@code add} puts a constant on {@code tensor}: {@code tensor + c}, {@code c + tensor} or
     * {@code tensor - c}.
     */
    private static boolean addsConstant(ModelGraph graph, GraphNode add, String tensor) {
        List<String> in = add.inputs();
        if (in.size() != 2) {
            return false;
        }
        return (in.get(0).equals(tensor) && graph.constants().contains(in.get(1)))
                || (add.opType().equals("ADD") && in.get(1).equals(tensor) && graph.constants().contains(in.get(0)));
    }
}
