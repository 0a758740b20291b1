package org.tensorparity.report;

/**
 * Did capturing every intermediate change the answer? The instrumented runs' outputs are compared with
 * the plain deployment runs' outputs.
 *
 * @param onnxMaxAbsDiff max |plain - instrumented| over all ONNX outputs
 * @param tfliteMaxAbsDiff max |plain - instrumented| over all TFLite outputs
 * @param identical true when both are exactly zero
 * @param note what the difference means, in words
 */
public record InstrumentationCheck(double onnxMaxAbsDiff, double tfliteMaxAbsDiff, boolean identical, String note) {
}
