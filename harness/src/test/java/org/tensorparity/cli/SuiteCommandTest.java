package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorparity.bind.npy.NpzWriter;
import org.tensorparity.fixtures.catalog.FixtureCatalog;
import org.tensorparity.fixtures.catalog.FixtureWriter;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.WritesInvalidReports;

/** The shipped DaSiamRPN suite, its template -> detection chain, shards, and bad suite files. */
class SuiteCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHIPPED = Path.of("..", "fixtures", "dasiamrpn.suite.yaml");

    /** The shipped suite beside width-0.125 models laid out as make demo lays out the full-size ones. */
    private static Path suiteDir(String templatePair) throws IOException {
        Path dir = FixturePairs.scratch("suite");
        Path models = Files.createDirectories(dir.resolve("target/dasiamrpn"));
        var template = FixtureWriter.write(FixtureCatalog.byName(templatePair), models, FixturePairs.WIDTH, FixturePairs.SEED);
        Files.move(template.onnx(), models.resolve("template-127-onnxtf.onnx"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.move(template.tflite(), models.resolve("template-127-onnxtf.tflite"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        FixtureWriter.write(FixtureCatalog.byName("detection-271-onnxtf"), models, FixturePairs.WIDTH, FixturePairs.SEED);
        Files.copy(SHIPPED, dir.resolve("dasiamrpn.suite.yaml"));
        return dir;
    }

    @Test
    void theShippedSuiteVerifiesTheTrackerChain() throws IOException {
        Path dir = suiteDir("template-127-onnxtf");
        Path json = dir.resolve("suite.json");
        CliRun run = CliRun.of("suite", dir.resolve("dasiamrpn.suite.yaml"), "--json", json);
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(json.toFile());
        assertEquals("suite", report.get("kind").asText());
        assertEquals("pass", report.get("verdict").asText());
        assertEquals(2, report.get("pairs").size());
        JsonNode detection = report.at("/pairs/1");
        assertEquals("detection-271", detection.get("name").asText());
        assertEquals("r1_kernel <- template-127.r1_kernel_raw", detection.at("/stagedFrom/0").asText());
        assertEquals("stage from template-127.r1_kernel_raw", detection.at("/report/inputs/1/source").asText());
        JsonNode score = detection.at("/report/outputs/1");
        assertEquals("score", score.get("onnx").asText());
        assertEquals("peak", score.at("/checks/0/check").asText());
        assertTrue(score.at("/checks/0/agrees").asBoolean());
    }

    @Test
    void aBrokenTemplateBranchPropagatesIntoTheDetectionOutputs() throws IOException {
        Path dir = suiteDir("template-127-onnxtf-conv-weight-early");
        Path json = dir.resolve("suite.json");
        CliRun run = CliRun.of("suite", dir.resolve("dasiamrpn.suite.yaml"), "--json", json, "--outputs-only");
        assertEquals(1, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(json.toFile());
        assertEquals("fail", report.at("/pairs/0/report/verdict").asText());
        assertEquals("fail", report.at("/pairs/1/report/verdict").asText(),
                "the template's wrong kernels reach the detection outputs through the stage");
    }

    @Test
    void shardsKeepStagedPairsTogether() throws IOException {
        Path dir = suiteDir("template-127-onnxtf");
        Path first = dir.resolve("1.json");
        Path second = dir.resolve("2.json");
        assertEquals(0, CliRun.of("suite", dir.resolve("dasiamrpn.suite.yaml"), "--shard", "1/2", "--json", first,
                "--outputs-only").exitCode());
        assertEquals(0, CliRun.of("suite", dir.resolve("dasiamrpn.suite.yaml"), "--shard", "2/2", "--json", second,
                "--outputs-only").exitCode());
        int together = JSON.readTree(first.toFile()).get("pairs").size() + JSON.readTree(second.toFile()).get("pairs").size();
        assertEquals(2, together);
        assertEquals("1/2", JSON.readTree(first.toFile()).get("shard").asText());
    }

    @Test
    void shardReportsMergeIntoOneWithAnHtmlReportPerPair() throws IOException {
        Path dir = suiteDir("template-127-onnxtf");
        Path suite = dir.resolve("dasiamrpn.suite.yaml");
        for (int i = 1; i <= 2; i++) {
            assertEquals(0, CliRun.of("suite", suite, "--shard", i + "/2", "--json", dir.resolve("shard-" + i + ".json"),
                    "--outputs-only").exitCode());
        }
        Path merged = dir.resolve("merged/all.json");
        CliRun run = CliRun.of("report", "merge", dir.resolve("shard-1.json"), dir.resolve("shard-2.json"), "--json", merged,
                "--junit", dir.resolve("merged/all.xml"));
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(merged.toFile());
        assertEquals(2, report.get("pairs").size());
        assertEquals("pass", report.get("verdict").asText());
        assertTrue(Files.exists(dir.resolve("merged/all-template-127.html")));
        assertTrue(Files.exists(dir.resolve("merged/all-detection-271.html")));
        assertTrue(Files.readString(dir.resolve("merged/all.xml")).contains("<testsuite"));

        CliRun twice = CliRun.of("report", "merge", dir.resolve("shard-1.json"), dir.resolve("shard-1.json"), dir.resolve("shard-2.json"),
                "--json", dir.resolve("twice.json"));
        assertEquals(2, twice.exitCode(), twice::toString);
        assertTrue(twice.err().contains("shard 1/2 is given twice"), twice::toString);

        CliRun partial = CliRun.of("report", "merge", dir.resolve("shard-1.json"), "--json", dir.resolve("partial.json"));
        assertEquals(2, partial.exitCode(), "a missing shard must not let the gate pass: " + partial);
        assertTrue(partial.err().contains("shard 2/2 missing"), partial::toString);
        assertFalse(Files.exists(dir.resolve("partial.json")));
    }

    @Test
    @WritesInvalidReports(value = "x.json", reason = "a stub verify report, which merge must refuse as no suite report")
    void mergingSomethingThatIsNotASuiteReportIsBadInput() throws IOException {
        Path dir = FixturePairs.scratch("merge");
        Path notSuite = Files.writeString(dir.resolve("x.json"), "{\"schemaVersion\":1,\"verdict\":\"pass\"}");
        CliRun run = CliRun.of("report", "merge", notSuite, "--json", dir.resolve("out.json"));
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.errLines().get(0).contains("is not a tensor-parity suite report"), run::toString);
        assertFalse(Files.exists(dir.resolve("out.json")));
    }

    @Test
    void aStageCycleIsBadInputAndNothingRuns() throws IOException {
        Path dir = suiteDir("template-127-onnxtf");
        String yaml = Files.readString(dir.resolve("dasiamrpn.suite.yaml")) + """
                  - from: detection-271
                    to: template-127
                    wires:
                      score: x
                """;
        Path cyclic = Files.writeString(dir.resolve("cyclic.yaml"), yaml);
        CliRun run = CliRun.of("suite", cyclic, "--report-dir", dir.resolve("reports"));
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.errLines().get(0).contains("cyclic.yaml"), run::toString);
        assertFalse(Files.exists(dir.resolve("reports")), "nothing ran, nothing was written");
    }

    @Test
    void anNpzEntryTheFileLacksNamesThePairAndTheInputAndStopsTheSuite() throws IOException {
        Path dir = suiteDir("template-127-onnxtf");
        try (OutputStream out = Files.newOutputStream(dir.resolve("inputs.npz"))) {
            NpzWriter.write(out, Map.of("y", Tensor.of(Shape.of(1), 0f)));
        }
        String yaml = Files.readString(dir.resolve("dasiamrpn.suite.yaml"))
                .replaceFirst("x: \\{seeded: \"uniform:-1,1\"}", "x: {npz: inputs.npz, entry: frame}");
        Path suite = Files.writeString(dir.resolve("npz.yaml"), yaml);
        CliRun run = CliRun.of("suite", suite, "--report-dir", dir.resolve("reports"), "--outputs-only");
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(List.of("parity: error: pair 'template-127', input 'x': " + dir.resolve("inputs.npz")
                + " has no entry 'frame'"), run.errLines(), run::toString);
    }

    @Test
    void aBadShardIsAUsageError() throws IOException {
        CliRun run = CliRun.of("suite", SHIPPED, "--shard", "3/2");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--shard 3/2"), run::toString);
    }
    @Test
    void pairsRunAtOnceGiveTheReportsAndTheOrderOfOneAtATime() throws IOException {
        Path dir = suiteDir("template-127-onnxtf");
        StringBuilder yaml = new StringBuilder(Files.readString(dir.resolve("dasiamrpn.suite.yaml")).replace("stages:",
                "STAGES"));
        String stages = yaml.substring(yaml.indexOf("STAGES"));
        yaml.setLength(yaml.indexOf("STAGES"));
        for (String name : List.of("template-127-onnx2tf", "template-127-onnxtf-conv-weight-early",
                "detection-271-onnx2tf", "template-127-onnx2tf-bn-wrong-epsilon")) {
            var pair = FixturePairs.pair(name);
            yaml.append("  - {name: ").append(name).append(", onnx: \"").append(pair.onnx()).append("\", tflite: \"")
                    .append(pair.tflite()).append("\"}\n");
        }
        Path suite = Files.writeString(dir.resolve("six.yaml"), yaml + stages.replace("STAGES", "stages:"));
        CliRun one = CliRun.of("suite", suite, "--json", dir.resolve("one.json"), "--jobs", "1");
        CliRun four = CliRun.of("suite", suite, "--json", dir.resolve("four.json"), "--jobs", "4");
        // Without --jobs, one pair per core (as memory allows).
        CliRun cores = CliRun.of("suite", suite, "--json", dir.resolve("cores.json"));
        assertEquals(1, one.exitCode(), one::toString);
        assertEquals(one.exitCode(), four.exitCode(), four::toString);
        assertEquals(one.exitCode(), cores.exitCode(), cores::toString);
        assertEquals(withoutRunFacts(one.out(), dir.resolve("one.json")), withoutRunFacts(four.out(), dir.resolve("four.json")));
        assertEquals(withoutRunFacts(one.out(), dir.resolve("one.json")),
                withoutRunFacts(cores.out(), dir.resolve("cores.json")));
        JsonNode a = withoutRunFacts(JSON.readTree(dir.resolve("one.json").toFile()));
        JsonNode b = withoutRunFacts(JSON.readTree(dir.resolve("four.json").toFile()));
        assertEquals(6, a.get("pairs").size());
        assertEquals(a, b);
        assertEquals(a, withoutRunFacts(JSON.readTree(dir.resolve("cores.json").toFile())));

        CliRun zero = CliRun.of("suite", suite, "--jobs", "0");
        assertEquals(2, zero.exitCode(), zero::toString);
        assertTrue(zero.err().contains("--jobs 0: expected 1 to 256"), zero::toString);
    }

    /** The text without what differs between any two runs: times, and the names of the files each run writes. */
    private static String withoutRunFacts(String out, Path json) {
        String base = json.toString().substring(0, json.toString().length() - ".json".length());
        return out.replace(base, "REPORT").replaceAll("[0-9.]+ ?ms", "T").replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "RUN");
    }

    /**
     * The document without what differs between any two runs: ids, clocks, times, the command line, and the memory
     * budget (pairs that run at once share the machine's).
     */
    private static JsonNode withoutRunFacts(JsonNode suite) {
        for (JsonNode pair : suite.get("pairs")) {
            if (pair.get("report") instanceof com.fasterxml.jackson.databind.node.ObjectNode report) {
                report.remove("timings");
                if (report.get("instrumentation") instanceof com.fasterxml.jackson.databind.node.ObjectNode check) {
                    check.remove("memory");
                }
                ((com.fasterxml.jackson.databind.node.ObjectNode) report.get("provenance")).remove(
                        List.of("runId", "createdAt", "command", "rerun"));
            }
        }
        ((com.fasterxml.jackson.databind.node.ObjectNode) suite).remove(List.of("runId", "createdAt", "command"));
        return suite;
    }
}
