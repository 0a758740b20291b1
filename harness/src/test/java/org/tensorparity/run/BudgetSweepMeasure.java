package org.tensorparity.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * The sweep of docs/performance.md's bounded-memory section, not a test (its name keeps it out of the test
 * suite): every real pair at the corpus's settings, unbounded and under {@code --max-memory} an eighth of the estimated capture; one
 * {@code SWEEP} line per pair on stdout, with the passes and whether the two reports agree apart from timings,
 * provenance, the budget and the bounded run's warnings (which may add that a model ran whole). Run by hand:
 * {@code mvn -o surefire:test -Dtest=BudgetSweepMeasure}.
 */
class BudgetSweepMeasure {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void sweep() throws Exception {
        Path dir = FixturePairs.scratch("budget-sweep");
        for (Expectation e : RealPairs.expectations()) {
            List<String> args = new ArrayList<>(List.of("verify", "--onnx", e.onnxPath().toString(), "--tflite",
                    e.tflitePath().toString()));
            args.addAll(e.resolvedArgs());
            List<String> whole = new ArrayList<>(args);
            whole.addAll(List.of("--json", dir.resolve(e.name() + "-whole.json").toString()));
            CliRun a = CliRun.of(whole.toArray());
            JsonNode ra;
            try {
                ra = JSON.readTree(dir.resolve(e.name() + "-whole.json").toFile());
            } catch (Exception x) {
                System.out.println("SWEEP " + e.name() + " | whole exit " + a.exitCode() + " no report "
                        + a.err().strip());
                continue;
            }
            JsonNode mem = ra.at("/instrumentation/memory");
            if (mem.isMissingNode() || mem.get("estimatedBytes").isNull()) {
                System.out.println("SWEEP " + e.name() + " | whole exit " + a.exitCode() + " no estimate");
                continue;
            }
            long budget = mem.get("estimatedBytes").asLong() / 8;
            List<String> bounded = new ArrayList<>(args);
            bounded.addAll(List.of("--max-memory", Long.toString(budget), "--json",
                    dir.resolve(e.name() + "-bounded.json").toString()));
            CliRun b = CliRun.of(bounded.toArray());
            String line = "SWEEP " + e.name() + " | exit " + a.exitCode() + "/" + b.exitCode();
            if (b.exitCode() == 2) {
                System.out.println(line + " | " + b.err().strip());
                continue;
            }
            JsonNode rb = JSON.readTree(dir.resolve(e.name() + "-bounded.json").toFile());
            line += " | " + rb.at("/instrumentation/memory");
            ObjectNode ca = ra.deepCopy();
            ObjectNode cb = rb.deepCopy();
            for (ObjectNode c : List.of(ca, cb)) {
                c.remove(List.of("timings", "provenance"));
                ((ObjectNode) c.get("instrumentation")).remove("memory");
            }
            // The bounded run may warn that a model ran whole; everything else must agree.
            cb.set("warnings", ca.get("warnings"));
            System.out.println(line + " | " + (ca.equals(cb) ? "SAME" : "DIFF " + diff(ca, cb, "")) + " | warnings "
                    + rb.get("warnings").size() + " vs " + ra.get("warnings").size());
        }
    }

    /** The first path where two documents differ, with both values cut short; null where they agree. */
    private static String diff(JsonNode a, JsonNode b, String path) {
        if (a.equals(b)) {
            return null;
        }
        if (a.isObject() && b.isObject()) {
            for (var it = a.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                String d = diff(a.get(f), b.has(f) ? b.get(f) : NullNode.instance, path + "/" + f);
                if (d != null) {
                    return d;
                }
            }
        }
        if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                String d = diff(a.get(i), b.get(i), path + "/" + i);
                if (d != null) {
                    return d;
                }
            }
        }
        String sa = a.toString();
        String sb = b.toString();
        return path + ": " + sa.substring(0, Math.min(200, sa.length())) + " vs "
                + sb.substring(0, Math.min(200, sb.length()));
    }
}
