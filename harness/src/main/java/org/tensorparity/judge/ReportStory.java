package org.tensorparity.judge;

import java.util.Comparator;
import java.util.List;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.LayerFindings;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;
import org.tensorparity.text.ShortName;
import org.tensorparity.text.ShortNumber;

/** The one sentence at the top of every report: what happened, and where to look first. */
public final class ReportStory {
    /**
     * Below this |cosine| a tensor has lost its reference's signal. Over the 159 failing float mutants of the real
     * corpus, one converter bug brought every failing output below it (a channel swap deep in GTCRN, at 0.11); none
     * brought its first aligned layer there, which two unrelated files do at once.
     */
    private static final double UNCORRELATED = 0.3;
    /** Inheriting layers a headline names; the layers table has every one. */
    private static final int NAMED_HEIRS = 3;

    private ReportStory() {
    }

    /**
     * @param outOfDomain the ONNX reference overflowed ({@link DomainCheck}): a failure then says so, since
     *     the inputs rather than the conversion are the likely cause
     */
    public static String summarize(RunVerdict decided, List<OutputResult> outputs, LayerFindings layers,
            boolean outOfDomain) {
        String story = story(decided, outputs, layers);
        // What the user must do first leads: inputs outside the model's domain make every later finding moot.
        return outOfDomain && decided.verdict() == Verdict.FAIL ? "The ONNX reference itself overflows: the inputs are"
                + " probably outside the model's domain (see the warnings; --dist, --input). " + story : story;
    }

    private static String story(RunVerdict decided, List<OutputResult> outputs, LayerFindings layers) {
        long failedOutputs = outputs.stream().filter(o -> o.verdict() == Verdict.FAIL).count();
        if (decided.verdict() == Verdict.PASS) {
            if (layers == null) {
                return theOutputs(outputs.size()) + agree(outputs.size()) + " within tolerance (outputs only).";
            }
            if (decided.layerVerdict() == Verdict.PASS) {
                return theOutputs(outputs.size()) + " and " + count(layers.layers().size(), "aligned layer")
                        + " agree within tolerance.";
            }
            long failing = layers.layers().stream().filter(l -> l.verdict() == Verdict.FAIL).count();
            FirstDivergence d = layers.firstDivergence();
            String which = layers.alignment().failure() != null ? "the graphs could not be compared layer by layer"
                    : failing + " of " + count(layers.layers().size(), "aligned layer") + (failing == 1 ? " does" : " do")
                            + " not" + (d == null ? "" : ", first at " + quoted(d.onnx()) + rootCause(d));
            boolean anyDecisive = layers.layers().stream().anyMatch(l -> l.isolated() != null && l.isolated().decisive());
            return theOutputs(outputs.size()) + agree(outputs.size()) + " within tolerance; " + which + (anyDecisive
                    ? " (a warning: --no-fail-on-isolated lets the outputs decide)."
                    : " (a warning: no confidently paired layer breaks its rule by itself).");
        }
        if (failedOutputs == 0 && !decided.decisive().isEmpty()) {
            return computesDifferently(decided.decisive(), layers);
        }
        if (layers != null && layers.alignment().failure() != null) {
            return "Cannot verify layer by layer: " + layers.alignment().failure() + ".";
        }
        if (layers != null && layers.firstDivergence() != null) {
            FirstDivergence d = layers.firstDivergence();
            StringBuilder s = new StringBuilder(unrelated(outputs, layers)).append("Diverges first at ").append(quoted(d.onnx())).append(" (")
                    .append(d.onnxOp()).append(" -> ").append(d.tfliteOp()).append(' ').append(quoted(d.tflite()))
                    .append("): ").append(d.reason());
            s.append(rootCause(d));
            if (d.errorGrowth() != null && Double.isFinite(d.errorGrowth())) {
                s.append("; the error ").append(ShortNumber.growth(d.errorGrowth())).append(" from there to the outputs");
            }
            s.append(failedOutputs == 0 ? "; the outputs still pass (--fail-on-layers)." : "; " + outputsFail(failedOutputs,
                    outputs.size()) + ".");
            return s.toString();
        }
        OutputResult worst = outputs.stream().filter(o -> o.verdict() == Verdict.FAIL)
                .max(Comparator.comparingDouble(o -> o.metrics() == null ? Double.POSITIVE_INFINITY
                        : o.metrics().normalizedMaxError()))
                .orElseThrow();
        if (outputs.size() == 1) {
            return "The output differs beyond tolerance: " + worst.reason() + ".";
        }
        return failedOutputs + " of " + outputs.size() + " outputs differ beyond tolerance; worst is " + quoted(worst.onnx())
                + ": " + worst.reason() + ".";
    }

