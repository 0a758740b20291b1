package org.tensorparity.result;

/**
 * Did capturing every intermediate change the answer? The instrumented runs' outputs are compared with
 * the plain deployment runs' outputs.
 *
 * @param onnxMaxAbsDiff max |plain - instrumented| over all ONNX outputs; null when the reference ran only once,
 *     instrumented (layers compared on a single sample)
 * @param tfliteMaxAbsDiff max |plain - instrumented| over all TFLite outputs
 * @param identical true when every difference measured is exactly zero
 * @param note what the difference means, in words
 */
public record InstrumentationCheck(Double onnxMaxAbsDiff, double tfliteMaxAbsDiff, boolean identical, String note) {
}
