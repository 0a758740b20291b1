package org.tensorparity.backend;

/**
 * How a runner is configured.
 *
 * @param delegate TFLite execution: XNNPACK (the default an app ships) or builtin kernels
 * @param threads intra-op threads for both runtimes (at least 1)
 * @param captureIntermediates keep and return every intermediate tensor (instrumented run)
 */
public record RunnerSettings(TfLiteDelegate delegate, int threads, boolean captureIntermediates) {
    public static final RunnerSettings DEFAULT = new RunnerSettings(TfLiteDelegate.XNNPACK, 1, false);

    public RunnerSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    public RunnerSettings instrumented() {
        return new RunnerSettings(delegate, threads, true);
    }
}
