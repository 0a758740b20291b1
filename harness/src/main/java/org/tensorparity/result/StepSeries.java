package org.tensorparity.result;

import java.util.List;
import org.tensorparity.compare.Verdict;

/**
 * What a streaming run ({@code --steps N}) found: both models run N steps, each fed its own state outputs back, and
 * every output's error at every step. The report's outputs are judged on each output's worst step; its layers, when
 * compared, on the inputs of {@code layerStep} with the ONNX model's state fed to both models.
 *
 * @param steps how many steps ran
 * @param feedback the state pairs, each model's output fed back as its own input
 * @param inputs how the inputs that are not states were fed per step, one line each
 * @param tracks every output pair's error by step, in ONNX output order
 * @param worstStep the worst step of the output that differs most (a failing output before passing ones; among
 *     equals, the largest {@code max |a-b|} over its scale)
 * @param firstFailingStep the first step (1-based) at which some output breaks its rule, or null
 * @param layerStep the step whose inputs the single layer-by-layer run used: the worst step
 * @param verdict pass when no output breaks its rule at any step
 * @param ms how long the N steps took, both models and the comparisons, in milliseconds
 */
public record StepSeries(int steps, List<StateFeedback> feedback, List<String> inputs, List<StepTrack> tracks,
        int worstStep, Integer firstFailingStep, int layerStep, Verdict verdict, double ms) {
    public StepSeries {
        feedback = List.copyOf(feedback);
        inputs = List.copyOf(inputs);
        tracks = List.copyOf(tracks);
    }
}
