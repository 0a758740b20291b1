package org.tensorparity.bind;

import java.util.Objects;
import org.tensorparity.tensor.Shape;

/** A named model boundary tensor and the shape it has in this run (static for ONNX, maybe dynamic for TFLite). */
public record Port(String name, Shape shape) {

    /** Equal when name and shape are; written out rather than generated, as {@code TensorLayout#equals} says why. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Port other && Objects.equals(name, other.name) && Objects.equals(shape, other.shape);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, shape);
    }
}
