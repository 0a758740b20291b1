package org.tensorparity.backend.tflite;

import org.tensorparity.ModelFailureException;
import org.tensorparity.model.ModelRef;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.InPlaceValues;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Tensor;

/**
 * Reads the runner's tensors out of its interpreter, in the real values a quantized tensor stands for: copied to the
 * heap, or read in place.
 */
final class TensorReader {
    private final ModelRef model;
    private final NativeHandles handles;
    private final ModelDescription description;

    TensorReader(ModelRef model, NativeHandles handles, ModelDescription description) {
        this.model = model;
        this.handles = handles;
        this.description = description;
    }

    /**
     * Tensor {@code index} copied to the heap; a quantized tensor comes back as its real values, with its
     * quantization kept.
     */
    Tensor read(int index, DType dtype) throws ModelFailureException {
        return read(index, dtype, null);
    }

    /**
     * As {@link #read(int, DType)}, except that with a {@code lease} a float32 tensor is read in place, where the
     * interpreter keeps it ({@link InPlaceValues}); null copies it.
     */
    Tensor read(int index, DType dtype, InPlaceValues.Lease lease) throws ModelFailureException {
        Quantization q = description.quantization(index);
        if (lease != null && dtype == DType.FLOAT32 && q == null) {
            return TensorCopier.readInPlace(handles.interpreter().tensor(index), lease);
        }
        Tensor raw = TensorCopier.read(handles.interpreter().tensor(index), dtype);
        if (q == null) {
            return raw;
        }
        try {
            return Tensor.fromCodes(raw.shape(), raw.data(), q);
        } catch (IllegalArgumentException e) {
            throw new ModelFailureException("TFLite model " + model.path() + ": tensor '"
                    + description.names().get(index) + "' has unusable quantization: " + e.getMessage());
        }
    }
}
