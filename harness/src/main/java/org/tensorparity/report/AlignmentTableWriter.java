package org.tensorparity.report;

import java.io.PrintWriter;
import java.util.Locale;
import org.tensorparity.align.UnmatchedTensor;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.text.TerminalText;

/**
 * How two graphs aligned, as a terminal table: each ONNX activation with its TFLite counterpart, the layout
 * permutation, a confidence and the evidence, then every tensor without a counterpart and why.
 */
public final class AlignmentTableWriter {

    public void write(ParityReport report, PrintWriter out) {
        out.printf(Locale.ROOT, "%-4s %-36s %-36s %-14s %5s  %s%n", "#", "ONNX", "TFLite", "layout", "conf", "evidence");
        for (LayerResult l : report.layers()) {
            out.printf(Locale.ROOT, "%-4d %-36s %-36s %-14s %5.2f  %s%n", l.index(), TerminalText.clip(l.onnx(), 36),
                    TerminalText.clip(l.tflite(), 36), l.permutation() == null ? "shape differs" : l.permutation().toString(),
                    l.confidence(), TerminalText.printable(String.join("; ", l.evidence())));
        }
        out.println();
        out.println("unmatched:");
        for (UnmatchedTensor u : report.unmatched()) {
            out.printf(Locale.ROOT, "  %-6s %-40s %-22s %s%n", u.model(), TerminalText.clip(u.name(), 40),
                    u.reason().name().toLowerCase(Locale.ROOT), TerminalText.printable(u.detail()));
        }
        report.alignment().inlinedIfs().forEach(i -> out.println("note: " + TerminalText.printable(i.describe())));
        report.alignment().unrolledLoops().forEach(l -> out.println("note: " + TerminalText.printable(l.describe())));
        for (String note : report.alignment().notes()) {
            out.println("note: " + TerminalText.printable(note));
        }
        out.flush();
    }
}
