package org.tensorparity.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.tensorparity.report.ReportFiles;
import org.tensorparity.report.ReportFormat;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The human and CI formats a report can be written in: shared by {@code verify} and {@code report}. */
final class ReportFormatOptions {
    @Option(names = "--html", paramLabel = "FILE",
            description = "Write the HTML report here (default: next to the JSON report, same name, .html).")
    Path html;

    @Mixin
    JunitOption junit;

    @Option(names = "--markdown", paramLabel = "FILE",
            description = "Also write a Markdown summary (verdict, first divergence, worst outputs) for CI step summaries and pull-request comments.")
    Path markdown;

    @Option(names = "--model-explorer", paramLabel = "DIR",
            description = "Also write Model Explorer node data for both graphs into DIR: each layer's error (accumulated, and isolated where measured), coloured by verdict, and the root cause labelled with its diagnosis, to load beside the ONNX or TFLite model.")
    Path modelExplorer;

    /**
     * {@code base} with the destinations these flags give: {@code --html} replaces its HTML report,
     * {@code --junit}, {@code --markdown} and {@code --model-explorer} add theirs.
     */
    ReportFiles applyTo(ReportFiles base) {
        ReportFiles files = html != null ? base.with(ReportFormat.HTML, html) : base;
        return files.with(ReportFormat.JUNIT, junit.file).with(ReportFormat.MARKDOWN, markdown)
                .with(ReportFormat.MODEL_EXPLORER, modelExplorer);
    }

    /** Only the formats these flags name, with no JSON: what re-rendering a JSON report writes. */
    ReportFiles alone() {
        return applyTo(ReportFiles.none());
    }

    boolean anyGiven() {
        return html != null || junit.file != null || markdown != null || modelExplorer != null;
    }

    /** One line per file written, e.g. {@code html: reports/run.html}. */
    static void print(List<ReportFiles.Written> written, PrintWriter out) {
        for (ReportFiles.Written w : written) {
            out.println(w.kind() + ": " + w.file());
        }
        out.flush();
    }
}
