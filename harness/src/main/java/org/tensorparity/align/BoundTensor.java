package org.tensorparity.align;

import org.tensorparity.tensor.TensorLayout;

/**
 * A model input or output that binding paired before alignment: it anchors the alignment, and its layout
 * is the one the converted model's users see.
 *
 * @param onnx ONNX tensor name
 * @param tflite TFLite tensor name
 * @param layout how the TFLite tensor holds the ONNX values; null for an output whose shapes no layout reconciles
 */
public record BoundTensor(String onnx, String tflite, TensorLayout layout) {
}
