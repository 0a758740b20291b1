package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * The activation-function hypotheses of a diagnosis (issue 33: GELU erf vs tanh, HardSwish) on YOLOX-nano, whose
 * every activation is a Swish: HardSwish mutants of either side, and a GELU variant of the pair (its Swishes made exact
 * GELUs on both sides) whose mutants approximate one GELU with tanh. A HardSwish mutant fails, is localized at the
 * changed activation and diagnosed as that activation, named. GELU's tanh approximation moves values by less than
 * any rule allows (7e-6 of scale), so its mutant passes, and the layer asked for by name is diagnosed as the
 * approximation; the GELU variant itself passes with no diagnosis.
 */
class ActivationFunctionDiagnosisTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = FixturePairs.scratch("activation-functions");
    private static Expectation yolox;
    private static RealPairMutants.Pair pair;

    @BeforeAll
    static void pair() {
        yolox = RealPairs.expectations().stream().filter(e -> e.name().equals("yolox-nano-float16")).findFirst()
                .orElseThrow();
        pair = new RealPairMutants.Pair(yolox.name(), yolox.onnxPath(), yolox.tflitePath());
    }

    @Test
    void aHardSwishForASwishIsDiagnosedOnEitherSide() throws IOException {
        List<RealPairMutants.Mutant> mutants = RealPairMutants.writeSwishes(pair, DIR.resolve("swish"), 2);
        assertEquals(4, mutants.size(), "two mutants of each side");
        for (RealPairMutants.Mutant m : mutants) {
            JsonNode report = verify(m.name(), m.onnx(), m.tflite());
            String where = m.mutation().description() + ": " + report.at("/firstDivergence");
            assertEquals("fail", report.get("verdict").asText(), where);
            if (m.mutation().side().equals("onnx")) {
                assertTrue(m.mutation().expectedOnnx().contains(report.at("/firstDivergence/onnx").asText()), where);
            } else {
                assertEquals(m.mutation().expectedTflite(), report.at("/firstDivergence/tflite").asText(), where);
            }
            JsonNode d = report.at("/firstDivergence/diagnosis");
            assertEquals("activation", d.path("kind").asText(), where);
            String detail = d.get("detail").asText();
            // An ONNX mutant is found at its gate, where ONNX's HardSigmoid parts from TFLite's LOGISTIC.
            assertTrue(m.mutation().side().equals("tflite")
                    ? detail.equals("HardSwish (x * ReLU6(x + 3) / 6) where ONNX has Swish (x * sigmoid(x))")
                    : detail.equals("sigmoid where ONNX has hard sigmoid (ReLU6(x + 3) / 6)"), detail);
        }
    }

    @Test
    void gelusTanhApproximationIsToldFromTheExactGelu() throws IOException {
        RealPairMutants.GeluVariant gelu = RealPairMutants.writeGelu(pair, DIR.resolve("gelu"), 2);
        JsonNode correct = verify("gelu-correct", gelu.correct().onnx(), gelu.correct().tflite());
        assertEquals("pass", correct.get("verdict").asText(), () -> correct.at("/firstDivergence").toString());
        for (JsonNode layer : correct.get("layers")) {
            assertTrue(layer.path("diagnosis").isMissingNode() || layer.get("diagnosis").isNull(), layer::toString);
        }
        for (RealPairMutants.Mutant m : gelu.approximated()) {
            String layer = m.mutation().expectedTflite();
            JsonNode report = verify(m.name(), m.onnx(), m.tflite(), "--diagnose", layer);
            assertEquals("pass", report.get("verdict").asText(), "GELU's tanh approximation is within tolerance");
            JsonNode asked = null;
            for (JsonNode l : report.get("layers")) {
                if (l.get("tflite").asText().equals(layer)) {
                    asked = l;
                }
            }
            String where = m.mutation().description() + ": " + asked;
            JsonNode d = asked.path("diagnosis");
            assertEquals("activation", d.path("kind").asText(), where);
            assertEquals("GELU with the tanh approximation where ONNX has GELU (erf)", d.get("detail").asText(),
                    where);
        }
    }

    private static JsonNode verify(String name, Path onnx, Path tflite, String... more) throws IOException {
        Path json = DIR.resolve(name + ".json");
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", onnx.toString(), "--tflite", tflite.toString(),
                "--json", json.toString()));
        argv.addAll(yolox.resolvedArgs());
        argv.addAll(List.of(more));
        CliRun run = CliRun.of(argv.toArray());
        assertTrue(Files.exists(json), run::toString);
        return JSON.readTree(json.toFile());
    }
}
