package org.tensorparity.bind;

import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;

/**
 * One ONNX tensor paired with one TFLite tensor.
 *
 * @param onnx the ONNX tensor name
 * @param tflite the TFLite tensor name
 * @param rule why they were paired
 * @param onnxShape the ONNX shape in this run
 * @param tfliteShape the TFLite shape in this run ({@code layout} applied to {@code onnxShape})
 * @param layout maps the ONNX layout to the TFLite layout (identity, or NCHW to NHWC); null for an output
 *     pair whose shapes no allowed layout reconciles
 */
public record Binding(String onnx, String tflite, BindRule rule, Shape onnxShape, Shape tfliteShape,
        Permutation layout) {
}
