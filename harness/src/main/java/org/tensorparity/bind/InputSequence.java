package org.tensorparity.bind;

import java.util.Arrays;
import java.util.Optional;
import org.tensorparity.BadInputException;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * An input's values for every step of a streaming run, read from one {@code .npy} or {@code .npz} array whose leading
 * axis is the step: an array of one rank more than the ONNX input, {@code [N, ...]}, feeds its slice {@code k - 1}
 * at step k (step 1 takes {@code [0]}). An array of the input's own rank is no sequence: it feeds every step alike.
 *
 * @param values the whole array, in the ONNX input's layout after the step axis
 * @param description what the report calls its file or entry
 */
public record InputSequence(Tensor values, String description) {

    /** The sequence a read source holds for {@code spec}, if it is one ({@link InputResolver#read} reads files). */
    public static Optional<InputSequence> of(InputSource read, TensorSpec spec) {
        if (read instanceof InputSource.Values v && v.values().shape().rank() == spec.shape().rank() + 1) {
            return Optional.of(new InputSequence(v.values(), v.description()));
        }
        return Optional.empty();
    }

    /** How many steps it holds. */
    public int length() {
        return values.shape().dim(0);
    }

    /**
     * The source of step {@code step} (1-based).
     *
     * @throws BadInputException when the sequence is shorter than the run
     */
    public InputSource at(int step, String input) throws BadInputException {
        if (step > length()) {
            throw new BadInputException("input " + input + ": " + description + " holds " + length()
                    + " steps on its leading axis, fewer than --steps asks for");
        }
        int[] dims = values.shape().dims();
        Shape one = Shape.of(Arrays.copyOfRange(dims, 1, dims.length));
        return new InputSource.Values(values.slice(0, step - 1, step).reshape(one),
                description + " [" + (step - 1) + "] (step " + step + " of its leading axis)");
    }
}
