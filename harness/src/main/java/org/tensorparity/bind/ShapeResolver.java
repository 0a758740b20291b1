package org.tensorparity.bind;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorparity.BadInputException;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;

/**
 * Gives every ONNX input a static shape: the user's {@code --shape NAME=...}, else its declared one. A
 * dimension the ONNX model leaves open takes the size the counterpart TFLite input declares (converters
 * often fix the batch on one side only); where both leave it open it is 1, and the shape's origin says so.
 */
public final class ShapeResolver {
    private ShapeResolver() {
    }

    /**
     * A resolved input shape and where it came from.
     *
     * @param shape the static shape the input runs with
     * @param origin {@code declared}, {@code --shape}, or how open dimensions were filled, in words
     * @param setToOne the axes of open dimensions set to 1 because neither model fixes them
     */
    public record InputShape(Shape shape, String origin, List<Integer> setToOne) {
        public InputShape {
            setToOne = List.copyOf(setToOne);
        }

        /** True when tensor-parity chose a size itself: a failing inference may be its choice, not the model. */
        public boolean assumed() {
            return !setToOne.isEmpty();
        }

        /**
         * True when a chosen size may matter: an open leading axis of an input of rank 2 or more is a batch, which
         * 1 fills as any user would; an open length or an open axis of a rank-1 input is a guess.
         */
        public boolean guessed() {
            return setToOne.stream().anyMatch(axis -> axis > 0 || shape.rank() < 2);
        }
    }

    /**
     * @param tfliteInputs the TFLite inputs as declared, to fill open ONNX dimensions from
     * @return ONNX input name to the static shape it runs with, in signature order
     */
    public static Map<String, InputShape> resolve(List<TensorSpec> onnxInputs, Map<String, Shape> userShapes,
            List<TensorSpec> tfliteInputs) throws BadInputException {
        List<String> names = new ArrayList<>();
        onnxInputs.forEach(s -> names.add(s.name()));
        for (String named : userShapes.keySet()) {
            if (!names.contains(named)) {
                throw new BadInputException("shape " + named + "=...: the ONNX model has no input '" + named
                        + "' (inputs: " + String.join(", ", names) + ")");
            }
        }
        Map<String, InputShape> resolved = new LinkedHashMap<>();
        for (int k = 0; k < onnxInputs.size(); k++) {
            TensorSpec spec = onnxInputs.get(k);
            Shape given = userShapes.get(spec.name());
            if (given != null) {
                if (!spec.shape().accepts(given)) {
                    throw new BadInputException("shape " + spec.name() + "=" + dims(given) + " does not fit ONNX input '"
                            + spec.name() + "' declared as " + spec.shape());
                }
                resolved.put(spec.name(), new InputShape(given, "--shape", List.of()));
            } else if (spec.shape().isDynamic()) {
                resolved.put(spec.name(), fromCounterpart(spec, counterpart(spec, k, onnxInputs.size(), tfliteInputs)));
            } else {
                resolved.put(spec.name(), new InputShape(spec.shape(), "declared", List.of()));
            }
        }
        return resolved;
    }

    /** Fills the open dimensions of {@code spec} from {@code partner}'s, under the layout their fixed dimensions allow. */
    private static InputShape fromCounterpart(TensorSpec spec, Optional<TensorSpec> partner) {
        Shape onnx = spec.shape();
        int[] dims = onnx.dims();
        Permutation layout = partner.flatMap(p -> layoutOf(onnx, p.shape())).orElse(null);
        List<Integer> setToOne = new ArrayList<>();
        for (int axis = 0; axis < dims.length; axis++) {
            if (dims[axis] != Shape.DYNAMIC) {
                continue;
            }
            int size = layout == null ? Shape.DYNAMIC : partner.get().shape().dim(positionOf(layout, axis));
            if (size == Shape.DYNAMIC) {
                dims[axis] = 1;
                setToOne.add(axis);
            } else {
                dims[axis] = size;
            }
        }
        String origin;
        if (!setToOne.isEmpty()) {
            origin = "open dimensions of " + onnx + " set to 1: " + (layout == null ? "no TFLite input fixes them"
                    : "TFLite input '" + partner.get().name() + "' leaves them open too") + " (give --shape to choose)";
        } else {
            origin = "open dimensions of " + onnx + " taken from TFLite input '" + partner.get().name() + "' "
                    + partner.get().shape();
        }
        return new InputShape(Shape.of(dims), origin, setToOne);
    }

    /** The TFLite input that will most likely be bound to this ONNX input: same name, else same place. */
    private static Optional<TensorSpec> counterpart(TensorSpec spec, int index, int onnxCount, List<TensorSpec> tflite) {
        String key = NameNormalizer.normalize(spec.name());
        for (TensorSpec t : tflite) {
            if (t.name().equals(spec.name()) || NameNormalizer.normalize(t.name()).equals(key)) {
                return Optional.of(t);
            }
        }
        List<TensorSpec> fitting = tflite.stream().filter(t -> layoutOf(spec.shape(), t.shape()).isPresent()).toList();
        if (fitting.size() == 1) {
            return Optional.of(fitting.get(0));
        }
        return onnxCount == tflite.size() ? Optional.of(tflite.get(index)) : Optional.empty();
    }

    /** Identity or channels last, whichever the fixed dimensions of both shapes agree with. */
    private static Optional<Permutation> layoutOf(Shape onnx, Shape tflite) {
        if (onnx.rank() != tflite.rank()) {
            return Optional.empty();
        }
        for (Permutation p : LayoutGuess.candidates(onnx.rank())) {
            boolean fits = true;
            for (int i = 0; i < tflite.rank() && fits; i++) {
                int t = tflite.dim(i);
                int o = onnx.dim(p.axis(i));
                fits = t == Shape.DYNAMIC || o == Shape.DYNAMIC || t == o;
            }
            if (fits) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static int positionOf(Permutation p, int onnxAxis) {
        for (int i = 0; i < p.rank(); i++) {
            if (p.axis(i) == onnxAxis) {
                return i;
            }
        }
        throw new IllegalArgumentException("axis " + onnxAxis + " not in " + p);
    }

    private static String dims(Shape shape) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < shape.rank(); i++) {
            sb.append(i == 0 ? "" : "x").append(shape.dim(i));
        }
        return sb.toString();
    }
}
