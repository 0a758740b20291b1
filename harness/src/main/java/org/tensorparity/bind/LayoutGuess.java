package org.tensorparity.bind;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;

/**
 * The layouts a converter legitimately gives a boundary tensor: unchanged, or channels moved last
 * (NCHW to NHWC and its other-rank analogues). Any other permutation at a boundary would hide a bug,
 * so binding never considers it.
 */
final class LayoutGuess {
    private LayoutGuess() {
    }

    /** Candidate layouts for a tensor of this rank, preferred first. */
    static List<Permutation> candidates(int rank) {
        List<Permutation> out = new ArrayList<>();
        out.add(Permutation.identity(rank));
        if (rank >= 3) {
            int[] channelsLast = new int[rank];
            channelsLast[0] = 0;
            for (int i = 1; i < rank - 1; i++) {
                channelsLast[i] = i + 1;
            }
            channelsLast[rank - 1] = 1;
            out.add(Permutation.of(channelsLast));
        }
        return out;
    }

    /** The preferred layout under which {@code tflite} accepts the permuted {@code onnx} shape. */
    static Optional<Permutation> fit(Shape onnx, Shape tflite) {
        if (onnx.rank() != tflite.rank()) {
            return Optional.empty();
        }
        for (Permutation p : candidates(onnx.rank())) {
            if (tflite.accepts(p.apply(onnx))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
