package org.tensorparity.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorparity.ParityException;
import org.tensorparity.result.SuitePair;
import org.tensorparity.result.SuiteReport;
import org.tensorparity.report.SuiteReportFiles;
import org.tensorparity.report.TextSummaryWriter;
import org.tensorparity.run.ReproOutcome;
import org.tensorparity.run.SuiteRunner;
import org.tensorparity.suite.SuiteFile;
import org.tensorparity.text.TerminalText;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code parity suite}: verify every pair of a suite file, stages included, with one verdict. */
@Command(name = "suite",
        header = "Verify every pair of a suite file, stages included, with one verdict.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Verifies every model pair of a suite file (YAML or JSON; see the README's suites section).",
            "Stages feed one pair's outputs to another pair's inputs: the ONNX outputs to the ONNX model and",
            "the TFLite outputs to the TFLite model, so upstream error propagates as it does on the phone. A",
            "pair that cannot be loaded, bound or run is reported as that pair's failure and the others run.",
            "Writes one JSON document with a verify report per pair, rewritten as each pair finishes, and an",
            "HTML report per pair beside it.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  parity suite fixtures/dasiamrpn.suite.yaml",
            "  parity suite zoo.yaml --shard 2/8 --json out/shard-2.json --outputs-only",
            "  parity suite zoo.yaml --repro repro      # repro/PAIR: a bug reproducer per failing pair",
            "",
            "Exit codes: the worst pair's, 3 (a model cannot be loaded or run) above 1 (parity violated) above",
            "2 (a pair's input cannot be bound) above 0; 2 also for a bad suite file, a missing model or an",
            "unknown input or output name, or a --repro DIR that cannot be written, and then nothing is run."
        })
public final class SuiteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SUITE", description = "The suite file (.yaml, .yml or .json).")
    Path suiteFile;

    @Option(names = "--shard", paramLabel = "I/N", description = "Run only shard I of N (1-based): a deterministic subset that keeps staged pairs together.")
    String shard;

    @Option(names = "--jobs", paramLabel = "N",
            description = "Verify up to N pairs at once, each as soon as the pairs its stages read from are done (1 to 256; default: one per core, at most one per 1.5 GB of available memory). The reports are the same whatever N. Pairs running at once each hold their own models and layers in memory; a pair that runs out of memory beside others is run again alone.")
    Integer jobs;

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    LayerVerdictOptions verdict;

    @Mixin
    ReportDestinationOptions destination;

    @Mixin
    JunitOption junit;

    @Option(names = "--repro", paramLabel = "DIR",
            description = "For each failing pair with a layer that computes differently by itself, cut it out of both models into DIR/PAIR (as 'parity verify --repro' does), written only if a verify of the cut fails the same way; otherwise one line says why.")
    Path repro;

    @Mixin
    VerboseOption verbose;

    @Override
    public Integer call() throws ParityException {
        int[] shardOf = shard == null ? null : parseShard();
        if (jobs != null && (jobs < 1 || jobs > SuiteRunner.MAX_JOBS)) {
            throw new ParameterException(spec.commandLine(), "--jobs " + jobs + ": expected 1 to " + SuiteRunner.MAX_JOBS);
        }
        int pairsAtOnce = jobs == null ? SuiteRunner.defaultJobs() : jobs;
        SuiteFile suite = SuiteFile.read(suiteFile);
        String shardLabel = null;
        if (shardOf != null) {
            suite = suite.shard(shardOf[0], shardOf[1]);
            shardLabel = shardOf[0] + "/" + shardOf[1];
        }
        List<String> command = new ArrayList<>(List.of("parity"));
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        Path jsonPath = destination.json != null ? destination.json
                : destination.reportDir.resolve(baseName(suiteFile) + ".json");
        SuiteReportFiles files = new SuiteReportFiles(jsonPath, junit.file);
        files.checkWritable();
        // Each pair's reports and the suite's index are written as soon as the pair is done: a suite killed late
        // keeps what it finished.
        Map<String, ReproOutcome> reproduced = new ConcurrentHashMap<>();
        SuiteReport report = new SuiteRunner(pairsAtOnce).reproducingInto(repro, reproduced::put).run(suite, runtime.settings(spec), !verdict.outputsOnly,
                verdict.policy(spec), verdict.isolate, verdict.maxMemory(spec), command, shardLabel, files::writeFinished);

        PrintWriter out = spec.commandLine().getOut();
        for (SuitePair pair : report.pairs()) {
            out.println("== " + pair.name() + (pair.stagedFrom().isEmpty() ? "" : "  (" + String.join(", ", pair.stagedFrom()) + ")"));
            if (pair.report() == null) {
                out.println("FAIL  not run: " + pair.notRun());
            } else {
                new TextSummaryWriter().write(pair.report(), out);
            }
            printRepro(pair, reproduced.get(pair.name()));
            out.println();
        }
        out.println("suite " + report.verdict().name() + ": " + report.summary());
        ReportFormatOptions.print(files.write(report), out);
        return report.exitCode();
    }

    /** A failing pair's reproducer line; a passing pair has nothing to cut and gets none. */
    private void printRepro(SuitePair pair, ReproOutcome outcome) {
        if (repro == null || (pair.exitCode() == 0 && !(outcome instanceof ReproOutcome.Written))) {
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        if (outcome == null) {
            err.println("no reproducer for pair '" + TerminalText.printable(pair.name()) + "': it was not verified");
            err.flush();
        } else {
            ReproLine.print(outcome, spec.commandLine().getOut(), err);
        }
    }

    private int[] parseShard() {
        String[] parts = shard.split("/");
        try {
            int i = Integer.parseInt(parts[0].trim());
            int n = Integer.parseInt(parts[1].trim());
            if (parts.length != 2 || n < 1 || i < 1 || i > n) {
                throw new NumberFormatException();
            }
            return new int[] {i, n};
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--shard " + shard + ": expected I/N with 1 <= I <= N, e.g. 2/8");
        }
    }

    private static String baseName(Path file) {
        String name = file.getFileName() == null ? "suite" : file.getFileName().toString();
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
