package org.tensorparity.align;

import java.util.Objects;
import org.tensorparity.tensor.TensorLayout;

/**
 * ONNX candidate {@code i} and TFLite candidate {@code j} (indices into the candidates alignment pairs) hold the same
 * values under {@code layout}, {@code distance} apart (relative RMS difference on the sampled elements).
 */
record Agreement(int i, int j, double distance, TensorLayout layout) {
    /**
     * Written out rather than generated, as {@link AlignedPair#hashCode} says why; keys a map by itself too, and two
     * agreements of equal hash meet in {@code equals} there (basic-pitch: the generated one spun 23 classes).
     */
    @Override
    public int hashCode() {
        return Objects.hash(i, j, distance, layout);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Agreement a && i == a.i && j == a.j && Double.compare(distance, a.distance) == 0
                && Objects.equals(layout, a.layout);
    }
}
