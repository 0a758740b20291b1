package org.tensorparity.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tensorparity.BadInputException;
import org.tensorparity.result.ParityReport;
import org.tensorparity.report.JsonReportReader;
import org.tensorparity.report.ReportFiles;
import org.tensorparity.report.ReportFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code parity report}: renders a JSON report again, in any format, without running the models. */
@Command(name = "report",
        subcommands = MergeCommand.class,
        header = "Re-renders a JSON report as HTML, JUnit XML or Markdown.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Renders a JSON report written by 'parity verify' as HTML, JUnit XML or Markdown, without running",
            "the models again. With no format option, writes the HTML report next to the JSON.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  parity report reports/det.json                        # reports/det.html",
            "  parity report reports/det.json --html out/det.html --junit out/det.xml --markdown out/det.md",
            "",
            "Exit codes: 0 written (whatever the report's verdict), 2 not a readable report of this",
            "tool's schema, or a file that cannot be written."
        })
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    // Optional to picocli only so that 'parity report merge ...' reaches its subcommand; required below.
    @Parameters(index = "0", arity = "0..1", paramLabel = "RUN.json", description = "A JSON report written by 'parity verify'.")
    Path json;

    @Mixin
    ReportFormatOptions formats;

    @Override
    public Integer call() throws BadInputException {
        if (json == null) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required parameter: 'RUN.json'");
        }
        ParityReport report = new JsonReportReader().read(json);
        ReportFiles files = formats.anyGiven() ? formats.alone() : ReportFiles.none().with(ReportFormat.HTML, ReportFiles.sibling(json, ".html"));
        ReportFormatOptions.print(files.write(report), spec.commandLine().getOut());
        return ExitCode.PASS.code();
    }
}
