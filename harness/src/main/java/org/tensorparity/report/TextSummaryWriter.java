package org.tensorparity.report;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.tensorparity.backend.RuntimeInfo;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.AlignmentSummary;
import org.tensorparity.result.AppliedRule;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.InputRecord;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.LayoutAnomaly;
import org.tensorparity.result.ModelInfo;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.text.TerminalText;

/** The human-readable table {@code parity verify} prints on stdout. */
public final class TextSummaryWriter {
    private static final int NAME_WIDTH = 32;
    /** Hotspots a terminal summary lists; the JSON and HTML reports have all of them. */
    private static final int HOTSPOT_LINES = 5;

    public void write(ParityReport report, PrintWriter out) {
        out.println(report.verdict().name() + "  " + report.summary());
        var p = report.provenance();
        out.println("  onnx    " + model(p.onnxModel()) + "  " + runtime(p.onnxRuntime()));
        out.println("  tflite  " + model(p.tfliteModel()) + "  " + runtime(p.tfliteRuntime()));
        out.println("  precision  " + report.precision().describe());
        if (!report.failedBy().isEmpty()) {
            out.println("  failed by  " + FailedBy.describe(report));
        }
        out.println();
        out.println("inputs (seed " + report.seed() + ")");
        for (InputRecord in : report.inputs()) {
            out.printf(Locale.ROOT, "  %-" + NAME_WIDTH + "s -> %-" + NAME_WIDTH + "s %s%n",
                    clip(in.onnx()) + " " + in.onnxShape(), clip(in.tflite()) + " " + in.tfliteShape(),
                    "by " + in.bindRule().label() + layoutNote(in.permutation().isIdentity()));
        }
        out.println();
        out.println("outputs (ONNX is the reference; tolerance: " + report.tolerance() + ")");
        out.printf(Locale.ROOT, "  %-" + NAME_WIDTH + "s %-" + NAME_WIDTH + "s %10s %10s %10s %9s  %s%n",
                "ONNX", "TFLite", "max|a-b|", "max|ref|", "norm.err", "cosine", "verdict");
        List<OutputResult> outputs = report.outputs();
        for (OutputResult o : outputs) {
            row(out, o.onnx(), ModelNames.counterpart(o.tflite()), o.metrics(), o.verdict(), o.reason());
            if (!o.rule().text().equals(report.tolerance()) && o.rule() != AppliedRule.NONE) {
                out.println("      judged by: " + printable(o.rule().text()));
            }
            OutputOutcomes.lines(o, report.steps() != null).forEach(line -> out.println("      " + printable(line)));
        }
        if (report.steps() != null) {
            out.println();
            StepTable.lines(report.steps()).forEach(out::println);
        }
        if (report.alignment() != null) {
            writeLayers(report, out);
        }
        if (QuantizationHotspots.leads(report)) {
            writeHotspots(report, out);
        }
        for (String w : report.warnings()) {
            out.println("warning: " + printable(w));
        }
        out.flush();
    }

    private static void row(PrintWriter out, String onnx, String tflite, ErrorMetrics m, Verdict verdict, String reason) {
        if (m == null) {
            out.printf(Locale.ROOT, "  %-" + NAME_WIDTH + "s %-" + NAME_WIDTH + "s %10s %10s %10s %9s  %s%n",
                    clip(onnx), clip(tflite), "-", "-", "-", "-", verdict.id());
        } else {
            out.printf(Locale.ROOT, "  %-" + NAME_WIDTH + "s %-" + NAME_WIDTH + "s %10s %10s %10s %9s  %s%n",
                    clip(onnx), clip(tflite), NumberText.error(m.maxAbs()), NumberText.error(m.scale()),
                    NumberText.error(m.normalizedMaxError()), NumberText.cosine(m.cosine()),
                    verdict.id());
        }
        if (verdict == Verdict.FAIL && !reason.isEmpty()) {
            out.println("      " + printable(reason));
        }
    }

    private static void writeHotspots(ParityReport report, PrintWriter out) {
        out.println();
        out.println("where quantization hurts (error each layer adds, as a share of the signal's RMS, \"shrinks\" when"
                + " less leaves it than came in; SQNR it inherits -> its own)");
        for (QuantizationHotspots.Row h : QuantizationHotspots.rows(report).subList(0,
                Math.min(HOTSPOT_LINES, report.noiseHotspots().size()))) {
            out.printf(Locale.ROOT, "  #%-4d %-" + NAME_WIDTH + "s %-22s %-15s (%s -> %s)  RMSE %s steps, %s clipped%s%n",
                    h.index(), clip(h.onnx()), clip(h.onnxOp() + " -> " + h.tfliteOp()),
                    h.added().startsWith("-") ? "shrinks " + h.added().substring(1) : "adds " + h.added(), h.sqnrIn(), h.sqnrOut(),
                    h.rmseSteps(), h.clipped(), h.aloneRmseSteps().equals("-") ? ""
                            : "; alone " + h.aloneRmseSteps() + " steps RMS, " + h.aloneMaxSteps() + " max");
        }
    }

