package org.tensorparity.bind;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/** A named model boundary tensor and the shape it has in this run (static for ONNX, maybe dynamic for TFLite). */
public record Port(String name, Shape shape) {

    /** The ports of these tensors, by name, at their shapes. */
    public static List<Port> ofTensors(Map<String, Tensor> tensors) {
        return tensors.entrySet().stream().map(e -> new Port(e.getKey(), e.getValue().shape())).toList();
    }

    /** The ports a signature declares. */
    public static List<Port> ofSpecs(List<TensorSpec> specs) {
        return specs.stream().map(s -> new Port(s.name(), s.shape())).toList();
    }

    /** The ONNX inputs at the shapes they run with. */
    public static List<Port> ofShapes(Map<String, ShapeResolver.InputShape> shapes) {
        return shapes.entrySet().stream().map(e -> new Port(e.getKey(), e.getValue().shape())).toList();
    }

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
