package org.tensorparity.cli;

import picocli.CommandLine.Command;

/** The top-level {@code parity} command; the work is in its subcommands. */
@Command(name = "parity",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {VerifyCommand.class, AlignCommand.class, SuiteCommand.class, ReportCommand.class, DiffCommand.class,
            ReproCommand.class, picocli.CommandLine.HelpCommand.class},
        description = {
            "Proves that a converted TFLite model computes what its ONNX original computes.",
            ""
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  parity holds",
            "  1  parity violated: an output disagrees, or a layer computes differently",
            "     by itself (diff: an error grew beyond the margin; repro: no bundle)",
            "  2  usage or bad input: a flag, a missing file, unpairable inputs or",
            "     outputs, an unwritable report, a run too large for this machine",
            "  3  a model or a runtime could not be loaded or run (a loop past",
            "     --max-iterations too), or too little heap",
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
