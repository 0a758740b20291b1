package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorparity.compare.QuantizedWeightCheck;
import org.tensorparity.fixtures.mutant.Mutation;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * The stored integer weights of a quantized conversion's kernels are checked against the ONNX weights: a correct
 * conversion's lie within half a step of them (every kernel of the corpus's dynamic-range and integer conversions
 * that maps), and an ONNX model whose int8-weight layer was changed (one output channel scaled x1.5, two swapped),
 * which the dynamic-range profile's isolation let pass, fails the run at that layer.
 */
class StoredWeightsTest {
    private static final Path DIR = FixturePairs.scratch("stored-weights");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Expectation pair(String name) {
        return RealPairs.expectations().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static CliRun verify(Expectation e, Path onnx, Path json, String... more) {
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", onnx.toString(), "--tflite",
                e.tflitePath().toString(), "--json", json.toString()));
        argv.addAll(e.resolvedArgs());
        argv.addAll(List.of(more));
        return CliRun.of(argv.toArray());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"yolox-nano-dynamic-range", "gtcrn-micro-dynamic-range", "gtcrn-micro-integer-int16"})
    void aCorrectConversionsStoredWeightsAreWithinRoundingOfTheOnnxWeights(String name) throws IOException {
        Expectation e = pair(name);
        Path json = DIR.resolve(name + ".json");
        CliRun run = verify(e, e.onnxPath(), json, "--isolate", "all");
        assertEquals(0, run.exitCode(), run::toString);
        int checked = 0;
        for (JsonNode layer : JSON.readTree(json.toFile()).get("layers")) {
            JsonNode w = layer.at("/isolated/weights");
            if (w.isMissingNode() || w.isNull()) {
                continue;
            }
            checked++;
            assertEquals(0, w.get("channelsOff").asInt(), layer::toString);
            // Rounding to the nearest code; the float32 BatchNorm fold may add a few roundings.
            assertTrue(w.get("worstSteps").asDouble() <= 0.5 + 1e-3, layer::toString);
        }
        assertTrue(checked >= 2, name + ": kernels whose weights were checked: " + checked);
    }

    static Stream<RealPairMutants.Mutant> onnxWeightMutants() {
        Expectation yolox = pair("yolox-nano-dynamic-range");
        Set<MutationKind> kinds = Set.of(MutationKind.CHANNEL_SCALE, MutationKind.SWAP_CHANNELS);
        try {
            return RealPairMutants.write(new RealPairMutants.Pair(yolox.name(), yolox.onnxPath(), yolox.tflitePath()),
                    DIR, 2).stream().filter(m -> m.mutation().side().equals(Mutation.ONNX)
                            && kinds.contains(m.mutation().kind()));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("onnxWeightMutants")
    void weightsChangedBeforeQuantizingFailTheRunWhereTheyAre(RealPairMutants.Mutant mutant) throws IOException {
        Expectation yolox = pair("yolox-nano-dynamic-range");
        Path json = DIR.resolve(mutant.name() + ".json");
        CliRun run = verify(yolox, mutant.onnx(), json);
        Mutation m = mutant.mutation();
        assertEquals(1, run.exitCode(), () -> m.description() + "\n" + run);
        JsonNode report = JSON.readTree(json.toFile());
        JsonNode first = report.get("firstDivergence");
        assertTrue(m.expectedOnnx().contains(first.get("onnx").asText()), () -> m.description() + ": " + first);
        assertEquals("isolated", first.get("locatedBy").asText(), m::description);
        JsonNode weights = report.get("layers").get(first.get("index").asInt()).at("/isolated/weights");
        if (!weights.isNull() && !weights.isMissingNode()) {
            // A layer the converter computes in float32 is caught by its values; an int8-weight one by its weights.
            int off = weights.get("channelsOff").asInt();
            assertTrue(off >= 1 && off <= 2, () -> m.description() + ": " + weights);
            assertFalse(weights.get("worstSteps").asDouble() <= QuantizedWeightCheck.WITHIN_STEPS, weights::toString);
        }
    }
}