    /**
     * "Nothing agrees from the first aligned layer on ...: the TFLite file may be another model", when the outputs are
     * uncorrelated with the reference and so is the very first aligned layer: a conversion bug deep in a network
     * leaves the layers above it and some of the outputs' signal intact, a wrong file does not. Empty otherwise.
     */
    private static String unrelated(List<OutputResult> outputs, LayerFindings layers) {
        List<OutputResult> failing = outputs.stream().filter(o -> o.verdict() == Verdict.FAIL && o.metrics() != null).toList();
        FirstDivergence d = layers.firstDivergence();
        // Pairs before it of model inputs (with their transposes) compare the feeds, not what either model computes.
        boolean firstComputed = layers.layers().subList(0, d.index()).stream().allMatch(l -> l.onnxOp().equals("input"));
        LayerResult first = layers.layers().get(d.index());
        if (failing.isEmpty() || !firstComputed || first.metrics() == null) {
            return "";
        }
        double outputCosine = failing.stream().mapToDouble(o -> Math.abs(o.metrics().cosine())).max().orElseThrow();
        double layerCosine = Math.abs(first.metrics().cosine());
        if (!(outputCosine < UNCORRELATED) || !(layerCosine < UNCORRELATED)) {
            return "";
        }
        long unmatched = layers.unmatched().stream().filter(u -> u.model().equals("onnx")).count();
        long onnxLayers = unmatched + layers.layers().stream().map(LayerResult::onnx).distinct().count();
        return "Nothing agrees from the first aligned layer on (cosine " + ShortNumber.format(layerCosine) + ") and the"
                + " outputs are uncorrelated with the reference (cosine " + ShortNumber.format(outputCosine) + ")"
                + (2 * unmatched > onnxLayers ? ", and " + unmatched + " of " + onnxLayers + " ONNX layers have no"
                        + " counterpart" : "")
                + ": the TFLite file may be another model, or hold other weights (else its first layer scrambles"
                + " its own). ";
    }

    /**
     * "The outputs agree on these inputs, but 'X' (Conv -> CONV_2D 'x') computes differently by itself: it adds 0.04
     * of scale alone (...)": a layer whose error the inputs did not carry to the outputs.
     */
    private static String computesDifferently(List<LayerResult> decisive, LayerFindings layers) {
        LayerResult l = decisive.get(0);
        FirstDivergence d = layers.firstDivergence();
        if (d != null && !d.onnx().equals(l.onnx()) && d.inherited().contains(l.onnx())) {
            // The divergence sits above the decisive layer: a pair that lost an operator it should have fused.
            return "The outputs agree on these inputs, but " + quoted(d.onnx()) + " (" + d.onnxOp() + " -> " + d.tfliteOp()
                    + " " + quoted(d.tflite()) + ") computes differently: " + d.reason() + heirs(d.inherited(), d.onnx()) + ".";
        }
        StringBuilder s = new StringBuilder("The outputs agree on these inputs, but ").append(quoted(l.onnx())).append(" (")
                .append(l.onnxOp()).append(" -> ").append(l.tfliteOp()).append(' ').append(quoted(l.tflite()))
                .append(") computes differently by itself: it adds ")
                .append(ShortNumber.format(l.isolated().metrics().normalizedMaxError())).append(" of scale alone (")
                .append(l.isolated().reason()).append(")");
        if (d != null && d.onnx().equals(l.onnx()) && !d.inherited().isEmpty()) {
            s.append(heirs(d.inherited(), d.onnx()));
        }
        if (decisive.size() > 1) {
            s.append("; ").append(decisive.size() - 1).append(decisive.size() == 2 ? " more layer does" : " more layers do");
        }
        return s.append(".").toString();
    }

    /** "; root cause: it adds 0.031 of scale by itself; 'a' and 'b' inherit it" when isolation found the divergence. */
    static String rootCause(FirstDivergence d) {
        if (d.addedError() == null) {
            return "";
        }
        return "; root cause: it adds " + ShortNumber.format(d.addedError()) + " of scale by itself"
                + heirs(d.inherited(), d.onnx());
    }

    /** "; 'a', 'b' and 4 more inherit it", or nothing; each name once, the diverging layer itself left out. */
    private static String heirs(List<String> inherited, String divergence) {
        List<String> heirs = inherited.stream().filter(n -> !n.equals(divergence)).distinct().toList();
        if (heirs.isEmpty()) {
            return "";
        }
        List<String> named = heirs.subList(0, Math.min(NAMED_HEIRS, heirs.size())).stream().map(ReportStory::quoted).toList();
        String list = heirs.size() > NAMED_HEIRS ? String.join(", ", named) + " and " + (heirs.size() - NAMED_HEIRS) + " more"
                : named.size() == 1 ? named.get(0)
                : String.join(", ", named.subList(0, named.size() - 1)) + " and " + named.get(named.size() - 1);
        return "; " + list + (heirs.size() == 1 ? " inherits it" : " inherit it");
    }

    private static String quoted(String name) {
        return ShortName.quoted(name);
    }

    private static String theOutputs(int n) {
        return n == 1 ? "The output" : "All " + n + " outputs";
    }

    private static String agree(int n) {
        return n == 1 ? " agrees" : " agree";
    }

    private static String outputsFail(long failed, int all) {
        return all == 1 ? "the output fails" : failed + " of " + all + " outputs fail";
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
