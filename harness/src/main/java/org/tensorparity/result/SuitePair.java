package org.tensorparity.result;

import java.util.List;
import org.tensorparity.compare.Verdict;

/**
 * One pair of a suite run.
 *
 * @param name the pair's name in the suite file
 * @param stagedFrom the inputs fed from upstream pairs, e.g. {@code r1_kernel <- template-127.r1_kernel_raw}
 * @param report the pair's verify document; null when the pair could not be verified
 * @param notRun why the pair was not verified (a model that cannot be loaded or run, an input that cannot be bound,
 *     an upstream output it needs that was unusable), naming the pair's files; null when it was
 * @param exitCode what a verify of this pair alone would have exited with: 0 or 1 by its verdict, 2 for bad input, 3
 *     when a model could not be loaded or run; 1 for a pair an unusable upstream output kept from running
 */
public record SuitePair(String name, List<String> stagedFrom, ParityReport report, String notRun, int exitCode) {
    public SuitePair {
        stagedFrom = List.copyOf(stagedFrom);
    }

    /** A pair that ran, with its report. */
    public static SuitePair verified(String name, List<String> stagedFrom, ParityReport report) {
        return new SuitePair(name, stagedFrom, report, null, report.verdict() == Verdict.PASS ? 0 : 1);
    }
}
