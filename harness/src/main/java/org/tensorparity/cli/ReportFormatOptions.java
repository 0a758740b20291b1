package org.tensorparity.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.tensorparity.BadInputException;
import org.tensorparity.report.ParityReport;
import org.tensorparity.report.format.AtomicFileWriter;
import org.tensorparity.report.format.HtmlReportWriter;
import org.tensorparity.report.format.JUnitXmlWriter;
import org.tensorparity.report.format.MarkdownSummaryWriter;
import picocli.CommandLine.Option;

/** The human and CI formats a report can be written in: shared by {@code verify} and {@code report}. */
final class ReportFormatOptions {
    @Option(names = "--html", paramLabel = "FILE",
            description = "Write the HTML report here (default: next to the JSON report, same name, .html).")
    Path html;

    @Option(names = "--junit", paramLabel = "FILE",
            description = "Also write JUnit XML for CI test reporters: a testsuite for the model pair, a testcase per output and per layer.")
    Path junit;

    @Option(names = "--markdown", paramLabel = "FILE",
            description = "Also write a Markdown summary (verdict, first divergence, worst outputs) for CI step summaries and pull-request comments.")
    Path markdown;

    boolean anyGiven() {
        return html != null || junit != null || markdown != null;
    }

    /**
     * Writes the HTML report (to {@code --html}, else to {@code defaultHtml} unless it is null) and the
     * other requested formats, each atomically, and prints one line per file written.
     */
    void write(ParityReport report, Path defaultHtml, PrintWriter out) throws BadInputException {
        Path htmlPath = html != null ? html : defaultHtml;
        if (htmlPath != null) {
            new HtmlReportWriter().write(report, htmlPath);
            out.println("html: " + htmlPath);
        }
        if (junit != null) {
            new JUnitXmlWriter().write(report, junit);
            out.println("junit: " + junit);
        }
        if (markdown != null) {
            new MarkdownSummaryWriter().write(report, markdown);
            out.println("markdown: " + markdown);
        }
        out.flush();
    }

    /** Fails on any requested file {@link #write} could not write, before anything runs. */
    void checkWritable(Path defaultHtml) throws BadInputException {
        Path htmlPath = html != null ? html : defaultHtml;
        if (htmlPath != null) {
            AtomicFileWriter.checkWritable(htmlPath, "HTML report");
        }
        if (junit != null) {
            AtomicFileWriter.checkWritable(junit, "JUnit report");
        }
        if (markdown != null) {
            AtomicFileWriter.checkWritable(markdown, "Markdown summary");
        }
    }

    /** {@code dir/run.html} for {@code dir/run.json}. */
    static Path siblingHtml(Path json) {
        String name = json.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return json.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".html");
    }
}
