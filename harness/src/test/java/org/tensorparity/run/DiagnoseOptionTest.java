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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;

/**
 * {@code --diagnose} on a real conversion: the default diagnoses a failing run's root (its layer and the first
 * divergence carry the same diagnosis, in every format), {@code none} diagnoses nothing and costs nothing, and a layer
 * asked for by name is diagnosed whatever the verdict, with a name that matches no layer said in a warning.
 */
class DiagnoseOptionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = FixturePairs.scratch("diagnose-option");
    private static RealPairs.Expectation gtcrn;
    private static RealPairMutants.Mutant dropped;

    @BeforeAll
    static void mutant() throws IOException {
        gtcrn = RealPairs.expectations().stream().filter(e -> e.name().equals("gtcrn-micro-float32")).findFirst()
                .orElseThrow();
        dropped = RealPairMutants.writeLayouts(new RealPairMutants.Pair(gtcrn.name(), gtcrn.onnxPath(),
                gtcrn.tflitePath()), DIR, 1).get(0);
    }

    @Test
    void theRootOfAFailingRunIsDiagnosedInItsLayerAndInEveryFormat() throws IOException {
        Path json = DIR.resolve("roots.json");
        Path junit = DIR.resolve("roots.xml");
        CliRun run = verify(dropped.onnx(), dropped.tflite(), json, "--junit", junit.toString(), "--markdown",
                DIR.resolve("roots.md").toString());
        assertEquals(1, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(json.toFile());
        JsonNode first = report.get("firstDivergence");
        assertEquals("layout", first.at("/diagnosis/kind").asText(), first::toString);
        assertEquals(first.get("diagnosis"), report.get("layers").get(first.get("index").asInt()).get("diagnosis"));
        assertTrue(report.at("/timings/diagnosisMs").asDouble() > 0, report.get("timings")::toString);
        assertTrue(run.out().contains("likely cause: Reshape"), run::toString);
        assertTrue(Files.readString(junit).contains("likely cause: Reshape"));
        assertTrue(Files.readString(DIR.resolve("roots.md")).contains("likely cause: Reshape"));
    }

    @Test
    void noneDiagnosesNothing() throws IOException {
        Path json = DIR.resolve("none.json");
        CliRun run = verify(dropped.onnx(), dropped.tflite(), json, "--diagnose", "none");
        assertEquals(1, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(json.toFile());
        assertTrue(report.at("/firstDivergence/diagnosis").isMissingNode()
                || report.at("/firstDivergence/diagnosis").isNull(), report.get("firstDivergence")::toString);
        for (JsonNode layer : report.get("layers")) {
            assertFalse(layer.has("diagnosis") && !layer.get("diagnosis").isNull(), layer::toString);
        }
        assertEquals(0, report.at("/timings/diagnosisMs").asDouble());
        assertFalse(run.out().contains("likely cause"), run::toString);
    }

    @Test
    void aLayerAskedForByNameIsDiagnosedInAPassingRun() throws IOException {
        Path first = DIR.resolve("correct.json");
        verify(gtcrn.onnxPath(), gtcrn.tflitePath(), first);
        JsonNode layer = JSON.readTree(first.toFile()).get("layers").get(10);
        String name = layer.get("onnx").asText();

        Path json = DIR.resolve("asked.json");
        CliRun run = verify(gtcrn.onnxPath(), gtcrn.tflitePath(), json, "--diagnose", name + ",no-such-tensor");
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(json.toFile());
        JsonNode diagnosis = report.get("layers").get(10).get("diagnosis");
        assertEquals("unknown", diagnosis.get("kind").asText(), diagnosis::toString);
        assertTrue(diagnosis.get("detail").asText().contains("nothing to reproduce"), diagnosis::toString);
        assertTrue(report.get("warnings").toString().contains("--diagnose no-such-tensor: no aligned pair holds"),
                report.get("warnings")::toString);
        assertTrue(run.out().contains("diagnosed " + name), run::toString);
    }

    @Test
    void rootsAndNoneTogetherAreAUsageError() {
        CliRun run = CliRun.of("verify", "--onnx", gtcrn.onnxPath(), "--tflite", gtcrn.tflitePath(), "--diagnose",
                "roots,none");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--diagnose roots and --diagnose none contradict each other"), run::toString);
    }

    private static CliRun verify(Path onnx, Path tflite, Path json, String... more) {
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", onnx.toString(), "--tflite", tflite.toString(),
                "--json", json.toString()));
        argv.addAll(gtcrn.resolvedArgs());
        argv.addAll(List.of(more));
        return CliRun.of(argv.toArray());
    }
}
