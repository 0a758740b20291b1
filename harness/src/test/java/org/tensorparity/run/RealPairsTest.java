package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * The real corpus as a test suite: every pair of {@code ../shared/real-pairs} through the command line,
 * as a new user would run it, against what {@code real-pairs.yaml} says it must conclude. Correct
 * conversions must pass at default settings under XNNPACK and under TFLite's builtin kernels.
 */
class RealPairsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Flags that only say what the model's inputs look like: the only ones a pair's entry may use. */
    private static final Set<String> INPUT_DOMAIN_FLAGS = Set.of("--dist", "--input", "--image-prep");
    private static final Path DIR = FixturePairs.scratch("real-pairs");
    private static final Map<String, String> TABLE = new TreeMap<>();

    static Stream<Expectation> all() {
        return RealPairs.expectations().stream();
    }

    static Stream<Expectation> correct() {
        return all().filter(e -> e.expect().equals("pass"));
    }

    private static CliRun verify(Expectation e, Path json, String... more) {
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", e.onnxPath().toString(), "--tflite",
                e.tflitePath().toString(), "--json", json.toString()));
        argv.addAll(e.resolvedArgs());
        argv.addAll(List.of(more));
        return CliRun.of(argv.toArray());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("all")
    void eachPairGetsTheVerdictItsSourceCallsFor(Expectation e) throws IOException {
        for (int i = 0; i < e.args().size(); i += 2) {
            assertTrue(INPUT_DOMAIN_FLAGS.contains(e.args().get(i)), () -> e.name() + ": only input-domain flags: " + e.args());
        }
        Path json = DIR.resolve(e.name() + ".json");
        CliRun run = verify(e, json);
        assertFalse(run.err().contains("\tat "), run::toString);
        assertFalse(run.err().contains("parity: error"), run::toString);
        switch (e.expect()) {
            case "pass" -> assertEquals(0, run.exitCode(), () -> e.name() + " (" + e.why() + "): " + run);
            case "fail" -> assertEquals(1, run.exitCode(), () -> e.name() + " (" + e.why() + "): " + run);
            case "runs" -> assertTrue(run.exitCode() == 0 || run.exitCode() == 1, run::toString);
            default -> throw new IllegalArgumentException(e.name() + ": unknown expect '" + e.expect() + "'");
        }
        JsonNode report = JSON.readTree(json.toFile());
        if (e.name().equals("flwnet-float32-out-of-domain")) {
            assertTrue(report.get("summary").asText().contains("outside the model's domain"), report.get("summary")::toString);
        }
        TABLE.put(e.name(), row(e, report));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("correct")
    void correctPairsAlsoPassUnderTheBuiltinKernels(Expectation e) {
        CliRun run = verify(e, DIR.resolve(e.name() + "-builtin.json"), "--tflite-delegate", "none");
        assertEquals(0, run.exitCode(), () -> e.name() + ": " + run);
    }

    /** The README's corpus table, from this run: target/scratch/real-pairs*&#47;real-pairs.md. */
    @AfterAll
    static void writeTable() throws IOException {
        if (TABLE.isEmpty()) {
            return;
        }
        StringBuilder md = new StringBuilder("| pair | verdict | worst output error | worst layer error | layers aligned"
                + " | unmatched (ONNX / TFLite) |\n|---|---|---|---|---|---|\n");
        TABLE.values().forEach(r -> md.append(r).append('\n'));
        Files.writeString(DIR.resolve("real-pairs.md"), md);
    }

    private static String row(Expectation e, JsonNode report) {
        double worstOut = 0;
        for (JsonNode o : report.get("outputs")) {
            worstOut = Math.max(worstOut, o.at("/metrics/normalizedMaxError").asDouble(0));
        }
        double worstLayer = 0;
        for (JsonNode l : report.get("layers")) {
            worstLayer = Math.max(worstLayer, l.at("/metrics/normalizedMaxError").asDouble(0));
        }
        long onnx = 0;
        long tflite = 0;
        for (JsonNode u : report.get("unmatched")) {
            if (u.get("model").asText().equals("onnx")) {
                onnx++;
            } else {
                tflite++;
            }
        }
        return String.format(Locale.ROOT, "| %s | %s | %.1e | %.1e | %d | %d / %d |", e.name(),
                report.get("verdict").asText().toUpperCase(Locale.ROOT), worstOut, worstLayer, report.get("layers").size(),
                onnx, tflite);
    }
}
