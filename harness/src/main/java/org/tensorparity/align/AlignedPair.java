package org.tensorparity.align;

import java.util.List;
import org.tensorparity.tensor.Shape;

/**
 * An ONNX activation and the TFLite activation alignment holds to be the same value.
 *
 * @param onnx ONNX tensor name
 * @param tflite TFLite tensor name
 * @param onnxOp ONNX producing operator
 * @param tfliteOp TFLite producing operator
 * @param onnxShape ONNX shape
 * @param tfliteShape TFLite shape; may differ in more than layout when a converter broke a shape
 * @param confidence 0..1: how sure alignment is of this pair, from the evidence
 * @param evidence what supports the pair, in words
 * @param source {@code auto}, or {@code mapping} when a mapping file named the pair
 */
public record AlignedPair(String onnx, String tflite, String onnxOp, String tfliteOp, Shape onnxShape,
        Shape tfliteShape, double confidence, List<String> evidence, String source) {
    public AlignedPair {
        evidence = List.copyOf(evidence);
    }
}
