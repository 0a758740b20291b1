package org.tensorparity.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --junit}: shared by the commands that write reports ({@code verify}, {@code suite}, {@code report} and
 * {@code report merge}), which all write a testsuite per model pair.
 */
final class JunitOption {
    @Option(names = "--junit", paramLabel = "FILE",
            description = "Also write JUnit XML for CI test reporters: a testsuite per model pair, a testcase per output and per layer.")
    Path file;
}
