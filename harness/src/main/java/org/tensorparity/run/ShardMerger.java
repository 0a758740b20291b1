package org.tensorparity.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tensorparity.BadInputException;
import org.tensorparity.result.SuitePair;
import org.tensorparity.result.SuiteReport;

/**
 * Joins the reports of {@code parity suite --shard i/n} runs into the report of the whole suite. A merged
 * report gates a CI pipeline, so it must cover the whole suite exactly once: shards of different suites or
 * counts, a shard given twice or missing, and a pair in two shards are errors, never a partial pass.
 */
public final class ShardMerger {

    /**
     * One shard report as read.
     *
     * @param source where it was read from, for error messages (the file)
     * @param report its contents
     */
    public record Shard(String source, SuiteReport report) {
    }

    private ShardMerger() {
    }

    /** The whole suite's report, judged again over every pair of {@code shards}. */
    public static SuiteReport merge(List<Shard> shards) throws BadInputException {
        if (shards.isEmpty()) {
            throw new BadInputException("no shard reports to merge");
        }
        String suite = null;
        List<SuitePair> pairs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> labels = new TreeSet<>();
        Integer count = null;
        for (Shard shard : shards) {
            SuiteReport part = shard.report();
            if (part.shard() == null) {
                throw new BadInputException(shard.source() + " is not a shard report (no \"shard\"; written without --shard)");
            }
            int n = shardCount(shard);
            if (count != null && count != n) {
                throw new BadInputException(shard.source() + " is shard " + part.shard() + ", but other reports are shards of " + count);
            }
            count = n;
            if (!labels.add(part.shard())) {
                throw new BadInputException(shard.source() + ": shard " + part.shard() + " is given twice");
            }
            if (suite == null) {
                suite = part.suite();
            } else if (!suite.equals(part.suite())) {
                throw new BadInputException(shard.source() + " is a report of suite " + part.suite() + ", not of " + suite);
            }
            for (SuitePair pair : part.pairs()) {
                if (!seen.add(pair.name())) {
                    throw new BadInputException(shard.source() + ": pair '" + pair.name() + "' is in more than one shard");
                }
                pairs.add(pair);
            }
        }
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            if (!labels.contains(i + "/" + count)) {
                missing.add(i + "/" + count);
            }
        }
        if (!missing.isEmpty()) {
            throw new BadInputException("shard" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + " missing: a merged report must cover the whole suite");
        }
        return SuiteReport.judged(suite, null, pairs, " (merged from " + shards.size() + " shards)");
    }

    private static int shardCount(Shard shard) throws BadInputException {
        String label = shard.report().shard();
        int slash = label.indexOf('/');
        try {
            int i = Integer.parseInt(label.substring(0, slash));
            int n = Integer.parseInt(label.substring(slash + 1));
            if (i >= 1 && i <= n) {
                return n;
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            // falls through to the error below
        }
        throw new BadInputException(shard.source() + ": \"shard\" is " + label + ", not I/N with 1 <= I <= N");
    }
}
