package org.tensorparity.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tensorparity.BadInputException;
import org.tensorparity.result.ParityReport;

/**
 * Where one verify's reports go, each written atomically: the JSON document, the HTML report, and
 * optionally JUnit XML and a Markdown summary. A null destination is not written.
 *
 * @param json the JSON report
 * @param html the HTML report
 * @param junit JUnit XML for CI test reporters
 * @param markdown a Markdown summary for CI step summaries and pull-request comments
 * @param modelExplorer a folder for Model Explorer node data of both graphs ({@link ModelExplorerWriter})
 */
public record ReportFiles(Path json, Path html, Path junit, Path markdown, Path modelExplorer) {

    /** One file written, for the line a command prints about it. */
    public record Written(String kind, Path file) {
    }

    /**
     * The JSON report at {@code json} and the HTML report beside it ({@code run.json} -> {@code run.html}); none
     * beside a device or a pipe ({@code --json /dev/null} must not create {@code /dev/null.html}).
     */
    public static ReportFiles beside(Path json) {
        return new ReportFiles(json, AtomicFileWriter.isStream(json) ? null : sibling(json, ".html"), null, null, null);
    }

    /** {@code DIR/NAME.json} and {@code DIR/NAME.html}, NAME being the file name of {@code model} without its extension. */
    public static ReportFiles inDirectory(Path dir, Path model) {
        String name = model.getFileName() == null ? "report" : model.getFileName().toString();
        return beside(dir.resolve(ModelNames.withoutExtension(name) + ".json"));
    }

    /** {@code dir/run.html} for {@code dir/run.json} and {@code ".html"}: another format of the same report beside it. */
    public static Path sibling(Path json, String extension) {
        return json.resolveSibling(ModelNames.withoutExtension(json.getFileName().toString()) + extension);
    }

    public ReportFiles withHtml(Path file) {
        return new ReportFiles(json, file, junit, markdown, modelExplorer);
    }

    public ReportFiles withJunit(Path file) {
        return new ReportFiles(json, html, file, markdown, modelExplorer);
    }

    public ReportFiles withMarkdown(Path file) {
        return new ReportFiles(json, html, junit, file, modelExplorer);
    }

    public ReportFiles withModelExplorer(Path dir) {
        return new ReportFiles(json, html, junit, markdown, dir);
    }

    /** Fails on any destination that could not be written, so that a run does not end without its report. */
    public void checkWritable() throws BadInputException {
        if (json != null) {
            AtomicFileWriter.checkWritable(json, "JSON report");
        }
        if (html != null) {
            AtomicFileWriter.checkWritable(html, "HTML report");
        }
        if (junit != null) {
            AtomicFileWriter.checkWritable(junit, "JUnit report");
        }
        if (markdown != null) {
            AtomicFileWriter.checkWritable(markdown, "Markdown summary");
        }
        if (modelExplorer != null) {
            AtomicFileWriter.checkWritable(modelExplorer.resolve("node-data.json"), "Model Explorer node data");
        }
    }

    /** Writes every destination that is set, JSON first, and says what was written where. */
    public List<Written> write(ParityReport report) throws BadInputException {
        List<Written> written = new ArrayList<>();
        if (json != null) {
            new JsonReportWriter().write(report, json);
            written.add(new Written("report", json));
        }
        if (html != null) {
            new HtmlReportWriter().write(report, html);
            written.add(new Written("html", html));
        }
        if (junit != null) {
            new JUnitXmlWriter().write(report, junit);
            written.add(new Written("junit", junit));
        }
        if (markdown != null) {
            new MarkdownSummaryWriter().write(report, markdown);
            written.add(new Written("markdown", markdown));
        }
        if (modelExplorer != null) {
            for (Path file : new ModelExplorerWriter().write(report, modelExplorer, ModelNames.pairName(report))) {
                written.add(new Written("model explorer", file));
            }
        }
        return written;
    }
}
