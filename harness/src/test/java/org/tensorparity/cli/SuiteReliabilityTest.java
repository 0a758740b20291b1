package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;

/**
 * A suite is a CI matrix of conversions: one pair that cannot be loaded, bound or run is that pair's failure, and
 * every other pair is still verified and reported. Destinations are checked before the first pair, and what is
 * finished is on disk as soon as it is.
 */
class SuiteReliabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A suite of {@code correct} copies of a correct pair, then a truncated ONNX file, a corrupt flatbuffer and two files of different networks. */
    private static Path suiteWithBrokenPairs(Path dir, int correct) throws IOException {
        FixturePair template = FixturePairs.pair("template-127-onnx2tf");
        FixturePair detection = FixturePairs.pair("detection-271-onnx2tf");
        byte[] onnx = Files.readAllBytes(template.onnx());
        Files.write(dir.resolve("truncated.onnx"), java.util.Arrays.copyOf(onnx, onnx.length / 3));
        byte[] tflite = Files.readAllBytes(template.tflite());
        for (int i = 64; i < tflite.length; i += 97) {
            tflite[i] ^= (byte) 0x5a;
        }
        Files.write(dir.resolve("corrupt.tflite"), tflite);
        StringBuilder yaml = new StringBuilder("pairs:\n");
        for (int i = 0; i < correct; i++) {
            pair(yaml, "correct-" + i, template.onnx().toString(), template.tflite().toString());
        }
        pair(yaml, "truncated-onnx", "truncated.onnx", template.tflite().toString());
        pair(yaml, "corrupt-tflite", template.onnx().toString(), "corrupt.tflite");
        pair(yaml, "different-networks", template.onnx().toString(), detection.tflite().toString());
        return Files.writeString(dir.resolve("zoo.yaml"), yaml);
    }

    private static void pair(StringBuilder yaml, String name, String onnx, String tflite) {
        yaml.append("  - name: ").append(name).append("\n    onnx: ").append(onnx).append("\n    tflite: ").append(tflite)
                .append('\n');
    }

    @Test
    void everyPairIsReportedAndTheSuiteExitsWithItsWorstPairsCode() throws IOException {
        Path dir = FixturePairs.scratch("broken-suite");
        Path suite = suiteWithBrokenPairs(dir, 17);
        Path json = dir.resolve("reports").resolve("zoo.json");
        CliRun run = CliRun.of("suite", suite, "--json", json, "--outputs-only");
        assertEquals(3, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(json.toFile());
        JsonNode pairs = report.get("pairs");
        assertEquals(20, pairs.size());
        for (int i = 0; i < 17; i++) {
            assertEquals(0, pairs.get(i).get("exitCode").asInt(), pairs.get(i)::toString);
        }
        assertEquals(3, pairs.get(17).get("exitCode").asInt(), pairs.get(17)::toString);
        assertTrue(pairs.get(17).get("notRun").asText().contains("truncated.onnx"), pairs.get(17)::toString);
        assertEquals(3, pairs.get(18).get("exitCode").asInt(), pairs.get(18)::toString);
        assertTrue(pairs.get(18).get("notRun").asText().contains("corrupt.tflite"), pairs.get(18)::toString);
        assertEquals(2, pairs.get(19).get("exitCode").asInt(), pairs.get(19)::toString);
        assertTrue(run.out().contains("different-networks"), run::toString);
    }

    @Test
    void anUnwritableReportFolderIsRefusedBeforeAnyPairRuns() throws IOException {
        Path dir = FixturePairs.scratch("suite-unwritable");
        Path suite = suiteWithBrokenPairs(dir, 1);
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliRun run = CliRun.of("suite", suite, "--report-dir", file.resolve("reports"));
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("", run.out(), "nothing ran");
    }

    /**
     * A suite killed before its end leaves a complete suite report of the pairs it finished. One pair at a time, so that
     * the first pair is among them (side by side, any may finish first).
     */
    @Test
    void aKilledSuiteKeepsEveryFinishedPair() throws Exception {
        Path dir = FixturePairs.scratch("suite-killed");
        Path suite = suiteWithBrokenPairs(dir, 30);
        Path json = dir.resolve("zoo.json");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParityCli.class.getName(), "suite", suite.toString(), "--json",
                json.toString(), "--jobs", "1"));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (finished(json) < 3 && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(100);
        }
        p.destroyForcibly().waitFor();
        int finished = finished(json);
        assertTrue(finished >= 3, "pairs on disk when the suite was killed: " + finished);
        JsonNode report = JSON.readTree(json.toFile());
        assertTrue(report.get("pairs").get(0).get("report").isObject());
        assertTrue(Files.exists(dir.resolve("zoo-correct-0.html")));
    }

    private static int finished(Path json) {
        try {
            return JSON.readTree(json.toFile()).get("pairs").size();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
