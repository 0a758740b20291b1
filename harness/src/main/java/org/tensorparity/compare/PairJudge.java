package org.tensorparity.compare;

import java.util.List;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/**
 * Judges one aligned pair of tensors under the layout alignment expects. When the values fail under it
 * but pass under another layout that fits the shapes (on square tensors an H/W swap fits exactly and
 * only the values tell), the pair fails as a layout anomaly: agreement under a layout no converter step
 * explains is reported, never absorbed.
 */
public final class PairJudge {
    private PairJudge() {
    }

    /**
     * @param expected the layout the pair should have; null when no layout fits the shapes (a shape mismatch)
     * @param others the other layouts that fit the shapes, tried only when {@code expected} fails
     */
    public static PairJudgement judge(Tensor reference, Tensor candidate, TensorLayout expected,
            List<TensorLayout> others, ToleranceRule rule) {
        if (expected == null) {
            return PairJudgement.shapeMismatch("shape mismatch: ONNX " + reference.shape() + " vs TFLite "
                    + candidate.shape() + " (no layout makes them equal)");
        }
        Comparison c = compare(reference, candidate, expected, rule);
        if (c.passed()) {
            return PairJudgement.compared(c, expected);
        }
        for (TensorLayout other : others) {
            if (compare(reference, candidate, other, rule).passed()) {
                // Report the numbers under the layout that should have held: they are what failed.
                return PairJudgement.anomaly(c, expected, other);
            }
        }
        return PairJudgement.compared(c, expected);
    }

    /** Judges under the preferred fitting layout, the others as alternatives (for pairs without alignment). */
    public static PairJudgement judge(Tensor reference, Tensor candidate, ToleranceRule rule) {
        List<TensorLayout> fitting = TensorLayout.fitting(reference.shape(), candidate.shape());
        return fitting.isEmpty() ? judge(reference, candidate, null, List.of(), rule)
                : judge(reference, candidate, fitting.get(0), fitting.subList(1, fitting.size()), rule);
    }

    /** Compares under {@code layout}: the candidate is viewed in the permuted reference shape first. */
    public static Comparison compare(Tensor reference, Tensor candidate, TensorLayout layout, ToleranceRule rule) {
        return TensorComparator.compare(reference, layout.view(candidate, reference.shape()), layout.permutation(), rule);
    }
}
