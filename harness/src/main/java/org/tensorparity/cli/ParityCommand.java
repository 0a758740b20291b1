package org.tensorparity.cli;

import picocli.CommandLine.Command;

/** The top-level {@code parity} command; the work is in its subcommands. */
@Command(name = "parity",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {VerifyCommand.class, AlignCommand.class, SuiteCommand.class, ReportCommand.class, DiffCommand.class,
            picocli.CommandLine.HelpCommand.class},
        description = {
            "Proves that a converted TFLite model computes what its ONNX original computes.",
            ""
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  parity holds: every output is within tolerance (disagreeing layers are warnings)",
            "  1  parity violated: an output is beyond tolerance (or, with --fail-on-layers, a layer)",
            "     (diff: at least one error grew beyond the margin)",
            "  2  usage or bad input: a flag, a missing file, unbindable inputs, an unwritable report",
            "  3  a model could not be loaded or run",
            " 70  internal error in tensor-parity"
        })
public final class ParityCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing command, e.g. 'verify'");
    }
}
