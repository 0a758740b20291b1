package org.tensorparity.report;

import java.nio.file.Path;
import java.util.List;
import org.tensorparity.BadInputException;
import org.tensorparity.result.ParityReport;

/**
 * The formats one verify's report is written in, in the order they are written (JSON first, so that a run that
 * fails later still leaves its document). A new format is a writer that reads {@link ParityReport} and one constant
 * here; {@link ReportFiles} and the lines a command prints follow from it.
 */
public enum ReportFormat {
    JSON("report", "JSON report", oneFile((r, f) -> new JsonReportWriter().write(r, f))),
    HTML("html", "HTML report", oneFile((r, f) -> new HtmlReportWriter().write(r, f))),
    JUNIT("junit", "JUnit report", oneFile((r, f) -> new JUnitXmlWriter().write(r, f))),
    MARKDOWN("markdown", "Markdown summary", oneFile((r, f) -> new MarkdownSummaryWriter().write(r, f))),
    /** A folder: node data for each model's graph. */
    MODEL_EXPLORER("model explorer", "Model Explorer node data",
            (r, dir) -> new ModelExplorerWriter().write(r, dir, ModelNames.pairName(r))) {
        @Override
        Path probe(Path destination) {
            return destination.resolve("node-data.json");
        }
    };

    /** Writes a report to a destination and returns the files written. */
    private interface Writing {
        List<Path> write(ParityReport report, Path destination) throws BadInputException;
    }

    /** A writer of one file. */
    private interface FileWriting {
        void write(ParityReport report, Path file) throws BadInputException;
    }

    private static Writing oneFile(FileWriting writing) {
        return (report, file) -> {
            writing.write(report, file);
            return List.of(file);
        };
    }

    private final String label;
    private final String description;
    private final Writing writing;

    ReportFormat(String label, String description, Writing writing) {
        this.label = label;
        this.description = description;
        this.writing = writing;
    }

    /** How a command's output line names a file of this format: {@code html: reports/run.html}. */
    public String label() {
        return label;
    }

    /** The format in an error message: {@code cannot write the HTML report ...}. */
    public String description() {
        return description;
    }

    /** Writes {@code report} to {@code destination} atomically; returns the files written. */
    public List<Path> write(ParityReport report, Path destination) throws BadInputException {
        return writing.write(report, destination);
    }

    /** The file whose writability stands for {@code destination}'s before the run starts. */
    Path probe(Path destination) {
        return destination;
    }
}
