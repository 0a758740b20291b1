package org.tensorparity.cli;

import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.TfLiteDelegate;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How the two runtimes execute: shared by every command that runs models. */
final class RuntimeOptions {
    @Option(names = "--tflite-delegate", defaultValue = "xnnpack", paramLabel = "KIND",
            description = "TFLite execution: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, what an app ships).")
    TfLiteDelegate delegate;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "Threads per runtime (default: ${DEFAULT-VALUE}).")
    int threads;

    RunnerSettings settings(CommandSpec spec) {
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        return new RunnerSettings(delegate, threads, false);
    }
}
