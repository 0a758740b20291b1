package org.tensorparity.result;

import java.util.List;
import org.tensorparity.compare.Verdict;

/**
 * The result of {@code parity suite}: one verify document per pair, and one verdict for all.
 *
 * @param schemaVersion same versioning as {@link ParityReport#SCHEMA_VERSION}
 * @param kind always {@code suite}, telling a suite document from a single-pair one
 * @param verdict pass when every pair ran and passed
 * @param summary one sentence
 * @param suite the suite file
 * @param shard {@code i/n} when only shard i of n ran, else null
 * @param pairs every pair run (or not run), in run order: stage sources before their consumers
 */
public record SuiteReport(int schemaVersion, String kind, Verdict verdict, String summary, String suite, String shard,
        List<SuitePair> pairs) {
    public SuiteReport {
        pairs = List.copyOf(pairs);
    }

    /**
     * The report of {@code pairs}, judged: it passes when every pair ran and passed.
     *
     * @param origin words that say where the pairs came from, e.g. {@code " (merged from 3 shards)"}; may be empty
     */
    /**
     * The suite's exit code: its worst pair's, a model that could not be run (3) above a parity violation (1) above
     * bad input (2) above a pass (0).
     */
    public int exitCode() {
        int worst = 0;
        for (SuitePair p : pairs) {
            if (severity(p.exitCode()) > severity(worst)) {
                worst = p.exitCode();
            }
        }
        return worst;
    }

    private static int severity(int exitCode) {
        return switch (exitCode) {
            case 0 -> 0;
            case 2 -> 1;
            case 1 -> 2;
            default -> 3;
        };
    }

    public static SuiteReport judged(String suite, String shard, List<SuitePair> pairs, String origin) {
        List<String> failing = pairs.stream().filter(p -> p.report() == null || p.report().verdict() == Verdict.FAIL)
                .map(SuitePair::name).toList();
        Verdict verdict = failing.isEmpty() ? Verdict.PASS : Verdict.FAIL;
        String summary = failing.isEmpty() ? "All " + pairs.size() + " pairs pass" + origin + "."
                : failing.size() + " of " + pairs.size() + " pairs fail" + origin + ": " + String.join(", ", failing) + ".";
        return new SuiteReport(ParityReport.SCHEMA_VERSION, "suite", verdict, summary, suite, shard, pairs);
    }
}
