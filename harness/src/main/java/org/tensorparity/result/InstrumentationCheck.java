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
 * @param memory the memory budget and how the capture kept to it; null in reports written before it was recorded
 */
public record InstrumentationCheck(Double onnxMaxAbsDiff, double tfliteMaxAbsDiff, boolean identical, String note,
        CaptureMemory memory) {
    /** The check of a capture whose memory is not recorded (yet). */
    public InstrumentationCheck(Double onnxMaxAbsDiff, double tfliteMaxAbsDiff, boolean identical, String note) {
        this(onnxMaxAbsDiff, tfliteMaxAbsDiff, identical, note, null);
    }

    /** This check with the capture's memory recorded. */
    public InstrumentationCheck withMemory(CaptureMemory capture) {
        return new InstrumentationCheck(onnxMaxAbsDiff, tfliteMaxAbsDiff, identical, note, capture);
    }
}
