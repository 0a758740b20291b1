package org.tensorparity.bind;

import org.tensorparity.tensor.Tensor;

/**
 * What one ONNX input and its bound TFLite input receive in one sample, both in the ONNX layout. They
 * are the same tensor unless the input is staged from an upstream pair.
 *
 * @param onnx values for the ONNX input
 * @param tflite values for the TFLite input, before its layout permutation
 * @param description where they came from, for the report
 */
public record FeedValues(Tensor onnx, Tensor tflite, String description) {
}
