package org.tensorparity.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.tensorparity.BadInputException;
import org.tensorparity.report.ParityReport;
import org.tensorparity.report.SuitePair;
import org.tensorparity.report.SuiteReport;
import org.tensorparity.report.format.HtmlReportWriter;
import org.tensorparity.report.format.JUnitXmlWriter;
import org.tensorparity.report.format.JsonReportWriter;

/**
 * Writes what a suite run leaves behind: the JSON document, one HTML report per pair beside it
 * ({@code NAME-PAIR.html}), and optionally JUnit XML with a testsuite per pair. Shared by {@code suite}
 * and {@code report merge}.
 */
final class SuiteOutputs {
    private SuiteOutputs() {
    }

    static void write(SuiteReport report, Path json, Path junit, PrintWriter out) throws BadInputException {
        new JsonReportWriter().writeSuite(report, json);
        out.println("report: " + json);
        String base = stripExtension(json.getFileName().toString());
        for (SuitePair pair : report.pairs()) {
            if (pair.report() != null) {
                Path html = json.resolveSibling(base + "-" + safeFileName(pair.name()) + ".html");
                new HtmlReportWriter().write(pair.report(), html);
                out.println("html: " + html);
            }
        }
        if (junit != null) {
            List<ParityReport> reports = report.pairs().stream().map(SuitePair::report).filter(r -> r != null).toList();
            new JUnitXmlWriter().write(reports, junit);
            out.println("junit: " + junit);
        }
        out.flush();
    }

    /** Pair names come from a user's file: keep file names to a safe alphabet. */
    static String safeFileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe.toLowerCase(Locale.ROOT);
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
