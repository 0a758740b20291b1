package org.tensorparity.report;

import java.util.List;

/**
 * One pair of a suite run.
 *
 * @param name the pair's name in the suite file
 * @param stagedFrom the inputs fed from upstream pairs, e.g. {@code r1_kernel <- template-127.r1_kernel_raw}
 * @param report the pair's verify document; null when the pair could not run
 * @param notRun why the pair did not run (an upstream output it needs was unusable), or null
 */
public record SuitePair(String name, List<String> stagedFrom, ParityReport report, String notRun) {
    public SuitePair {
        stagedFrom = List.copyOf(stagedFrom);
    }
}
