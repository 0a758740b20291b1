package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.run.RealMutantsTest.Case;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * A Keras Dense layer exported to ONNX as MatMul, Reshape and Add (DTLN model_2's dense_3) and converted to one
 * FULLY_CONNECTED followed by a RESHAPE that holds the same values. The Add's bias belongs to the MatMul, so the Add
 * pairs with the FULLY_CONNECTED: ranked by the Reshape before it, it paired with the RESHAPE, and a mutant of the
 * FULLY_CONNECTED small enough to keep its values aligned (its weights truncated to bfloat16) was named at the RESHAPE.
 */
class DenseLayerPairingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = FixturePairs.scratch("dense-layer-pairing");
    private static final String BIAS_ADD = "model_2/dense_3/BiasAdd:0";

    private static Expectation pair() {
        return RealPairs.expectations().stream().filter(p -> p.name().equals("dtln-model-2")).findFirst()
                .orElseThrow();
    }

    @Test
    void theDenseLayersAddPairsWithTheFullyConnected() throws IOException {
        Expectation e = pair();
        Path json = DIR.resolve("correct.json");
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", e.onnxPath().toString(), "--tflite",
                e.tflitePath().toString(), "--json", json.toString()));
        argv.addAll(e.resolvedArgs());
        CliRun run = CliRun.of(argv.toArray());
        assertEquals(0, run.exitCode(), run::toString);
        List<String> paired = new ArrayList<>();
        for (JsonNode layer : JSON.readTree(json.toFile()).get("layers")) {
            if (layer.get("onnx").asText().equals(BIAS_ADD)) {
                paired.add(layer.get("tfliteOp").asText());
            }
        }
        assertEquals(List.of("FULLY_CONNECTED"), paired, BIAS_ADD + " pairs with");
    }

    static Stream<Case> mutants() throws IOException {
        Expectation e = pair();
        List<Case> out = new ArrayList<>();
        for (RealPairMutants.Mutant m : RealPairMutants.write(
                new RealPairMutants.Pair(e.name(), e.onnxPath(), e.tflitePath()), DIR, 5)) {
            if (m.mutation().operator().equals("FULLY_CONNECTED")) {
                out.add(new Case(e, m));
            }
        }
        assertTrue(out.size() >= 3, () -> "mutants of a FULLY_CONNECTED written: " + out.size());
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void aMutatedFullyConnectedIsNamedItself(Case c) throws IOException {
        CliRun run = c.verify(DIR);
        String what = c.mutant().mutation().description() + "\n" + run;
        assertEquals(1, run.exitCode(), what);
        JsonNode first = JSON.readTree(c.report(DIR).toFile()).get("firstDivergence");
        assertEquals(c.mutant().mutation().expectedTflite(), first.path("tflite").asText(), what);
    }
}
