package org.tensorparity.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.tensorparity.BadInputException;
import org.tensorparity.compare.Verdict;
import org.tensorparity.report.ParityReport;
import org.tensorparity.report.SuitePair;
import org.tensorparity.report.SuiteReport;
import org.tensorparity.report.format.JsonReportReader;
import picocli.CommandLine.Command;
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

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write JUnit XML, a testsuite per pair.")
    Path junit;

    @Override
    public Integer call() throws BadInputException {
        JsonReportReader reader = new JsonReportReader();
        String suite = null;
        List<SuitePair> pairs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> shardLabels = new java.util.TreeSet<>();
        Integer shardCount = null;
        for (Path shard : shards) {
            SuiteReport part = reader.readSuite(shard);
            if (part.shard() == null) {
                throw new BadInputException(shard + " is not a shard report (no \"shard\"; written without --shard)");
            }
            int n = Integer.parseInt(part.shard().substring(part.shard().indexOf('/') + 1));
            if (shardCount != null && shardCount != n) {
                throw new BadInputException(shard + " is shard " + part.shard() + ", but other reports are shards of " + shardCount);
            }
            shardCount = n;
            if (!shardLabels.add(part.shard())) {
                throw new BadInputException(shard + ": shard " + part.shard() + " is given twice");
            }
            if (suite == null) {
                suite = part.suite();
            } else if (!suite.equals(part.suite())) {
                throw new BadInputException(shard + " is a report of suite " + part.suite() + ", not of " + suite);
            }
            for (SuitePair pair : part.pairs()) {
                if (!seen.add(pair.name())) {
                    throw new BadInputException(shard + ": pair '" + pair.name() + "' is in more than one shard");
                }
                pairs.add(pair);
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= shardCount; i++) {
            if (!shardLabels.contains(i + "/" + shardCount)) {
                missing.add(i + "/" + shardCount);
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException("shard" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + " missing: a merged report must cover the whole suite");
        }
        List<String> failing = pairs.stream().filter(p -> p.report() == null || p.report().verdict() == Verdict.FAIL)
                .map(SuitePair::name).toList();
        Verdict verdict = failing.isEmpty() ? Verdict.PASS : Verdict.FAIL;
        String summary = failing.isEmpty() ? "All " + pairs.size() + " pairs pass (merged from " + shards.size() + " shards)."
                : failing.size() + " of " + pairs.size() + " pairs fail: " + String.join(", ", failing) + ".";
        SuiteReport merged = new SuiteReport(ParityReport.SCHEMA_VERSION, "suite", verdict, summary, suite, null, pairs);
        spec.commandLine().getOut().println("suite " + verdict.name() + ": " + summary);
        SuiteOutputs.write(merged, json, junit, spec.commandLine().getOut());
        return ExitCode.of(verdict).code();
    }
}
