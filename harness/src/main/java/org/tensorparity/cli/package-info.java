/**
 * The {@code parity} command line: picocli commands that turn flags into requests for {@code run} and
 * hand the results to {@code report}. Exit codes are decided in one place, {@link
 * org.tensorparity.cli.ExitCode} and {@link org.tensorparity.cli.ParityCli}. No runtime imports, no math.
 */
package org.tensorparity.cli;
