package org.tensorparity.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Judges one aligned pair of tensors whose layout relation is not known in advance. The canonical
 * layouts a converter produces (unchanged, or channels moved last) are tried first; only when none of
 * them agrees are the other permutations that fit the shapes tried, and agreement under one of those
 * is reported as a layout anomaly (a failure), never absorbed: on square tensors an H/W swap fits the
 * shapes exactly and only the values tell.
 */
public final class PairJudge {
    private PairJudge() {
    }

    public static PairJudgement judge(Tensor reference, Tensor candidate, ToleranceRule rule) {
        Shape ref = reference.shape();
        Shape cand = candidate.shape();
        List<Permutation> canonical = new ArrayList<>();
        List<Permutation> other = new ArrayList<>();
        if (sameDimensions(ref, cand)) {
            List<Permutation> preferred = canonical(ref.rank());
            for (Permutation p : preferred) {
                if (p.apply(ref).equals(cand)) {
                    canonical.add(p);
                }
            }
            for (Permutation p : Permutation.all(ref.rank())) {
                if (!preferred.contains(p) && p.apply(ref).equals(cand)) {
                    other.add(p);
                }
            }
        }
        if (canonical.isEmpty() && other.isEmpty()) {
            return PairJudgement.shapeMismatch("shape mismatch: ONNX " + ref + " vs TFLite " + cand
                    + " (no layout permutation makes them equal)");
        }
        Comparison best = null;
        Permutation bestLayout = null;
        for (Permutation p : canonical) {
            Comparison c = TensorComparator.compare(reference, candidate, p, rule);
            if (c.passed()) {
                return PairJudgement.compared(c, p);
            }
            if (best == null || c.metrics().normalizedMaxError() < best.metrics().normalizedMaxError()) {
                best = c;
                bestLayout = p;
            }
        }
        for (Permutation p : other) {
            Comparison c = TensorComparator.compare(reference, candidate, p, rule);
            if (c.passed()) {
                // Report the numbers under the layout that should have held: they are what failed.
                return best == null ? PairJudgement.anomaly(c, p, p, null) : PairJudgement.anomaly(best, bestLayout, p, bestLayout);
            }
            if (best == null) {
                best = c;
                bestLayout = p;
            }
        }
        return PairJudgement.compared(best, bestLayout);
    }

    /** Identity first, then channels last ({@code (0,2,3,1)} for rank 4). */
    static List<Permutation> canonical(int rank) {
        List<Permutation> out = new ArrayList<>();
        out.add(Permutation.identity(rank));
        if (rank >= 3) {
            int[] axes = new int[rank];
            for (int i = 1; i < rank - 1; i++) {
                axes[i] = i + 1;
            }
            axes[rank - 1] = 1;
            out.add(Permutation.of(axes));
        }
        return out;
    }

    private static boolean sameDimensions(Shape a, Shape b) {
        if (a.rank() != b.rank()) {
            return false;
        }
        int[] x = a.dims();
        int[] y = b.dims();
        Arrays.sort(x);
        Arrays.sort(y);
        return Arrays.equals(x, y);
    }
}
