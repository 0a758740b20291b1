package org.tensorparity.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.tensorparity.BadInputException;
import org.tensorparity.ParityException;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.report.JsonReportReader;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.ModelInfo;
import org.tensorparity.result.ParityReport;
import org.tensorparity.run.ReproOutcome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parity repro}: the reproducer of an existing report's root cause, from the models still at their paths. */
@Command(name = "repro",
        header = "Cut the root cause of a verify's report out of both models.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Runs the verify that wrote REPORT.json again (its command, from the same folder, on the same",
            "model files: their sha256 must match the report's) and cuts the layer where the two models",
            "part out of both: DIR/repro.onnx, DIR/repro.tflite, DIR/inputs.npz and DIR/README.md with",
            "the one command that reproduces the failure. The bundle is written only when a verify of it",
            "fails as the original run did; otherwise one line says why. With --against, the same cut of",
            "the correct counterpart of one of the models must pass on the same inputs, or no bundle is",
            "written: a cut whose correct counterpart fails too does not isolate the conversion's bug.",
            "No report is written.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  parity repro reports/det.json --out repro/det",
            "  parity repro reports/det.json --out repro/det --against det-good.tflite",
            "",
            "Exit codes: 0 bundle written, 1 no bundle (the reason is printed), 2 not a report of",
            "'parity verify', models changed since, DIR cannot be written, or the --against file cannot be",
            "read, 3 a model could not be run."
        })
public final class ReproCommand implements Callable<Integer> {
    /** Flags of the original command that say where its files went: the run again writes none of them. */
    private static final Set<String> OUTPUT_FLAGS = Set.of("--json", "--report-dir", "--html", "--junit", "--markdown",
            "--model-explorer", "--repro", "--save-inputs");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "REPORT.json", description = "A JSON report written by 'parity verify'.")
    Path json;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Folder for the bundle: new, empty, or holding an earlier bundle.")
    Path out;

    @Option(names = "--against", paramLabel = "GOOD",
            description = "The correct counterpart of one of the report's models (GOOD.tflite: a conversion known to be right; GOOD.onnx: the original the TFLite model was converted from). Its same cut, fed the same inputs, must pass; the README and the terminal say it did.")
    Path against;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    @Override
    public Integer call() throws ParityException {
        ParityReport report = new JsonReportReader().read(json);
        List<String> command = report.provenance().command();
        if (command.size() < 2 || !command.get(0).equals("parity") || !command.get(1).equals("verify")) {
            throw new BadInputException(json + " was not written by 'parity verify' (its command: "
                    + String.join(" ", command) + ")");
        }
        PrintWriter err = spec.commandLine().getErr();
        FirstDivergence first = report.firstDivergence();
        if (first == null) {
            err.println("no reproducer written to " + out + ": " + json + " names no layer where the two models part");
            err.flush();
            return ExitCode.PARITY_VIOLATED.code();
        }
        requireUnchanged(report.provenance().onnxModel(), ModelFormat.ONNX);
        requireUnchanged(report.provenance().tfliteModel(), ModelFormat.TFLITE);
        if (against != null) {
            requireModel(against);
        }

        CommandLine again = ParityCli.create(spec.commandLine().getOut(), err);
        try {
            again.parseArgs(rerun(command).toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new BadInputException(json + ": its command cannot be run again: " + e.getMessage(), e);
        }
        VerifyCommand verify = (VerifyCommand) again.getSubcommands().get("verify").getCommand();
        List<ReproOutcome> outcomes = new ArrayList<>();
        ParityReport rerun = verify.check().repro(out, outcomes::add).reproAgainst(against).run();
        FirstDivergence now = rerun.firstDivergence();
        if (now == null || !now.onnx().equals(first.onnx()) || !now.tflite().equals(first.tflite())) {
            err.println("parity: warning: run again, the models part at " + (now == null ? "no layer"
                    : "'" + now.onnx() + "'") + ", not at '" + first.onnx() + "' as " + json + " says");
        }
        outcomes.forEach(o -> ReproLine.print(o, spec.commandLine().getOut(), err));
        return outcomes.stream().anyMatch(o -> o instanceof ReproOutcome.Written) ? ExitCode.PASS.code()
                : ExitCode.PARITY_VIOLATED.code();
    }

    /** The original arguments without the files it wrote: {@code verify ...}. */
    private static List<String> rerun(List<String> command) {
        List<String> args = new ArrayList<>();
        for (int i = 1; i < command.size(); i++) {
            String a = command.get(i);
            String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (OUTPUT_FLAGS.contains(flag)) {
                if (!a.contains("=")) {
                    i++;
                }
                continue;
            }
            args.add(a);
        }
        return args;
    }

    /** The correct counterpart is an ONNX or TFLite file that can be read, told by its name. */
    private static void requireModel(Path file) throws BadInputException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        if (name.endsWith(ModelFormat.ONNX.extension())) {
            ModelFile.read(file, ModelFormat.ONNX);
        } else if (name.endsWith(ModelFormat.TFLITE.extension())) {
            ModelFile.read(file, ModelFormat.TFLITE);
        } else {
            throw new BadInputException("--against " + file + ": expected an .onnx or a .tflite file");
        }
    }

    /** The model the report names must be the file at its path now: another file has another root cause. */
    private static void requireUnchanged(ModelInfo model, ModelFormat format) throws BadInputException {
        String now = ModelFile.read(Path.of(model.path()), format).ref().sha256();
        if (!now.equals(model.sha256())) {
            throw new BadInputException("model " + model.path() + " changed since the report (sha256 " + now
                    + ", the report says " + model.sha256() + ")");
        }
    }
}
