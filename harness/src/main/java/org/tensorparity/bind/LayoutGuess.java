package org.tensorparity.bind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.TensorLayout;

/**
 * The layouts a converter legitimately gives a boundary tensor: unchanged, or channels moved last
 * (NCHW to NHWC and its other-rank analogues, which is also how onnx2tf lays out a non-image 4-D input),
 * either of them with unit axes added or dropped. Any other permutation at a boundary would hide a bug
 * (an H/W swap), so binding never considers it.
 */
final class LayoutGuess {
    private LayoutGuess() {
    }

    /** Candidate permutations for a tensor of this rank, preferred first. */
    static List<Permutation> candidates(int rank) {
        List<Permutation> out = new ArrayList<>();
        out.add(Permutation.identity(rank));
        if (rank >= 3) {
            out.add(TensorLayout.channelsLast(rank));
        }
        return out;
    }

    /** The preferred layout under which {@code tflite} holds the values of {@code onnx}. */
    static Optional<TensorLayout> fit(Shape onnx, Shape tflite) {
        if (onnx.rank() == tflite.rank()) {
            for (Permutation p : candidates(onnx.rank())) {
                if (tflite.accepts(p.apply(onnx))) {
                    return Optional.of(TensorLayout.permuted(p));
                }
            }
        }
        if (onnx.isDynamic() || tflite.isDynamic()) {
            return Optional.empty();
        }
        for (TensorLayout l : TensorLayout.fitting(onnx, tflite)) {
            if (l.kind() == TensorLayout.Kind.UNIT_AXES && canonicalCoreOrder(onnx, l.permutation())) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** True when {@code p} visits the non-unit axes of {@code shape} in identity or channels-last order. */
    private static boolean canonicalCoreOrder(Shape shape, Permutation p) {
        int[] visited = Arrays.stream(p.axes()).filter(a -> shape.dim(a) != 1).toArray();
        for (Permutation c : candidates(shape.rank())) {
            int[] canonical = Arrays.stream(c.axes()).filter(a -> shape.dim(a) != 1).toArray();
            if (Arrays.equals(visited, canonical)) {
                return true;
            }
        }
        return false;
    }
}
