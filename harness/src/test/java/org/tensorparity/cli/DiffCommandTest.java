package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.WritesInvalidReports;

/**
 * {@code parity diff} on real runs: the correct template conversion and a broken one share their ONNX
 * model, exactly the situation of a converter upgrade that breaks a layer.
 */
class DiffCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static Path dir;
    private static Path correct;
    private static Path broken;
    private static Path otherPair;

    @BeforeAll
    static void runs() {
        dir = FixturePairs.scratch("diff");
        correct = verify("template-127-onnxtf", "correct.json");
        broken = verify("template-127-onnxtf-conv-weight-early", "broken.json");
        otherPair = verify("detection-271-onnxtf", "detection.json");
    }

    @Test
    void aRunAgainstItselfHasNothingWorse() {
        CliRun run = CliRun.of("diff", correct, correct);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("  same TFLite model (sha256 "), run::toString);
        assertTrue(run.out().contains("worse: 0, better: 0, within the margin: "), run::toString);
        assertTrue(run.out().endsWith("verdict: PASS -> PASS; no tensor got worse beyond the margin\n"), run::toString);
    }

    @Test
    void aBrokenReconversionIsWorseFromTheBrokenLayerOn() {
        CliRun run = CliRun.of("diff", correct, broken);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("  the TFLite model changed (sha256 "), run::toString);
        String worse = run.out().substring(run.out().indexOf("\nworse\n"));
        assertTrue(worse.contains("\n  layer  input.2 "), "the broken layer is listed: " + run);
        assertTrue(worse.contains("\n  output r1_kernel_raw "), run::toString);
        assertTrue(worse.contains("pass -> fail"), run::toString);
        assertTrue(run.out().endsWith("verdict: PASS -> FAIL; WORSE: 13 tensors got worse beyond the margin\n"), run::toString);

        CliRun back = CliRun.of("diff", broken, correct);
        assertEquals(0, back.exitCode(), "fixing the conversion is no regression: " + back);
        assertTrue(back.out().contains("worse: 0, better: 13,"), back::toString);
    }

    @Test
    void theMarginAndTheFloorDecideWhatCountsAsWorse() throws Exception {
        // The same run with one layer's error 20% higher, then 50x higher but below the noise floor.
        ObjectNode report = (ObjectNode) JSON.readTree(correct.toFile());
        ObjectNode metrics = (ObjectNode) report.get("layers").get(3).get("metrics");
        double error = metrics.get("normalizedMaxError").asDouble();
        metrics.put("normalizedMaxError", Math.max(error, 1e-5) * 1.2);
        Path grown = Files.writeString(dir.resolve("grown.json"), JSON.writeValueAsString(report));
        assertEquals(0, CliRun.of("diff", correct, grown).exitCode(), "20% is within the default margin of 25%");
        CliRun strict = CliRun.of("diff", correct, grown, "--margin", "0.1");
        assertEquals(1, strict.exitCode(), strict::toString);
        assertTrue(strict.out().contains("worse: 1,"), strict::toString);
        assertTrue(strict.out().contains(" x1.2  pass -> pass"), strict::toString);

        metrics.put("normalizedMaxError", 1e-8);
        Path tiny = Files.writeString(dir.resolve("tiny.json"), JSON.writeValueAsString(report));
        metrics.put("normalizedMaxError", 5e-7);
        Path noisy = Files.writeString(dir.resolve("noisy.json"), JSON.writeValueAsString(report));
        assertEquals(0, CliRun.of("diff", tiny, noisy).exitCode(), "50x below the floor is rounding noise");
        assertEquals(1, CliRun.of("diff", tiny, noisy, "--floor", "1e-9").exitCode());
    }

    @Test
    @WritesInvalidReports(value = "newer.json", reason = "a report claiming schemaVersion 2, which diff must refuse")
    void badInputsExitTwoWithOneLine() throws Exception {
        assertOneLine(CliRun.of("diff", correct, otherPair),
                "the two reports are not runs of the same model pair: their ONNX models differ (sha256 ");
        Path newer = Files.writeString(dir.resolve("newer.json"),
                Files.readString(correct).replaceFirst("\"schemaVersion\" : 1", "\"schemaVersion\" : 2"));
        assertOneLine(CliRun.of("diff", correct, newer), newer + " has schemaVersion 2, newer than this tool reads (1)");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not json at all");
        assertOneLine(CliRun.of("diff", text, correct), text + " is not a tensor-parity report (not JSON");
        assertOneLine(CliRun.of("diff", correct, dir.resolve("nope.json")), dir.resolve("nope.json") + ": no such file");
        CliRun negative = CliRun.of("diff", correct, correct, "--margin", "-1");
        assertEquals(2, negative.exitCode(), negative::toString);
        assertTrue(negative.err().startsWith("parity: --margin and --floor must be finite, non-negative numbers"), negative::toString);
    }

    private static void assertOneLine(CliRun run, String expected) {
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.errLines().get(0).startsWith("parity: error: " + expected), run::toString);
    }

    private static Path verify(String name, String json) {
        FixturePair pair = FixturePairs.pair(name);
        Path target = dir.resolve(json);
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", target);
        assertTrue(run.exitCode() <= 1, run::toString);
        return target;
    }
}
