package org.tensorparity.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorparity.BadInputException;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.SuitePair;
import org.tensorparity.result.SuiteReport;

/**
 * What a suite run (or a merge of its shards) leaves behind: the JSON document, one HTML report per pair
 * beside it ({@code NAME-PAIR.html}), and optionally JUnit XML with a testsuite per pair.
 *
 * @param json the suite's JSON report
 * @param junit JUnit XML, or null
 */
public record SuiteReportFiles(Path json, Path junit) {

    /** Fails on a destination that could not be written, before any pair runs. */
    public void checkWritable() throws BadInputException {
        AtomicFileWriter.checkWritable(json, "suite report");
        AtomicFileWriter.checkWritable(json.resolveSibling(ModelNames.withoutExtension(json.getFileName().toString())
                + "-pair.html"), "HTML report");
        if (junit != null) {
            AtomicFileWriter.checkWritable(junit, "JUnit report");
        }
    }

    /**
     * Writes the report of the pairs finished so far: the JSON document, and the HTML report of the pair that
     * finished last. A failure to write is left to the final {@link #write}, which says what could not be written.
     */
    public void writeFinished(SuiteReport partial) {
        try {
            new JsonReportWriter().writeSuite(partial, json);
            SuitePair last = partial.pairs().get(partial.pairs().size() - 1);
            if (last.report() != null) {
                new HtmlReportWriter().write(last.report(), htmlOf(last));
            }
        } catch (BadInputException e) {
            // Reported when the suite ends.
        }
    }

    private Path htmlOf(SuitePair pair) {
        String base = ModelNames.withoutExtension(json.getFileName().toString());
        return json.resolveSibling(base + "-" + safeFileName(pair.name()) + ".html");
    }

    /** Writes the JSON first, then each pair's HTML report and the JUnit XML, and says what was written where. */
    public List<ReportFiles.Written> write(SuiteReport report) throws BadInputException {
        List<ReportFiles.Written> written = new ArrayList<>();
        new JsonReportWriter().writeSuite(report, json);
        written.add(new ReportFiles.Written("report", json));
        for (SuitePair pair : report.pairs()) {
            if (pair.report() != null) {
                Path html = htmlOf(pair);
                new HtmlReportWriter().write(pair.report(), html);
                written.add(new ReportFiles.Written("html", html));
            }
        }
        if (junit != null) {
            List<ParityReport> reports = report.pairs().stream().map(SuitePair::report).filter(r -> r != null).toList();
            new JUnitXmlWriter().write(reports, junit);
            written.add(new ReportFiles.Written("junit", junit));
        }
        return written;
    }

    /** Pair names come from a user's file: keep file names to a safe alphabet. */
    static String safeFileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe.toLowerCase(Locale.ROOT);
    }

}
