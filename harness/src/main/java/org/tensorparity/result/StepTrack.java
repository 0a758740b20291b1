package org.tensorparity.result;

import java.util.List;
import org.tensorparity.compare.Verdict;

/**
 * One output pair's error at every step of a streaming run.
 *
 * @param onnx the ONNX output
 * @param tflite the TFLite output paired with it
 * @param feeds the ONNX input this output is fed back to (a state), or null for an output that is not fed back
 * @param scale the largest magnitude of the ONNX output over all steps: what its relative error is measured against
 * @param relativeTolerance the tolerance as a share of {@code scale} (a scale rule's), or null for an elementwise rule
 *     or one with an SQNR bound (reduced-precision profiles), which {@code maxAbs} alone does not decide
 * @param maxAbs {@code max |a-b|} at each step, step 1 first
 * @param worstStep the step (1-based) whose {@code max |a-b|} is largest
 * @param firstFailingStep the first step (1-based) that breaks the output's rule, or null when none does
 * @param failingSteps how many steps break it
 * @param verdict pass when no step breaks the rule
 */
public record StepTrack(String onnx, String tflite, String feeds, double scale, Double relativeTolerance,
        List<Double> maxAbs, int worstStep, Integer firstFailingStep, int failingSteps, Verdict verdict) {
    public StepTrack {
        maxAbs = List.copyOf(maxAbs);
    }

    /** {@code max |a-b|} at step {@code step} (1-based) over the output's scale. */
    public double relativeError(int step) {
        double e = maxAbs.get(step - 1);
        return scale > 0 ? e / scale : e;
    }
}
