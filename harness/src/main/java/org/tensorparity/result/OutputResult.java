package org.tensorparity.result;

import org.tensorparity.bind.BindRule;
import org.tensorparity.bind.Slice;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.QuantizationSteps;
import org.tensorparity.compare.Verdict;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;

/**
 * One model output compared across the two runtimes; ONNX is the reference.
 *
 * @param onnx ONNX output name
 * @param tflite TFLite output name
 * @param bindRule why the two were paired
 * @param onnxShape shape of the ONNX output
 * @param tfliteShape shape of the TFLite output
 * @param permutation ONNX layout to TFLite layout (numpy transpose axes)
 * @param verdict pass or fail under {@code rule}
 * @param rule the tolerance rule applied
 * @param reason why it failed, or empty when it passed
 * @param metrics the observed error statistics (of the worst sample)
 * @param samples how the output fared over all samples
 * @param checks task-level checks configured for this output; a disagreeing check fails it
 * @param steps for a quantized TFLite output, the worst sample's errors in quantization steps; null otherwise
 * @param slice for an output the other model split or merged ({@link BindRule#SPLIT}, {@link BindRule#MERGED}), the
 *     part of the cut output compared here; the shapes are the compared part's. Null for whole outputs
 */
public record OutputResult(String onnx, String tflite, BindRule bindRule, Shape onnxShape, Shape tfliteShape,
        Permutation permutation, Verdict verdict, AppliedRule rule, String reason, ErrorMetrics metrics,
        SampleSummary samples, java.util.List<CheckResult> checks, QuantizationSteps steps, Slice slice) {
    public OutputResult {
        checks = checks == null ? java.util.List.of() : java.util.List.copyOf(checks);
    }

    /** A comparison of two whole outputs. */
    public OutputResult(String onnx, String tflite, BindRule bindRule, Shape onnxShape, Shape tfliteShape,
            Permutation permutation, Verdict verdict, AppliedRule rule, String reason, ErrorMetrics metrics,
            SampleSummary samples, java.util.List<CheckResult> checks, QuantizationSteps steps) {
        this(onnx, tflite, bindRule, onnxShape, tfliteShape, permutation, verdict, rule, reason, metrics, samples, checks,
                steps, null);
    }

    /** How the two were paired, in words: "by split: TFLite 'regressors' [0:512] of axis 1". */
    public String bindingText() {
        if (slice == null) {
            return "by " + bindRule.label();
        }
        return "by " + bindRule.label() + ": " + slice.describe(slice.side() == Slice.Side.TFLITE ? tflite : onnx);
    }
}
