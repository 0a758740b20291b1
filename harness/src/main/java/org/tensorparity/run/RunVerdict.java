package org.tensorparity.run;

import java.util.Locale;
import java.util.Optional;
import org.tensorparity.compare.Verdict;
import org.tensorparity.report.FirstDivergence;
import org.tensorparity.report.LayerResult;
import org.tensorparity.report.OutputResult;

/**
 * How a run's verdict follows from what was compared. The outputs (with their task checks) decide: that is
 * what the app sees. Layers agree or not on their own account ({@code layerVerdict}); when they disagree
 * while every output agrees, the run passes with a warning, unless {@link LayerPolicy#FAIL} asks for a
 * confident layer divergence to fail it.
 *
 * @param verdict the run's verdict
 * @param layerVerdict whether every aligned layer agrees and the graphs align; null when layers were not compared
 * @param warning what a disagreeing layer means for this run, in words; null when there is nothing to say
 */
record RunVerdict(Verdict verdict, Verdict layerVerdict, String warning) {
    /**
     * Confidence from which a layer divergence counts as established (see {@link
     * org.tensorparity.align.TensorAligner}): pairs found by their values score 0.7 and up, structural pairs
     * computed directly from their input's partner 0.55 and up, weaker structural guesses below.
     */
    static final double CONFIDENT = 0.5;

    static RunVerdict of(java.util.List<OutputResult> outputs, LayerAnalysis.Outcome layers, LayerPolicy policy) {
        boolean outputsPass = outputs.stream().allMatch(o -> o.verdict() == Verdict.PASS);
        if (layers == null) {
            return new RunVerdict(outputsPass ? Verdict.PASS : Verdict.FAIL, null, null);
        }
        boolean layersPass = !LayerAnalysis.anyFailure(layers);
        Verdict layerVerdict = layersPass ? Verdict.PASS : Verdict.FAIL;
        if (!outputsPass) {
            return new RunVerdict(Verdict.FAIL, layerVerdict, null);
        }
        if (layersPass) {
            return new RunVerdict(Verdict.PASS, layerVerdict, null);
        }
        Optional<LayerResult> confident = confidentDivergence(layers);
        if (policy == LayerPolicy.FAIL && (confident.isPresent() || layers.alignment().failure() != null)) {
            return new RunVerdict(Verdict.FAIL, layerVerdict, null);
        }
        return new RunVerdict(Verdict.PASS, layerVerdict, warning(layers, confident, policy));
    }

    private static Optional<LayerResult> confidentDivergence(LayerAnalysis.Outcome layers) {
        FirstDivergence first = layers.firstDivergence();
        if (first == null) {
            return Optional.empty();
        }
        LayerResult l = layers.layers().get(first.index());
        return l.confidence() >= CONFIDENT ? Optional.of(l) : Optional.empty();
    }

    private static String warning(LayerAnalysis.Outcome layers, Optional<LayerResult> confident, LayerPolicy policy) {
        if (layers.alignment().failure() != null) {
            return "every output agrees, but the graphs could not be compared layer by layer: "
                    + layers.alignment().failure();
        }
        long failing = layers.layers().stream().filter(l -> l.verdict() == Verdict.FAIL).count();
        FirstDivergence first = layers.firstDivergence();
        String where = first == null ? "" : String.format(Locale.ROOT, ", first at '%s' (%s -> %s '%s'): %s", first.onnx(),
                first.onnxOp(), first.tfliteOp(), first.tflite(), first.reason());
        String what = failing + " of " + layers.layers().size() + " aligned layers disagree beyond the layer tolerance"
                + where + ". Every output agrees, so the run passes";
        if (policy == LayerPolicy.FAIL) {
            return what + ": the divergence rests on pairs of low confidence (below " + CONFIDENT + ")";
        }
        return what + (confident.isPresent() ? "; --fail-on-layers makes such a divergence fail" : "");
    }
}
