package org.tensorparity.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the JSON report of a run goes: shared by {@code verify} and {@code suite}. */
final class ReportDestinationOptions {
    @Option(names = "--report-dir", defaultValue = "reports", paramLabel = "DIR",
            description = "Folder for reports (default: ${DEFAULT-VALUE}); the JSON is named after the TFLite file (verify) or the suite file (suite).")
    Path reportDir;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON report here instead of into --report-dir.")
    Path json;
}
