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

    @Option(names = "--max-iterations", paramLabel = "N",
            description = "Most iterations one loop of a model may run (an ONNX Loop or a TFLite WHILE, at any depth; 1 to "
                    + RunnerSettings.MAX_MAX_ITERATIONS + "; default: " + RunnerSettings.DEFAULT_MAX_ITERATIONS
                    + "). A loop that would run more stops the run with exit 3, naming the loop.")
    int maxIterations = RunnerSettings.DEFAULT_MAX_ITERATIONS;

    RunnerSettings settings(CommandSpec spec) {
        // Each runtime starts this many native threads; far beyond the cores only thrashes the machine.
        int max = 4 * Runtime.getRuntime().availableProcessors();
        if (threads < 1 || threads > max) {
            throw new ParameterException(spec.commandLine(), "--threads must be between 1 and " + max
                    + " (4 x the " + Runtime.getRuntime().availableProcessors() + " cores), got " + threads);
        }
        if (maxIterations < 1 || maxIterations > RunnerSettings.MAX_MAX_ITERATIONS) {
            throw new ParameterException(spec.commandLine(), "--max-iterations must be between 1 and "
                    + RunnerSettings.MAX_MAX_ITERATIONS + ", got " + maxIterations);
        }
        return new RunnerSettings(delegate, threads, false, maxIterations);
    }
}
