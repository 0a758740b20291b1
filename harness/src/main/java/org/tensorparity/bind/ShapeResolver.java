package org.tensorparity.bind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorparity.BadInputException;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;

/** Gives every ONNX input a static shape: its declared one, or the user's {@code --shape NAME=...}. */
public final class ShapeResolver {
    private ShapeResolver() {
    }

    /** @return ONNX input name to the static shape it runs with, in signature order */
    public static Map<String, Shape> resolve(List<TensorSpec> onnxInputs, Map<String, Shape> userShapes)
            throws BadInputException {
        List<String> names = new ArrayList<>();
        onnxInputs.forEach(s -> names.add(s.name()));
        for (String named : userShapes.keySet()) {
            if (!names.contains(named)) {
                throw new BadInputException("--shape " + named + "=...: the ONNX model has no input '" + named
                        + "' (inputs: " + String.join(", ", names) + ")");
            }
        }
        Map<String, Shape> resolved = new LinkedHashMap<>();
        for (TensorSpec spec : onnxInputs) {
            Shape given = userShapes.get(spec.name());
            if (given != null) {
                if (!spec.shape().accepts(given)) {
                    throw new BadInputException("--shape " + spec.name() + "=" + dims(given) + " does not fit ONNX input '"
                            + spec.name() + "' declared as " + spec.shape());
                }
                resolved.put(spec.name(), given);
            } else if (spec.shape().isDynamic()) {
                throw new BadInputException("ONNX input '" + spec.name() + "' has a dynamic shape " + spec.shape()
                        + "; give it with --shape " + spec.name() + "=" + example(spec.shape()));
            } else {
                resolved.put(spec.name(), spec.shape());
            }
        }
        return resolved;
    }

    private static String dims(Shape shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.rank(); i++) {
            sb.append(i == 0 ? "" : "x").append(shape.dim(i));
        }
        return sb.toString();
    }

    private static String example(Shape shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.rank(); i++) {
            sb.append(i == 0 ? "" : "x").append(shape.dim(i) == Shape.DYNAMIC ? "N" : Integer.toString(shape.dim(i)));
        }
        return sb.toString();
    }
}
