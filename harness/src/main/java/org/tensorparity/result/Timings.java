package org.tensorparity.result;

/**
 * Wall-clock milliseconds spent in each stage of one run.
 *
 * @param loadMs reading both files and building the session and interpreter
 * @param onnxInferenceMs ONNX Runtime inference
 * @param tfliteInferenceMs TFLite inference
 * @param compareMs binding, input generation and all comparisons (layer by layer: alignment, judging, isolation and
 *     diagnosis)
 * @param diagnosisMs the part of {@code compareMs} spent diagnosing root causes (testing changes to their operators);
 *     0 when nothing was diagnosed
 * @param totalMs the whole run
 */
public record Timings(double loadMs, double onnxInferenceMs, double tfliteInferenceMs, double compareMs,
        double diagnosisMs, double totalMs) {
}
