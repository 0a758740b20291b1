package org.tensorparity.backend;

import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;

/**
 * How a TFLite cut's operators hold the values of a tensor the reproducer binds in ONNX layout: the ONNX tensor's
 * axes permuted, then seen under the TFLite tensor's own shape (unit axes added or removed, or the same row-major
 * sequence re-cut), as {@link org.tensorparity.tensor.TensorLayout#fromReference} lays them out.
 *
 * @param permutation the ONNX tensor's axes as the TFLite tensor orders them
 * @param onnxShape the ONNX tensor's shape as {@code permutation} reads it
 * @param boundShape the shape the cut is fed or read in: {@code onnxShape}, or the same values row-major under the
 *     shape the ONNX model gave them (an alignment that read the tensor with unit axes of its own)
 */
public record CutLayout(Permutation permutation, Shape onnxShape, Shape boundShape) {
    /**
     * A layout that keeps the values in their row-major order: {@code permutation} moves unit axes only, so a
     * RESHAPE alone moves the values.
     */
    public CutLayout simplified() {
        int last = -1;
        for (int axis : permutation.axes()) {
            if (onnxShape.dim(axis) != 1) {
                if (axis < last) {
                    return this;
                }
                last = axis;
            }
        }
        return new CutLayout(Permutation.identity(onnxShape.rank()), onnxShape, boundShape);
    }

    /** Fed or read in the shape {@code permutation} reads. */
    public CutLayout(Permutation permutation, Shape onnxShape) {
        this(permutation, onnxShape, onnxShape);
    }
}
