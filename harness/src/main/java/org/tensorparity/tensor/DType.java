package org.tensorparity.tensor;

/** Element types a model boundary can carry. Values of every type are held as float in a {@link Tensor}. */
public enum DType {
    FLOAT32, FLOAT16, FLOAT64, INT8, UINT8, INT16, INT32, INT64, BOOL;

    public boolean isFloatingPoint() {
        return this == FLOAT32 || this == FLOAT16 || this == FLOAT64;
    }
}
