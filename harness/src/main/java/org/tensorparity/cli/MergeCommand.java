package org.tensorparity.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tensorparity.BadInputException;
import org.tensorparity.result.SuiteReport;
import org.tensorparity.report.JsonReportReader;
import org.tensorparity.report.SuiteReportFiles;
import org.tensorparity.run.ShardMerger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parity report merge}: join the shard reports of one suite into one report. */
@Command(name = "merge",
        header = "Merge the shard reports of one suite run into one report.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Merges the JSON reports of 'parity suite --shard i/n' runs of one suite into one report, with",
            "an HTML report per pair beside it, and exits with the merged verdict.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  parity report merge shard-*.json --json zoo.json --junit zoo.xml",
            "",
            "Exit codes: 0 every pair passes, 1 a pair fails, 2 a file that is not a shard report, shards of",
            "different suites, a shard given twice or missing, or a pair in two shards."
        })
public final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "SHARD.json", description = "Suite reports written by 'parity suite'.")
    List<Path> shards;

    @Option(names = "--json", required = true, paramLabel = "FILE", description = "Where the merged report goes.")
    Path json;

    @Mixin
    JunitOption junit;

    @Override
    public Integer call() throws BadInputException {
        JsonReportReader reader = new JsonReportReader();
        List<ShardMerger.Shard> parts = new ArrayList<>();
        for (Path shard : shards) {
            parts.add(new ShardMerger.Shard(shard.toString(), reader.readSuite(shard)));
        }
        SuiteReport merged = ShardMerger.merge(parts);
        spec.commandLine().getOut().println("suite " + merged.verdict().name() + ": " + merged.summary());
        ReportFormatOptions.print(new SuiteReportFiles(json, junit.file).write(merged), spec.commandLine().getOut());
        return ExitCode.of(merged.verdict()).code();
    }
}
