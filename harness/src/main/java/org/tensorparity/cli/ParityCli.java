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
            if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
                // "Did you mean: verify?" for a mistyped subcommand or option.
                CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, failed.getErr());
            }
            failed.getErr().println("Try 'parity " + failed.getCommandSpec().qualifiedName(" ").replaceFirst("^parity ?", "")
                    .concat(" --help").strip() + "' for usage.");
            return ExitCode.BAD_INPUT.code();
        });
        cli.setExecutionStrategy(ParityCli::executeGuarded);
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

    /**
     * Runs the command, turning what is thrown past picocli's exception handler (which sees exceptions only) into one
     * line and an exit code: a JVM out of heap, or a runtime whose native library cannot be loaded (exit 3), never a
     * stack trace and never 1, the verdict's code.
     */
    private static int executeGuarded(CommandLine.ParseResult parseResult) {
        CommandLine cli = parseResult.commandSpec().commandLine();
        try {
            return new CommandLine.RunLast().execute(parseResult);
        } catch (OutOfMemoryError e) {
            long heapMb = Runtime.getRuntime().maxMemory() / (1024 * 1024);
            cli.getErr().println("parity: error: not enough memory: the run needs more than the Java heap's " + heapMb
                    + " MB; give it more with PARITY_JAVA_OPTS=-Xmx" + Math.max(2, 2 * heapMb / 1024) + "g, or use"
                    + " --outputs-only or a smaller batch");
            cli.getErr().flush();
            return ExitCode.MODEL_FAILURE.code();
        } catch (LinkageError e) {
            cli.getErr().println("parity: error: a runtime cannot be loaded: " + e);
            cli.getErr().flush();
            return ExitCode.MODEL_FAILURE.code();
        }
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
