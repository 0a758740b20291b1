package org.tensorparity.model;

import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;

/** A named input or output of a model as its signature declares it (dimensions may be dynamic). */
public record TensorSpec(String name, DType dtype, Shape shape) {
    @Override
    public String toString() {
        return name + " " + shape + " " + dtype;
    }
}
