package org.tensorparity.run;

import java.util.List;
import java.util.Map;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;
import org.tensorparity.ParityException;
import org.tensorparity.bind.ShapeResolver;
import org.tensorparity.tensor.Shape;

/**
 * An inference that fails after tensor-parity chose an input's size itself. Neither model fixed that size, so the
 * likely cause is the choice rather than the model: the user is told which size was chosen and how to give the real
 * one, and the run ends as bad input (exit 2) rather than as a broken model (exit 3).
 */
final class ChosenShapes {
    private ChosenShapes() {
    }

    static ParityException explain(ModelFailureException failure, Map<String, ShapeResolver.InputShape> shapes) {
        List<Map.Entry<String, ShapeResolver.InputShape>> chosen = shapes.entrySet().stream()
                .filter(e -> e.getValue().guessed()).toList();
        if (chosen.isEmpty()) {
            return failure;
        }
        StringBuilder ran = new StringBuilder();
        StringBuilder flags = new StringBuilder();
        for (Map.Entry<String, ShapeResolver.InputShape> e : chosen) {
            ShapeResolver.InputShape s = e.getValue();
            ran.append(ran.isEmpty() ? "" : ", ").append('\'').append(e.getKey()).append("' ran as ")
                    .append(dims(s.shape(), List.of())).append(" with ").append(s.setToOne().size() == 1
                            ? "its open dimension" : "its open dimensions").append(" set to 1");
            flags.append(flags.isEmpty() ? "" : " ").append("--shape ").append(e.getKey()).append('=')
                    .append(dims(s.shape(), s.setToOne()));
        }
        return new BadInputException(failure.getMessage() + "; neither model fixes the size of every input, and ONNX input "
                + ran + ": give the real size with " + flags + " (N the size the model expects)", failure);
    }

    /** {@code 1x16000}, with {@code N} at the given axes. */
    private static String dims(Shape shape, List<Integer> open) {
        StringBuilder sb = new StringBuilder();
        for (int axis = 0; axis < shape.rank(); axis++) {
            sb.append(axis == 0 ? "" : "x").append(open.contains(axis) ? "N" : Integer.toString(shape.dim(axis)));
        }
        return sb.toString();
    }
}
