package org.tensorparity.cli;

import picocli.CommandLine.Option;

/**
 * {@code --verbose}: shared by the commands that run models ({@code verify}, {@code align}, {@code suite}). Read
 * by name from the parse result where errors are printed ({@link ParityCli}), so no command reads the field.
 */
final class VerboseOption {
    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;
}
