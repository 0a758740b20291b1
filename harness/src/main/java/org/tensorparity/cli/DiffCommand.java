package org.tensorparity.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tensorparity.BadInputException;
import org.tensorparity.diff.DiffTextWriter;
import org.tensorparity.diff.RunDiff;
import org.tensorparity.diff.RunDiffer;
import org.tensorparity.result.ParityReport;
import org.tensorparity.report.JsonReportReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code parity diff}: which tensors got worse between two runs of the same model pair. */
@Command(name = "diff",
        header = "Lists which tensors got worse between two runs of the same model pair.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Compares two JSON reports of the same model pair (the same ONNX model; the TFLite model may be a",
            "new conversion) tensor by tensor, outputs and layers matched by name, and lists which errors grew",
            "and by how much. The baseline ratchet for CI after a converter or runtime upgrade.",
            "",
            "A tensor got worse when its normalized error max|a-b|/max|ref| exceeds (1 + margin) x",
            "max(old error, floor), or when it passed before and fails now; a layer whose stored integer",
            "weights now differ from the ONNX weights (isolated.weights) fails.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  parity diff baseline/det.json reports/det.json",
            "  parity diff baseline/det.json reports/det.json --margin 0.1 --floor 1e-6",
            "",
            "Exit codes: 0 no tensor got worse beyond the margin, 1 at least one did (or the run now fails),",
            "2 a file that is not a readable report, a newer schemaVersion, or reports of different models."
        })
public final class DiffCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "OLD.json", description = "The baseline report.")
    Path older;

    @Parameters(index = "1", paramLabel = "NEW.json", description = "The report to check against it.")
    Path newer;

    @Option(names = "--margin", paramLabel = "X", defaultValue = "" + RunDiffer.DEFAULT_MARGIN,
            description = "How much a tensor's normalized error may grow, as a fraction: 0.25 allows 25%% (default: ${DEFAULT-VALUE}).")
    double margin;

    @Option(names = "--floor", paramLabel = "X", defaultValue = "" + RunDiffer.DEFAULT_FLOOR,
            description = "Normalized errors below this count as equal to it, so rounding noise never counts as worse (default: ${DEFAULT-VALUE}, ten times float32 rounding noise of a correct conversion).")
    double floor;

    @Override
    public Integer call() throws BadInputException {
        RunDiffer differ;
        try {
            differ = new RunDiffer(margin, floor);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--margin and --floor must be finite, non-negative numbers");
        }
        JsonReportReader reader = new JsonReportReader();
        ParityReport old = reader.read(older);
        ParityReport current = reader.read(newer);
        RunDiff diff = differ.diff(old, current);
        spec.commandLine().getOut().println("diff " + older + " -> " + newer);
        new DiffTextWriter().write(diff, spec.commandLine().getOut());
        return ExitCode.of(diff.verdict()).code();
    }
}
