package org.tensorparity.backend.tflite;

import org.tensorparity.ModelFailureException;
import org.tensorparity.model.ModelRef;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Tensor;

/** Copies the runner's tensors out of its interpreter, in the real values a quantized tensor stands for. */
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
        Tensor raw = TensorCopier.read(handles.interpreter().tensor(index), dtype);
        Quantization q = description.quantization(index);
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
