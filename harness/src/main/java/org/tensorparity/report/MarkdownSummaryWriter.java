package org.tensorparity.report;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.tensorparity.BadInputException;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.ModelInfo;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.Provenance;
import org.tensorparity.text.ShortName;
import org.tensorparity.text.ShortNumber;

/**
 * A short Markdown summary of a report, for CI step summaries ({@code $GITHUB_STEP_SUMMARY}) and
 * pull-request comments: the verdict and its story, the first divergence, the worst outputs. It holds no
 * link (a comment outlives the CI artifacts it could point to), and every model-derived string is
 * escaped or in a code span (see {@link MarkdownText}).
 */
public final class MarkdownSummaryWriter {
    /** Outputs listed in the table, worst first; a model with more says how many were left out. */
    static final int OUTPUTS_LISTED = 10;
    /**
     * Characters of a name a table cell shows; a longer name loses its middle, since fused TFLite names share a
     * long prefix and differ at the end.
     */
    static final int NAME_WIDTH = 48;

    public void write(ParityReport report, Path target) throws BadInputException {
        AtomicFileWriter.write(target, "Markdown summary", out -> {
            PrintWriter w = new PrintWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)));
            w.print(render(report));
            w.flush();
        });
    }

    public String render(ParityReport r) {
        Provenance p = r.provenance();
        StringBuilder md = new StringBuilder();
        md.append("### tensor-parity: ").append(r.verdict() == Verdict.PASS ? "PASS" : "FAIL").append("\n\n");
        md.append(MarkdownText.text(r.summary(), false)).append("\n\n");
        if (!r.failedBy().isEmpty()) {
            md.append("- **Failed by:** ").append(MarkdownText.text(FailedBy.describe(r), false)).append('\n');
        }
        md.append("- **Models:** ONNX ").append(model(p.onnxModel())).append(", TFLite ").append(model(p.tfliteModel()))
                .append('\n');
        FirstDivergence d = r.firstDivergence();
        if (d != null) {
            md.append("- **First divergence:** layer ").append(d.index()).append(", ONNX ").append(MarkdownText.code(d.onnx(), false))
                    .append(" (").append(MarkdownText.text(d.onnxOp(), false)).append(") and TFLite ")
                    .append(MarkdownText.code(d.tflite(), false)).append(" (").append(MarkdownText.text(d.tfliteOp(), false)).append(')');
            if (d.errorGrowth() != null) {
                md.append("; the error ").append(ShortNumber.growth(d.errorGrowth())).append(" from there to the worst output");
            }
            if (d.addedError() != null) {
                md.append("; the root cause: it adds ").append(NumberText.error(d.addedError())).append(" of scale by itself");
                if (!d.inherited().isEmpty()) {
                    md.append(", and ").append(d.inherited().size()).append(" failing layer")
                            .append(d.inherited().size() == 1 ? " downstream inherits" : "s downstream inherit").append(" it");
                }
            }
            md.append("\n  - ").append(MarkdownText.text(d.reason(), false)).append('\n');
            if (d.diagnosis() != null) {
                md.append("  - ").append(MarkdownText.text(DiagnosisText.likelyCause(d.diagnosis()), false)).append('\n');
            }
        }
        for (LayerResult l : r.layers()) {
            if (l.diagnosis() != null && (d == null || l.index() != d.index())) {
                md.append("- **Diagnosed** ").append(MarkdownText.code(l.onnx(), false)).append(": ")
                        .append(MarkdownText.text(DiagnosisText.likelyCause(l.diagnosis()), false)).append('\n');
            }
        }
        if (r.alignment() != null) {
            long failing = r.layers().stream().filter(l -> l.verdict() == Verdict.FAIL).count();
            md.append("- **Layers:** ").append(failing).append(" of ").append(r.layers().size())
                    .append(" aligned pairs fail; ").append(r.unmatched().size()).append(" tensors unmatched");
            if (!r.layoutAnomalies().isEmpty()) {
                md.append("; ").append(r.layoutAnomalies().size()).append(" layout anomal")
                        .append(r.layoutAnomalies().size() == 1 ? "y" : "ies");
            }
            md.append('\n');
            if (r.alignment().failure() != null) {
                md.append("- **Alignment:** ").append(MarkdownText.text(r.alignment().failure(), false)).append('\n');
            }
        } else {
            md.append("- **Layers:** not compared (outputs only)\n");
        }
        md.append("- **TFLite precision:** ").append(MarkdownText.text(r.precision().describe(), false)).append('\n');
        md.append("- **Run:** seed ").append(r.seed()).append("; ").append(MarkdownText.text(r.tolerance(), false)).append("; ")
                .append(MarkdownText.text(p.onnxRuntime().runtime() + " " + p.onnxRuntime().version() + ", "
                        + p.tfliteRuntime().runtime() + " " + p.tfliteRuntime().version() + " "
                        + settings(p.tfliteRuntime().settings()), false));
        if (p.runId() != null) {
            // The run id ties this comment to the JSON, HTML and JUnit files written by the same run.
            md.append("; run `").append(p.runId()).append('`');
        }
        md.append('\n');
        for (String w : r.warnings()) {
            md.append("- **Warning:** ").append(MarkdownText.text(w, false)).append('\n');
        }
        md.append('\n');
        outputs(r.outputs(), md);
        if (QuantizationHotspots.leads(r)) {
            hotspots(r, md);
        }
        return md.toString();
    }

    private static void hotspots(ParityReport r, StringBuilder md) {
        md.append("\n**Where quantization hurts** (error each layer adds, as a share of the signal's RMS; negative when less"
                + " leaves it than came in)\n\n");
        md.append("| # | ONNX tensor | ops | adds | SQNR in -> out | RMSE (steps) | clipped | alone: RMSE / max (steps) |\n");
        md.append("|---:|---|---|---:|---|---:|---:|---:|\n");
        for (QuantizationHotspots.Row h : QuantizationHotspots.rows(r)) {
            md.append("| ").append(h.index()).append(" | ").append(nameCell(h.onnx())).append(" | ")
                    .append(MarkdownText.text(h.onnxOp() + " -> " + h.tfliteOp(), true)).append(" | ").append(h.added())
                    .append(" | ").append(h.sqnrIn()).append(" -> ").append(h.sqnrOut()).append(" | ")
                    .append(h.rmseSteps()).append(" | ").append(h.clipped()).append(" | ").append(h.aloneRmseSteps())
                    .append(" / ").append(h.aloneMaxSteps()).append(" |\n");
        }
    }

    private static void outputs(List<OutputResult> outputs, StringBuilder md) {
        if (outputs.isEmpty()) {
            return;
        }
        md.append("| ONNX output | TFLite output | max \\|a-b\\| | normalized | cosine | verdict |\n");
        md.append("|---|---|---:|---:|---:|---|\n");
        List<OutputResult> worstFirst = outputs.stream().sorted(Comparator.comparingDouble(
                (OutputResult o) -> o.metrics() == null ? Double.POSITIVE_INFINITY : o.metrics().normalizedMaxError())
                .reversed()).toList();
        for (OutputResult o : worstFirst.subList(0, Math.min(OUTPUTS_LISTED, worstFirst.size()))) {
            ErrorMetrics m = o.metrics();
            md.append("| ").append(nameCell(o.onnx())).append(" | ").append(nameCell(ModelNames.counterpart(o.tflite())))
                    .append(" | ").append(m == null ? "-" : NumberText.error(m.maxAbs()))
                    .append(" | ").append(m == null ? "-" : NumberText.error(m.normalizedMaxError()))
                    .append(" | ").append(m == null ? "-" : NumberText.cosine(m.cosine()))
                    .append(" | ").append(o.verdict() == Verdict.PASS ? o.verdict().id() : "**" + o.verdict().id() + "**").append(" |\n");
        }
        if (worstFirst.size() > OUTPUTS_LISTED) {
            md.append("\n").append(worstFirst.size() - OUTPUTS_LISTED).append(" more outputs, all no worse than those above.\n");
        }
        for (OutputResult o : outputs) {
            for (String line : OutputOutcomes.lines(o)) {
                md.append("\n").append(MarkdownText.code(o.onnx(), false)).append(": ").append(MarkdownText.text(line, false))
                        .append('\n');
            }
        }
    }

    private static String nameCell(String name) {
        return MarkdownText.code(ShortName.of(name, NAME_WIDTH, "…"), true);
    }

    private static String model(ModelInfo m) {
        return MarkdownText.code(ModelNames.fileName(m.path()), false) + " (sha256 " + MarkdownText.code(m.sha256().substring(0, Math.min(12,
                m.sha256().length())), false) + ")";
    }

    private static String settings(Map<String, String> settings) {
        return settings.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .filter(e -> e.getKey().equals("delegate") || e.getKey().equals("threads"))
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ", "(", ")"));
    }
}
