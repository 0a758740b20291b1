package org.tensorparity.result;

import org.tensorparity.bind.BindRule;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;

/**
 * One bound input: the same values went to both models, transposed by {@code permutation} for TFLite.
 *
 * @param onnx ONNX input name
 * @param tflite TFLite input name
 * @param bindRule why the two were paired
 * @param dtype element type of the ONNX input
 * @param onnxShape shape fed to ONNX
 * @param tfliteShape shape fed to TFLite
 * @param permutation ONNX layout to TFLite layout (numpy transpose axes)
 * @param source where the values came from, e.g. {@code seeded uniform:-1.0,1.0}
 * @param shapeOrigin where the ONNX shape came from: {@code declared}, {@code --shape}, or how dimensions the
 *     model leaves open were filled (from the TFLite input, or 1 when both models leave them open)
 * @param quantization for an integer TFLite input, its quantization in words (the values were quantized with
 *     it, and ONNX was fed the real values of the same codes); null otherwise
 * @param clippedShare for an integer TFLite input, the largest share (0..1) of a sample's values that lay
 *     beyond its quantized range and were clipped; null otherwise
 */
public record InputRecord(String onnx, String tflite, BindRule bindRule, DType dtype, Shape onnxShape,
        Shape tfliteShape, Permutation permutation, String source, String shapeOrigin, String quantization,
        Double clippedShare) {

    /** This record with the clipping observed over the run. */
    public InputRecord withClippedShare(double share) {
        return new InputRecord(onnx, tflite, bindRule, dtype, onnxShape, tfliteShape, permutation, source, shapeOrigin,
                quantization, share);
    }
}
