package org.tensorparity.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorparity.align.IsolationPlan;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.compare.PairJudge;
import org.tensorparity.compare.ScaleRule;
import org.tensorparity.result.LayerResult;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/**
 * The ONNX operator that adds a reproducer root's bias, where alignment paired the root one operator short of it: an
 * ONNX MatMul paired with a TFLite FULLY_CONNECTED that also adds the following Add's bias. A cut ending at the MatMul
 * lacks the bias the TFLite cut adds, so it would fail on a correct conversion too; the ONNX cut then ends at the Add
 * ({@link ReproBundle}). The mirror of {@link TrailingOffset}, which takes in the TFLite operator adding what the ONNX
 * side includes. {@code parity repro} refused six such roots among the float32 mutants of DTLN model_2 and the EMG CNN
 * before ({@link FusedBiasPairing} refuses the ones this cannot mend).
 */
final class TrailingBias {
    /** ONNX operators that only re-lay their input out, looked through between the root and its bias. */
    private static final Set<String> VIEWS = Set.of("Reshape", "Squeeze", "Unsqueeze", "Flatten", "Identity");
    /** How many views are looked through: Tensordot's one Reshape, and room for a Squeeze. */
    private static final int MAX_VIEWS = 2;
    /** ONNX operators that add a constant bias to what they read. */
    private static final List<String> ADDING = List.of("Add");
    /**
     * The rule the run's error at the Add is measured under: any scale rule gives the same fraction of scale (its
     * tolerance decides only the verdict, which is not read).
     */
    private static final ScaleRule MEASURE = ScaleRule.of(0);

    /**
     * The ONNX operator the cut takes in after the root's, and the error the run measured there.
     *
     * @param nodes the operators taken in, by index in the run's ONNX graph: the views between the root and the Add,
     *     then the Add
     * @param onnx the tensor it computes, where the ONNX cut ends
     * @param op its operator ({@code Add})
     * @param error the run's error between {@code onnx} and the root's TFLite tensor, as a fraction of scale: the
     *     root's inputs agree, so it is what the cut's operators add
     */
    record Taken(List<Integer> nodes, String onnx, String op, double error) {
        Taken {
            nodes = List.copyOf(nodes);
        }
    }

    private TrailingBias() {
    }

    /**
     * The Add of a constant that is the only reader of the root's ONNX tensor, or of views of it that are each the only
     * reader of what they read, when the TFLite operator paired with the root adds a bias the ONNX operators of the
     * cut lack ({@link FusedBiasPairing#rootLacksBias}) and the Add keeps the root's element count (in its shape, or,
     * where the root is compared in the identity layout, with unit axes added). Null otherwise.
     *
     * @param layout the layout the run compared the root in
     */
    static Taken of(LayerResult root, IsolationPlan.Isolable plan, ReproBundle.Evidence evidence,
            TensorLayout layout) {
        if (layout == null || !FusedBiasPairing.rootLacksBias(root, plan, evidence)) {
            return null;
        }
        ModelGraph onnx = evidence.onnx().graph();
        List<Integer> nodes = new ArrayList<>();
        String tensor = root.onnx();
        GraphNode reader = soleReader(onnx, tensor);
        // tf2onnx writes a Keras Dense on a sequence as Tensordot: MatMul, a Reshape back to the sequence's rank, Add.
        for (int hop = 0; hop < MAX_VIEWS && reader != null && VIEWS.contains(reader.opType()); hop++) {
            nodes.add(reader.index());
            tensor = reader.outputs().get(0);
            reader = soleReader(onnx, tensor);
        }
        String biasedInput = tensor;
        if (reader == null || !ADDING.contains(reader.opType()) || reader.inputs().size() != 2
                || reader.outputs().size() != 1 || reader.inputs().stream().filter(i -> !i.equals(biasedInput))
                        .noneMatch(onnx.constants()::contains)) {
            return null;
        }
        nodes.add(reader.index());
        Tensor biased = evidence.onnx().captured().get(reader.outputs().get(0));
        Tensor reference = evidence.onnx().captured().get(root.onnx());
        Tensor candidate = evidence.tflite().captured().get(root.tflite());
        if (biased == null || reference == null || candidate == null
                || biased.shape().elementCount() != reference.shape().elementCount()) {
            return null;
        }
        TensorLayout compared = biased.shape().equals(reference.shape()) ? layout
                : layout.permutation().isIdentity() ? TensorLayout.fitting(biased.shape(), candidate.shape()).stream()
                        .filter(l -> l.kind() != TensorLayout.Kind.FLAT).findFirst().orElse(null) : null;
        if (compared == null) {
            return null;
        }
        double error = PairJudge.compare(biased, candidate.asReal(), compared, MEASURE).metrics().normalizedMaxError();
        return new Taken(nodes, reader.outputs().get(0), reader.opType(), error);
    }

    private static GraphNode soleReader(ModelGraph graph, String tensor) {
        List<GraphNode> readers = graph.readersOf(tensor);
        return readers.size() == 1 ? readers.get(0) : null;
    }
}
