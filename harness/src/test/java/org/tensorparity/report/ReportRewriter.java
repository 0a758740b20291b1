package org.tensorparity.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorparity.result.ParityReport;

/**
 * The child process of {@link KilledWriteTest}: rewrites one set of reports (JSON, HTML, JUnit XML,
 * Markdown) forever, alternating between two JSON reports, until it is killed.
 */
public final class ReportRewriter {
    private ReportRewriter() {
    }

    /**
     * Arguments: the two JSON reports to alternate between, the folder to write into, and a file to create once
     * the first set is written (from then on every moment is a rewrite of complete reports).
     */
    public static void main(String[] args) throws Exception {
        List<ParityReport> reports = List.of(new JsonReportReader().read(Path.of(args[0])),
                new JsonReportReader().read(Path.of(args[1])));
        Path out = Path.of(args[2]);
        writeAll(reports.get(0), out);
        Files.createFile(Path.of(args[3]));
        for (long round = 1; ; round++) {
            writeAll(reports.get((int) (round % 2)), out);
        }
    }

    /** The four reports of one run, under the names the kill test checks. */
    static void writeAll(ParityReport report, Path dir) throws Exception {
        new JsonReportWriter().write(report, dir.resolve("report.json"));
        new HtmlReportWriter().write(report, dir.resolve("report.html"));
        new JUnitXmlWriter().write(report, dir.resolve("report.xml"));
        new MarkdownSummaryWriter().write(report, dir.resolve("report.md"));
    }
}
