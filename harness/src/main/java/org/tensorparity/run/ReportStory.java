package org.tensorparity.run;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.tensorparity.compare.Verdict;
import org.tensorparity.report.FirstDivergence;
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
            return "All " + outputs.size() + " outputs agree within tolerance; " + which
                    + " (a warning: the outputs decide).";
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

    /** "; root cause: it adds 3.1e-2 by itself; 'a' and 'b' inherit it" when isolation found the divergence. */
    static String rootCause(FirstDivergence d) {
        if (d.addedError() == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "; root cause: it adds %.2g of scale by itself",
                d.addedError()));
        List<String> heirs = d.inherited();
        if (!heirs.isEmpty()) {
            List<String> named = heirs.subList(0, Math.min(3, heirs.size())).stream().map(n -> "'" + n + "'").toList();
            s.append("; ").append(String.join(", ", named))
                    .append(heirs.size() > 3 ? " and " + (heirs.size() - 3) + " more" : "")
                    .append(heirs.size() == 1 ? " inherits it" : " inherit it");
        }
        return s.toString();
    }
}
