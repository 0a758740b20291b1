package org.tensorparity.cli;

import java.io.PrintWriter;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;
import picocli.CommandLine;

/** Entry point: builds the configured command line and maps every outcome to an {@link ExitCode}. */
public final class ParityCli {
    private ParityCli() {
    }

    public static void main(String[] args) {
        RuntimePreload preload = RuntimePreload.startFor(args);
        int code = create(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
        preload.await();
        System.exit(code);
    }

    /** A ready-to-run command line writing to the given streams; tests call {@code execute(args)} on it. */
    public static CommandLine create(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new ParityCommand());
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExitCodeExceptionMapper(ParityCli::exitCodeOf);
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("parity: " + ex.getMessage());
            failed.getErr().println("Try 'parity " + failed.getCommandSpec().qualifiedName(" ").replaceFirst("^parity ?", "")
                    .concat(" --help").strip() + "' for usage.");
            return ExitCode.BAD_INPUT.code();
        });
        cli.setExecutionExceptionHandler((ex, failed, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose")
                    || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose"));
            PrintWriter errOut = failed.getErr();
            if (ex instanceof BadInputException || ex instanceof ModelFailureException) {
                errOut.println("parity: error: " + ex.getMessage());
            } else {
                errOut.println("parity: internal error: " + ex + " (please report this; rerun with --verbose for details)");
            }
            if (verbose) {
                ex.printStackTrace(errOut);
            }
            errOut.flush();
            return exitCodeOf(ex);
        });
        return cli;
    }

    private static int exitCodeOf(Throwable ex) {
        if (ex instanceof BadInputException || ex instanceof CommandLine.ParameterException) {
            return ExitCode.BAD_INPUT.code();
        }
        if (ex instanceof ModelFailureException) {
            return ExitCode.MODEL_FAILURE.code();
        }
        return ExitCode.INTERNAL_ERROR.code();
    }
}
