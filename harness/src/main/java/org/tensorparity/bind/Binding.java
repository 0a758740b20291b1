package org.tensorparity.bind;

import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.TensorLayout;

/**
 * One ONNX tensor paired with one TFLite tensor.
 *
 * @param onnx the ONNX tensor name
 * @param tflite the TFLite tensor name
 * @param rule why they were paired
 * @param onnxShape the ONNX shape in this run
 * @param tfliteShape the TFLite shape in this run
 * @param layout how the TFLite tensor holds the ONNX values (identity, or NCHW to NHWC, possibly with unit
 *     axes reshaped); null for an output pair whose shapes no allowed layout reconciles
 */
public record Binding(String onnx, String tflite, BindRule rule, Shape onnxShape, Shape tfliteShape,
        TensorLayout layout) {
}
