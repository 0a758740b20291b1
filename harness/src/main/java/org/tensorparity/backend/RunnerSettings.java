package org.tensorparity.backend;

/**
 * How a runner is configured.
 *
 * @param delegate TFLite execution: XNNPACK (the default an app ships) or builtin kernels
 * @param threads intra-op threads for both runtimes (at least 1)
 * @param captureIntermediates keep and return every intermediate tensor (instrumented run)
 * @param maxIterations most iterations one loop of the model may run: a loop that would run more stops the run
 *     with a {@link org.tensorparity.ModelFailureException} naming it (1 to {@link #MAX_MAX_ITERATIONS})
 * @param passBytes with {@code captureIntermediates}, about the most bytes of intermediates one pass of an instrumented
 *     run may hold in the runtime: the model then runs in consecutive parts, each with every intermediate of its own
 *     kept, and the values are handed on part by part. 0 runs it whole, in one pass
 */
public record RunnerSettings(TfLiteDelegate delegate, int threads, boolean captureIntermediates, int maxIterations,
        long passBytes) {
    /**
     * The default bound on a loop's iterations. The longest loop in the real pairs (../shared/real-pairs) is the
     * precise-lite GRU's, 29 iterations, one per MFCC frame (silero-vad and DTLN carry their state between runs and
     * loop not at all). 10,000 is over 300 times that, one iteration per 10 ms frame of 100 s of audio. A runaway
     * loop of a small body reaches it in well under a second (LoopBoundTest: three 3-node-body runs of 10,001
     * iterations in 0.25 s, on the 2-core dev machine), where it would otherwise never end or exhaust memory.
     */
    public static final int DEFAULT_MAX_ITERATIONS = 10_000;

    /** The largest bound the flag takes: a loop of ten million iterations is a runaway whatever the model. */
    public static final int MAX_MAX_ITERATIONS = 10_000_000;

    public static final RunnerSettings DEFAULT = new RunnerSettings(TfLiteDelegate.XNNPACK, 1, false);

    public RunnerSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (maxIterations < 1 || maxIterations > MAX_MAX_ITERATIONS) {
            throw new IllegalArgumentException("maxIterations must be between 1 and " + MAX_MAX_ITERATIONS + ", got "
                    + maxIterations);
        }
        if (passBytes < 0) {
            throw new IllegalArgumentException("passBytes must not be negative, got " + passBytes);
        }
    }

    /** Settings that run an instrumented model whole, in one pass. */
    public RunnerSettings(TfLiteDelegate delegate, int threads, boolean captureIntermediates, int maxIterations) {
        this(delegate, threads, captureIntermediates, maxIterations, 0);
    }

    /** Settings with the default bound on loop iterations. */
    public RunnerSettings(TfLiteDelegate delegate, int threads, boolean captureIntermediates) {
        this(delegate, threads, captureIntermediates, DEFAULT_MAX_ITERATIONS);
    }

    public RunnerSettings instrumented() {
        return new RunnerSettings(delegate, threads, true, maxIterations, passBytes);
    }

    /** These settings with loops bounded at {@code maxIterations} iterations. */
    public RunnerSettings withMaxIterations(int maxIterations) {
        return new RunnerSettings(delegate, threads, captureIntermediates, maxIterations, passBytes);
    }

    /** These settings with an instrumented run held to about {@code passBytes} of intermediates per pass. */
    public RunnerSettings withPassBytes(long passBytes) {
        return new RunnerSettings(delegate, threads, captureIntermediates, maxIterations, passBytes);
    }
}