    private static void writeLayers(ParityReport report, PrintWriter out) {
        AlignmentSummary a = report.alignment();
        long failed = report.layers().stream().filter(l -> l.verdict() == Verdict.FAIL).count();
        out.println();
        long onnxPaired = report.layers().stream().map(LayerResult::onnx).distinct().count();
        long tflitePaired = report.layers().stream().map(LayerResult::tflite).distinct().count();
        // More pairs than tensors on one side reads as a miscount unless it says why.
        String shared = a.pairs() > Math.min(onnxPaired, tflitePaired) ? " (a tensor may pair twice: with a copy and with"
                + " its transpose)" : "";
        out.printf(Locale.ROOT, "layers: %d aligned pairs of %d ONNX and %d TFLite tensors%s, %d fail, %d unmatched tensors;"
                + " tolerance: %s%s%n", a.pairs(), onnxPaired, tflitePaired, shared, failed, report.unmatched().size(),
                report.layerTolerance(), report.isolationTolerance() == null ? ""
                        : "; by itself: " + report.isolationTolerance());
        if (a.failure() != null) {
            out.println("  " + printable(a.failure()));
        }
        if (report.instrumentation() != null && report.instrumentation().memory() != null
                && report.instrumentation().memory().inPasses()) {
            out.println("  " + report.instrumentation().memory().describe());
        }
        long nested = a.inlinedIfs().stream().filter(i -> i.depth() > 0).count();
        a.inlinedIfs().stream().filter(i -> i.depth() == 0).forEach(i -> out.println("  " + printable(i.describe())
                + (nested == 0 ? "" : " (with " + nested + " nested If" + (nested == 1 ? "" : "s") + " inlined too)")));
        a.unrolledLoops().forEach(l -> out.println("  " + printable(l.describe())));
        FirstDivergence d = report.firstDivergence();
        if (d != null) {
            out.println("  first divergence: " + printable(d.onnx()) + " (" + d.onnxOp() + ") <-> " + printable(d.tflite())
                    + " (" + d.tfliteOp() + ")");
            out.println("      " + printable(d.reason()));
            if (d.addedError() != null) {
                out.println("      root cause: it adds " + NumberText.error(d.addedError()) + " of scale by itself"
                        + (d.inherited().isEmpty() ? "" : "; " + d.inherited().size() + " failing layer"
                                + (d.inherited().size() == 1 ? " downstream inherits" : "s downstream inherit") + " it"));
            }
            if (d.diagnosis() != null) {
                out.println("      " + printable(DiagnosisText.likelyCause(d.diagnosis())));
            }
            LayerResult l = report.layers().get(d.index());
            row(out, l.onnx(), l.tflite(), l.metrics(), l.verdict(), "");
        }
        for (LayerResult l : report.layers()) {
            if (l.diagnosis() != null && (d == null || l.index() != d.index())) {
                out.println("  diagnosed " + printable(l.onnx()) + " (" + l.onnxOp() + ") <-> " + printable(l.tflite())
                        + " (" + l.tfliteOp() + "): " + printable(DiagnosisText.likelyCause(l.diagnosis())));
            }
        }
        for (LayoutAnomaly anomaly : report.layoutAnomalies()) {
            out.println("  layout anomaly: " + printable(anomaly.onnx()) + " <-> " + printable(anomaly.tflite()) + ": "
                    + printable(anomaly.description()));
        }
    }

    private static String model(ModelInfo m) {
        return printable(m.path()) + " (" + String.format(Locale.ROOT, "%.1f MB", m.sizeBytes() / 1e6) + ", sha256 "
                + m.sha256().substring(0, 12) + ")";
    }

    private static String runtime(RuntimeInfo r) {
        return r.runtime() + " " + r.version();
    }

    private static String layoutNote(boolean identity) {
        return identity ? "" : ", NCHW->NHWC";
    }

    private static String clip(String name) {
        return TerminalText.clip(name, NAME_WIDTH);
    }

    private static String printable(String s) {
        return TerminalText.printable(s);
    }
}
