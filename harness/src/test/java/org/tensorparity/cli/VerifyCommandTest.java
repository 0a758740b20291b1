package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;

class VerifyCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @ValueSource(strings = {"template-127-onnxtf", "template-127-onnx2tf", "detection-271-onnxtf", "detection-271-onnx2tf"})
    void everyCorrectPairPasses(String name) throws Exception {
        FixturePair pair = FixturePairs.pair(name);
        Path json = FixturePairs.scratch("verify").resolve(name + ".json");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", json);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("PASS"), run::toString);

        JsonNode report = JSON.readTree(json.toFile());
        assertEquals(1, report.get("schemaVersion").asInt());
        assertEquals("pass", report.get("verdict").asText());
        assertTrue(report.get("firstDivergence").isNull());
        assertEquals(pair.onnx().toString(), report.at("/provenance/onnxModel/path").asText());
        assertEquals(64, report.at("/provenance/tfliteModel/sha256").asText().length());
        assertEquals("1.29.0", report.at("/provenance/onnxRuntime/version").asText());
        assertEquals("xnnpack", report.at("/provenance/tfliteRuntime/settings/delegate").asText());
        assertFalse(report.get("layers").isEmpty());
        assertEquals(2, report.get("outputs").size());
        for (JsonNode o : report.get("outputs")) {
            assertEquals("pass", o.get("verdict").asText());
            assertTrue(o.at("/metrics/normalizedMaxError").asDouble() < 1e-4, o::toString);
            assertFalse(o.get("tflite").asText().isEmpty());
        }
    }

    @Test
    void anOnnxInputWithOpenDimensionsTakesThemFromItsTfliteCounterpart() throws Exception {
        FixturePair template = FixturePairs.pair("template-127-onnxtf");
        Path dir = FixturePairs.scratch("dynamic");
        Path dynamic = org.tensorparity.testing.OnnxEdits.withDynamicInput(template.onnx(), "x", dir.resolve("dynamic.onnx"));
        Path json = dir.resolve("dynamic.json");
        CliRun run = CliRun.of("verify", "--onnx", dynamic, "--tflite", template.tflite(), "--outputs-only", "--json", json);
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode input = JSON.readTree(json.toFile()).at("/inputs/0");
        assertEquals("[1,3,127,127]", input.get("onnxShape").toString());
        assertTrue(input.get("shapeOrigin").asText().contains("taken from TFLite input 'serving_default_x:0'"),
                input::toString);
    }

    @Test
    void differentNetworksWithOtherInputsStillRunAndFailAsDifferentNetworks() throws Exception {
        FixturePair template = FixturePairs.pair("template-127-onnxtf");
        FixturePair detection = FixturePairs.pair("detection-271-onnxtf");
        Path json = FixturePairs.scratch("different").resolve("different.json");
        CliRun run = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", detection.tflite(), "--json", json);
        assertEquals(1, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(json.toFile());
        assertTrue(report.get("summary").asText().contains("the graphs do not align: no counterpart for"),
                report.get("summary")::toString);
        assertTrue(report.get("warnings").toString().contains("has no ONNX counterpart: it is fed seeded values of its own"),
                report.get("warnings")::toString);
    }

    @Test
    void inputsAreBoundAcrossLayoutsAndOutputsByShape() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnx2tf");
        Path json = FixturePairs.scratch("bind").resolve("r.json");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", json, "--outputs-only");
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(json.toFile());
        JsonNode input = report.get("inputs").get(0);
        assertEquals("[0,2,3,1]", input.get("permutation").toString());
        assertEquals("[1,127,127,3]", input.get("tfliteShape").toString());
        JsonNode r1 = report.get("outputs").get(0);
        assertEquals("r1_kernel_raw", r1.get("onnx").asText());
        assertEquals("[1,4,4,640]", r1.get("tfliteShape").toString());
        assertTrue(report.get("layers").isEmpty(), "--outputs-only compares no layers");
        assertTrue(report.get("alignment").isNull());
    }

    @Test
    void onnxTfOutputsInReverseOrderAreStillPairedByShape() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnxtf");
        Path json = FixturePairs.scratch("order").resolve("r.json");
        assertEquals(0, CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", json,
                "--outputs-only").exitCode());
        JsonNode outputs = JSON.readTree(json.toFile()).get("outputs");
        assertEquals("[1,640,4,4]", outputs.get(0).get("tfliteShape").toString());
        assertEquals("shape", outputs.get(0).get("bindRule").asText());
    }

    @Test
    void builtinKernelsAndThreadsAreRecorded() throws Exception {
        FixturePair pair = FixturePairs.pair("detection-271-onnxtf");
        Path json = FixturePairs.scratch("delegate").resolve("r.json");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", json,
                "--tflite-delegate", "none", "--threads", "2", "--outputs-only");
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode tflite = JSON.readTree(json.toFile()).at("/provenance/tfliteRuntime/settings");
        assertEquals("none", tflite.get("delegate").asText());
        assertEquals("2", tflite.get("threads").asText());
    }

    @Test
    void theSeedDecidesTheInputs() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnxtf");
        Path dir = FixturePairs.scratch("seed");
        CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", dir.resolve("a.json"), "--outputs-only");
        CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", dir.resolve("b.json"), "--outputs-only",
                "--seed", "11");
        JsonNode a = JSON.readTree(dir.resolve("a.json").toFile());
        JsonNode b = JSON.readTree(dir.resolve("b.json").toFile());
        assertEquals(0, a.get("seed").asInt());
        assertEquals(11, b.get("seed").asInt());
        assertNotEquals(a.at("/outputs/0/metrics/scale").asDouble(), b.at("/outputs/0/metrics/scale").asDouble());
    }

    @Test
    void aBrokenConversionExitsOneAndNamesTheLayer() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnxtf-conv-weight-early");
        Path dir = FixturePairs.scratch("broken");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--report-dir", dir);
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("FAIL  Diverges first at '" + pair.oracle().brokenOnnxTensor() + "'"), run::toString);
        assertTrue(Files.exists(dir.resolve(pair.tflite().getFileName().toString().replace(".tflite", ".json"))));
    }

    @Test
    void theDefaultReportGoesToTheReportFolderNamedAfterTheTfliteFile() {
        FixturePair pair = FixturePairs.pair("template-127-onnxtf");
        Path dir = FixturePairs.scratch("default");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--report-dir", dir, "--outputs-only");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Files.exists(dir.resolve("template-127-onnxtf.json")));
        assertTrue(run.out().contains("report: " + dir.resolve("template-127-onnxtf.json")), run::toString);
    }

    @Test
    void perTensorOverridesCanLiveInAnArgumentFile() throws Exception {
        FixturePair pair = FixturePairs.pair("detection-271-onnx2tf");
        Path dir = FixturePairs.scratch("overrides");
        Path file = Files.writeString(dir.resolve("tolerances.txt"),
                "--override\nscore*=scale:1e-2\n--override\n*Reshape*=atol:1e-5,rtol:1e-3\n");
        Path json = dir.resolve("r.json");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", json, "@" + file);
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(json.toFile());
        assertEquals("max |a-b| <= 0.01 x max|ref| (floor 1e-30)", report.at("/outputs/1/rule").asText());
        assertEquals("max |a-b| <= 0.001 x max|ref| (floor 1e-30)", report.at("/outputs/0/rule").asText());
        boolean reshapeOverridden = false;
        for (JsonNode l : report.get("layers")) {
            if (l.get("tflite").asText().contains("Reshape")) {
                assertEquals("|a-b| <= 1e-5 + 0.001 x |ref| at every element", l.get("rule").asText());
                reshapeOverridden = true;
            }
        }
        assertTrue(reshapeOverridden);
    }

    @Test
    void aTaskCheckOnAMissingOutputOrAShapeThatCannotHoldItIsBadInput() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnxtf");
        Path dir = FixturePairs.scratch("bad-check");
        Path json = dir.resolve("r.json");
        for (String[] c : new String[][] {{"nosuch=peak", "nosuch"}, {"cls1_kernel_raw=top-rows:1@999", "column 999"},
                {"cls1_kernel_raw=argmax", "is not peak, top-locations:K, top-classes:K or top-rows:K@COLUMN"},
                {"peak", "expected OUTPUT=CHECK"}}) {
            CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--outputs-only",
                    "--check", c[0], "--json", json);
            assertEquals(2, run.exitCode(), run::toString);
            assertTrue(run.errLines().get(0).contains(c[1]), () -> c[0] + ": " + run);
            assertFalse(Files.exists(json), "no report for bad input");
        }
        CliRun ok = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--outputs-only", "--check",
                "cls1_kernel_raw=peak", "--json", json);
        assertEquals(0, ok.exitCode(), ok::toString);
        assertTrue(ok.out().contains("check peak: agrees"), ok::toString);
    }

    @Test
    void versionNamesToolAndBothRuntimes() {
        CliRun run = CliRun.of("--version");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("tensor-parity 0.1.0"), run.out());
        assertTrue(run.out().contains("ONNX Runtime 1.29.0"), run.out());
        assertTrue(run.out().contains("TFLite 2.21.0"), run.out());
    }

    @Test
    void helpShowsExamplesAndExitCodes() {
        CliRun run = CliRun.of("verify", "--help");
        assertEquals(0, run.exitCode());
        for (String expected : new String[] {"--onnx", "--tflite", "--seed", "--shape", "--bind", "--atol", "--rtol",
                "--report-dir", "--json", "--tflite-delegate", "--threads", "Examples:", "Exit codes: 0 parity holds"}) {
            assertTrue(run.out().contains(expected), () -> "missing " + expected + " in\n" + run.out());
        }
    }

    @Test
    void alignHelpLeavesOutWhatOnlyJudges() {
        // Before, align --help listed --atol, --tolerance, --check ...: options that change no pair it shows.
        CliRun align = CliRun.of("align", "--help");
        CliRun verify = CliRun.of("verify", "--help");
        for (String judging : new String[] {"--atol", "--rtol", "--tolerance=", "--override", "--check"}) {
            assertFalse(align.out().contains(judging), () -> judging + " in\n" + align.out());
            assertTrue(verify.out().contains(judging), () -> "missing " + judging + " in\n" + verify.out());
        }
        assertEquals(2, CliRun.of("align", "--onnx", "a.onnx", "--tflite", "a.tflite", "--atol", "1").exitCode());
    }

    @Test
    void topLevelHelpIndentsEveryWrappedLine() {
        CliRun run = CliRun.of("--help");
        assertEquals(0, run.exitCode());
        // Before, wrapped exit-code lines restarted at column 0.
        for (String line : run.out().lines().toList()) {
            assertTrue(line.isEmpty() || line.startsWith(" ") || line.startsWith("Usage:") || line.endsWith(":")
                    || line.startsWith("Proves"), () -> "unindented: '" + line + "' in\n" + run.out());
            assertTrue(line.length() <= 80, () -> "too wide: " + line);
        }
    }

    @Test
    void aMistypedCommandOrOptionGetsItsLikelyName() {
        // Before: "Unmatched argument at index 0: 'veriffy'" and nothing else.
        CliRun command = CliRun.of("veriffy");
        assertEquals(2, command.exitCode());
        assertTrue(command.err().contains("Did you mean: parity verify"), command::toString);
        CliRun option = CliRun.of("verify", "--onnx", "a.onnx", "--tflite", "a.tflite", "--tolerence", "fp16");
        assertEquals(2, option.exitCode());
        assertTrue(option.err().contains("--tolerance"), option::toString);
    }

    @Test
    void aTfliteFileOfOtherWeightsIsCalledThatFirst() throws Exception {
        // The template exported twice from different weights, as when a stale checkpoint was converted.
        FixturePair template = FixturePairs.pair("template-127-onnxtf");
        Path dir = FixturePairs.scratch("other-weights");
        FixturePair other = org.tensorparity.fixtures.catalog.FixtureWriter.write(
                org.tensorparity.fixtures.catalog.FixtureCatalog.byName("template-127-onnxtf"), dir, FixturePairs.WIDTH,
                FixturePairs.SEED + 1);
        Path json = dir.resolve("other.json");
        CliRun run = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", other.tflite(), "--json", json);
        assertEquals(1, run.exitCode(), run::toString);
        String summary = JSON.readTree(json.toFile()).get("summary").asText();
        // Before: "Diverges first at 'input.2' ...: root cause: it adds 1.44 of scale by itself", as for a broken layer.
        assertTrue(summary.startsWith("Nothing agrees from the first aligned layer on"), summary);
        assertTrue(summary.contains("the TFLite file may be another model, or hold other weights"), summary);

        Path broken = dir.resolve("broken.json");
        FixturePair early = FixturePairs.pair("template-127-onnxtf-conv-weight-early");
        CliRun bug = CliRun.of("verify", "--onnx", early.onnx(), "--tflite", early.tflite(), "--json", broken);
        assertEquals(1, bug.exitCode(), bug::toString);
        assertTrue(JSON.readTree(broken.toFile()).get("summary").asText().startsWith("Diverges first at"),
                "a converter bug in the first layer keeps its headline");
    }

    @Test
    void anErrorThatShrinksDownstreamSaysSoInEveryFormat() throws Exception {
        // The NHWC view of r1_kernel: its error is smaller by the outputs (0.77 of itself at full width).
        FixturePair pair = FixturePairs.pair("detection-271-onnx2tf-kernel-view-nhwc");
        Path dir = FixturePairs.scratch("shrinks");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", dir.resolve("r.json"),
                "--markdown", dir.resolve("r.md"));
        assertEquals(1, run.exitCode(), run::toString);
        // Before: "error x0.769 from there to the outputs", "The error grows x0.769", "the error grows x0.769".
        for (String text : List.of(run.out(), Files.readString(dir.resolve("r.html")), Files.readString(dir.resolve("r.md")))) {
            assertFalse(text.matches("(?s).*(grows|error) x0\\..*"), text);
        }
        for (Path file : List.of(dir.resolve("r.html"), dir.resolve("r.md"))) {
            assertTrue(Files.readString(file).matches("(?s).*shrinks to 0\\.\\d+ of itself.*"), file::toString);
        }
    }
}
