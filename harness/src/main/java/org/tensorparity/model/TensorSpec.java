package org.tensorparity.model;

import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Shape;

/**
 * A named input or output of a model as its signature declares it (dimensions may be dynamic).
 *
 * @param quantization how the model stores it as integers (an int8 input's scale and zero point); null
 *     when it is not quantized
 */
public record TensorSpec(String name, DType dtype, Shape shape, Quantization quantization) {
    /** A tensor that is not quantized. */
    public TensorSpec(String name, DType dtype, Shape shape) {
        this(name, dtype, shape, null);
    }

    @Override
    public String toString() {
        return name + " " + shape + " " + dtype + (quantization == null ? "" : " (" + quantization + ")");
    }
}
