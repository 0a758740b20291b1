package org.tensorparity.run;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.tensorparity.compare.Verdict;
import org.tensorparity.report.FirstDivergence;
import org.tensorparity.report.LayerResult;
import org.tensorparity.report.OutputResult;

/** The one sentence at the top of every report: what happened, and where to look first. */
final class ReportStory {
    private ReportStory() {
    }

    /**
     * @param outOfDomain the ONNX reference overflowed ({@link DomainCheck}): a failure then says so, since
     *     the inputs rather than the conversion are the likely cause
     */
    static String summarize(RunVerdict decided, List<OutputResult> outputs, LayerAnalysis.Outcome layers,
            boolean outOfDomain) {
        String story = story(decided, outputs, layers);
        return outOfDomain && decided.verdict() == Verdict.FAIL ? story + " The ONNX reference itself overflows: the"
                + " inputs are probably outside the model's domain (see the warnings; --dist, --input)." : story;
    }

    private static String story(RunVerdict decided, List<OutputResult> outputs, LayerAnalysis.Outcome layers) {
        long failedOutputs = outputs.stream().filter(o -> o.verdict() == Verdict.FAIL).count();
        if (decided.verdict() == Verdict.PASS) {
            if (layers == null) {
                return "All " + outputs.size() + " outputs agree within tolerance (outputs only).";
            }
            if (decided.layerVerdict() == Verdict.PASS) {
                return "All " + outputs.size() + " outputs and " + layers.layers().size()
                        + " aligned layers agree within tolerance.";
            }
            long failing = layers.layers().stream().filter(l -> l.verdict() == Verdict.FAIL).count();
            FirstDivergence d = layers.firstDivergence();
            String which = layers.alignment().failure() != null ? "the graphs could not be compared layer by layer"
                    : failing + " of " + layers.layers().size() + " aligned layers do not"
                            + (d == null ? "" : ", first at '" + d.onnx() + "'" + rootCause(d));
            boolean anyDecisive = layers.layers().stream().anyMatch(l -> l.isolated() != null && l.isolated().decisive());
            return "All " + outputs.size() + " outputs agree within tolerance; " + which + (anyDecisive
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
            StringBuilder s = new StringBuilder("Diverges first at '").append(d.onnx()).append("' (")
                    .append(d.onnxOp()).append(" -> ").append(d.tfliteOp()).append(" '").append(d.tflite())
                    .append("'): ").append(d.reason());
            s.append(rootCause(d));
            if (d.errorGrowth() != null && Double.isFinite(d.errorGrowth())) {
                s.append(String.format(Locale.ROOT, "; error x%.3g from there to the outputs", d.errorGrowth()));
            }
            s.append(failedOutputs == 0 ? "; the outputs still pass (--fail-on-layers)." : "; " + failedOutputs + " of "
                    + outputs.size() + " outputs fail.");
            return s.toString();
        }
        OutputResult worst = outputs.stream().filter(o -> o.verdict() == Verdict.FAIL)
                .max(Comparator.comparingDouble(o -> o.metrics() == null ? Double.POSITIVE_INFINITY
                        : o.metrics().normalizedMaxError()))
                .orElseThrow();
        return failedOutputs + " of " + outputs.size() + " outputs differ beyond tolerance; worst is '" + worst.onnx()
                + "': " + worst.reason() + ".";
    }

    /**
     * "The outputs agree on these inputs, but 'X' (Conv -> CONV_2D 'x') computes differently by itself: it adds 0.04
     * of scale alone (...)": a layer whose error the inputs did not carry to the outputs.
     */
    private static String computesDifferently(List<LayerResult> decisive, LayerAnalysis.Outcome layers) {
        LayerResult l = decisive.get(0);
        FirstDivergence d = layers.firstDivergence();
        if (d != null && !d.onnx().equals(l.onnx()) && d.inherited().contains(l.onnx())) {
            // The divergence sits above the decisive layer: a pair that lost an operator it should have fused.
            return "The outputs agree on these inputs, but '" + d.onnx() + "' (" + d.onnxOp() + " -> " + d.tfliteOp() + " '"
                    + d.tflite() + "') computes differently: " + d.reason() + heirs(d.inherited()) + ".";
        }
        StringBuilder s = new StringBuilder("The outputs agree on these inputs, but '").append(l.onnx()).append("' (")
                .append(l.onnxOp()).append(" -> ").append(l.tfliteOp()).append(" '").append(l.tflite())
                .append("') computes differently by itself: ")
                .append(String.format(Locale.ROOT, "it adds %.2g of scale alone", l.isolated().metrics().normalizedMaxError()))
                .append(" (").append(l.isolated().reason()).append(")");
        if (d != null && d.onnx().equals(l.onnx()) && !d.inherited().isEmpty()) {
            s.append(heirs(d.inherited()));
        }
        if (decisive.size() > 1) {
            s.append("; ").append(decisive.size() - 1).append(decisive.size() == 2 ? " more layer does" : " more layers do");
        }
        return s.append(".").toString();
    }

    /** "; root cause: it adds 3.1e-2 by itself; 'a' and 'b' inherit it" when isolation found the divergence. */
    static String rootCause(FirstDivergence d) {
        if (d.addedError() == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "; root cause: it adds %.2g of scale by itself",
                d.addedError()));
        return s.append(heirs(d.inherited())).toString();
    }

    /** "; 'a', 'b' and 4 more inherit it", or nothing. */
    private static String heirs(List<String> heirs) {
        if (heirs.isEmpty()) {
            return "";
        }
        List<String> named = heirs.subList(0, Math.min(3, heirs.size())).stream().map(n -> "'" + n + "'").toList();
        return "; " + String.join(", ", named) + (heirs.size() > 3 ? " and " + (heirs.size() - 3) + " more" : "")
                + (heirs.size() == 1 ? " inherits it" : " inherit it");
    }
}
