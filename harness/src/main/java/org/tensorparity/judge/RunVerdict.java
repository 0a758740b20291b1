package org.tensorparity.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.tensorparity.align.AlignmentWeights;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.LayerFindings;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.VerdictRule;

/**
 * How a run's verdict follows from what was compared. The outputs (with their task checks) decide first: that is
 * what the app sees. Then the layers that compute differently by themselves: a confidently paired layer whose
 * operators, run alone on the converted model's own inputs to them, break the isolation rule fails the run
 * although every output agrees on these inputs (the seeded inputs may not carry its error to the outputs: a
 * saturated sigmoid, a ReLU that zeroes it, an argmax that hides it). A layer that only inherits error stays a
 * warning, unless {@link LayerPolicy#FAIL} asks for any confident layer divergence to fail the run.
 *
 * @param verdict the run's verdict
 * @param layerVerdict whether every aligned layer agrees, none fails decisively in isolation and the graphs align;
 *     null when layers were not compared
 * @param failedBy the rules that failed the run; empty when it passes
 * @param decisive the layers that fail the run by themselves, earliest first (for the summary)
 * @param warning what a disagreeing layer means for this run, in words; null when there is nothing to say
 */
public record RunVerdict(Verdict verdict, Verdict layerVerdict, List<VerdictRule> failedBy, List<LayerResult> decisive,
        String warning) {
    /**
     * Confidence from which a layer divergence counts as established: that of a pair found by structure whose shape,
     * operator family and name all fit, although it is computed only from a farther ancestor's partner. Pairs found by
     * their values always reach it (0.6 and up). A structural pair computed directly from its input's partner reaches
     * it with any one of those cues, not alone: the direct input weighs more than two of them and less than three. The
     * weaker structural guesses stay below. Summed in the order the aligner sums it, so that such a pair is exactly at
     * it, not a rounding error below.
     */
    public static final double CONFIDENT = AlignmentWeights.STRUCTURE_CONFIDENCE + AlignmentWeights.SHAPE_CONFIDENCE
            + AlignmentWeights.OPERATOR_CONFIDENCE + AlignmentWeights.NAME_CONFIDENCE;

    public static RunVerdict of(List<OutputResult> outputs, LayerFindings layers, LayerPolicy policy) {
        boolean outputsPass = outputs.stream().allMatch(o -> o.verdict() == Verdict.PASS);
        List<VerdictRule> failedBy = new ArrayList<>();
        if (!outputsPass) {
            failedBy.add(VerdictRule.OUTPUTS);
        }
        if (layers == null) {
            return new RunVerdict(outputsPass ? Verdict.PASS : Verdict.FAIL, null, failedBy, List.of(), null);
        }
        List<LayerResult> decisive = layers.layers().stream()
                .filter(l -> l.isolated() != null && l.isolated().decisive()).toList();
        boolean layersPass = !layers.anyFailure() && decisive.isEmpty();
        Verdict layerVerdict = layersPass ? Verdict.PASS : Verdict.FAIL;
        if (policy != LayerPolicy.WARN && !decisive.isEmpty()) {
            failedBy.add(VerdictRule.ISOLATED_LAYER);
        }
        Optional<LayerResult> confident = confidentDivergence(layers);
        if (policy == LayerPolicy.FAIL && confident.isPresent()) {
            failedBy.add(VerdictRule.LAYER_DIVERGENCE);
        }
        if (policy == LayerPolicy.FAIL && layers.alignment().failure() != null) {
            failedBy.add(VerdictRule.ALIGNMENT);
        }
        if (!failedBy.isEmpty()) {
            return new RunVerdict(Verdict.FAIL, layerVerdict, failedBy,
                    failedBy.contains(VerdictRule.ISOLATED_LAYER) ? decisive : List.of(), null);
        }
        return new RunVerdict(Verdict.PASS, layerVerdict, failedBy, List.of(),
                layersPass ? null : warning(layers, confident, decisive, policy));
    }

    private static Optional<LayerResult> confidentDivergence(LayerFindings layers) {
        FirstDivergence first = layers.firstDivergence();
        if (first == null) {
            return Optional.empty();
        }
        LayerResult l = layers.layers().get(first.index());
        return l.confidence() >= CONFIDENT && l.verdict() == Verdict.FAIL ? Optional.of(l) : Optional.empty();
    }

    private static String warning(LayerFindings layers, Optional<LayerResult> confident,
            List<LayerResult> decisive, LayerPolicy policy) {
        if (layers.alignment().failure() != null) {
            return "every output agrees, but the graphs could not be compared layer by layer: "
                    + layers.alignment().failure();
        }
        if (!decisive.isEmpty()) {
            return "every output agrees, but '" + decisive.get(0).onnx() + "' (" + decisive.get(0).tfliteOp()
                    + ") computes differently by itself; --no-fail-on-isolated lets the outputs decide, so the run passes";
        }
        long failing = layers.layers().stream().filter(l -> l.verdict() == Verdict.FAIL).count();
        long failingAlone = layers.layers().stream().filter(l -> l.isolated() != null && l.isolated().fails()).count();
        FirstDivergence first = layers.firstDivergence();
        String where = first == null ? "" : String.format(Locale.ROOT, ", first at '%s' (%s -> %s '%s'): %s", first.onnx(),
                first.onnxOp(), first.tfliteOp(), first.tflite(), first.reason());
        String what = (failing > 0 ? failing + " of " + layers.layers().size() + " aligned layers disagree beyond the layer"
                + " tolerance" : failingAlone + " of " + layers.layers().size() + " aligned layers break the isolation"
                + " rule by themselves") + where + ". Every output agrees, so the run passes";
        if (failingAlone > 0) {
            return what + ": no layer that fails by itself is confidently paired (its pairing is in doubt past the root"
                    + " cause, or of low confidence), so the outputs decide";
        }
        if (policy == LayerPolicy.FAIL) {
            return what + ": the divergence rests on pairs of low confidence (below " + CONFIDENT + ")";
        }
        return what + (confident.isPresent() ? "; --fail-on-layers makes such a divergence fail" : "");
    }
}
