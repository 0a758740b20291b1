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
    JSON("report", "JSON report") {
        @Override
        public List<Path> write(ParityReport report, Path destination) throws BadInputException {
            new JsonReportWriter().write(report, destination);
            return List.of(destination);
        }
    },
    HTML("html", "HTML report") {
        @Override
        public List<Path> write(ParityReport report, Path destination) throws BadInputException {
            new HtmlReportWriter().write(report, destination);
            return List.of(destination);
        }
    },
    JUNIT("junit", "JUnit report") {
        @Override
        public List<Path> write(ParityReport report, Path destination) throws BadInputException {
            new JUnitXmlWriter().write(report, destination);
            return List.of(destination);
        }
    },
    MARKDOWN("markdown", "Markdown summary") {
        @Override
        public List<Path> write(ParityReport report, Path destination) throws BadInputException {
            new MarkdownSummaryWriter().write(report, destination);
            return List.of(destination);
        }
    },
    /** A folder: node data for each model's graph. */
    MODEL_EXPLORER("model explorer", "Model Explorer node data") {
        @Override
        public List<Path> write(ParityReport report, Path destination) throws BadInputException {
            return new ModelExplorerWriter().write(report, destination, ModelNames.pairName(report));
        }

        @Override
        Path probe(Path destination) {
            return destination.resolve("node-data.json");
        }
    };

    private final String label;
    private final String description;

    ReportFormat(String label, String description) {
        this.label = label;
        this.description = description;
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
    public abstract List<Path> write(ParityReport report, Path destination) throws BadInputException;

    /** The file whose writability stands for {@code destination}'s before the run starts. */
    Path probe(Path destination) {
        return destination;
    }
}
