package org.tensorparity.result;

import org.tensorparity.tensor.Permutation;

/**
 * A pair whose values agree only under a permutation no converter should produce (for example height
 * and width swapped): a layout bug that square tensors hide from shape checks.
 *
 * @param onnx ONNX tensor name
 * @param tflite TFLite tensor name
 * @param expected the canonical layout that fits the shapes but not the values
 * @param observed the permutation under which the values agree
 * @param description the anomaly in words
 */
public record LayoutAnomaly(String onnx, String tflite, Permutation expected, Permutation observed,
        String description) {
}
