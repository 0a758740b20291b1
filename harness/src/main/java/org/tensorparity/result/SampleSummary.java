package org.tensorparity.result;

/**
 * How one output fared over all samples of a run; its {@code metrics} are the worst sample's.
 *
 * @param count samples run
 * @param worstSample index of the sample with the largest normalized error (0-based)
 * @param failingSamples samples in which this output failed
 * @param meanMaxAbs mean over samples of max |a-b|
 * @param meanNormalizedMaxError mean over samples of max |a-b| / max |ref|
 */
public record SampleSummary(int count, int worstSample, int failingSamples, double meanMaxAbs,
        double meanNormalizedMaxError) {
}
