package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorparity.compare.QuantizedWeightCheck;
import org.tensorparity.fixtures.catalog.AtomicFiles;
import org.tensorparity.fixtures.mutant.MutatedModel;
import org.tensorparity.fixtures.mutant.Mutation;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.OnnxMutator;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * The stored integer weights of a quantized conversion's kernels are checked against the ONNX weights: a correct
 * conversion's lie within half a step of them and its biases agree (every kernel of the corpus's dynamic-range and
 * integer conversions that maps), and an ONNX model whose int8-weight layer was changed (one output channel scaled
 * x1.5, two swapped), which the dynamic-range profile's isolation let pass, fails the run at that layer, and one
 * whose bias was set to zero names its bias too. A BatchNormalization the converter kept as a MUL and an ADD of
 * integer constants is checked alike: its factors and shifts within half a step in a correct conversion, and an ONNX
 * BatchNormalization whose scale or shift changed fails at itself by them. A matrix read in the other order of its two
 * axes (the ONNX MatMul's weights read transposed) fails where it is, its weights found reordered. An LSTM's input and
 * recurrent matrices are checked against the FULLY_CONNECTED operators of the cell a converter unrolls, gates reordered.
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
    @ValueSource(strings = {"yolox-nano-dynamic-range", "gtcrn-micro-dynamic-range", "gtcrn-micro-integer-int16",
            "dtln-model-1-dynamic-range"})
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
            assertEquals(0, w.get("biasOff").asInt(), layer::toString);
            // Rounding to the nearest code; the float32 BatchNorm fold may add a few roundings.
            assertTrue(w.get("worstSteps").asDouble() <= 0.5 + 1e-3, layer::toString);
        }
        assertTrue(checked >= 2, name + ": kernels whose weights were checked: " + checked);
    }

    /** A mutant of a corpus pair's ONNX model, verified against the pair's TFLite model. */
    record Case(Expectation pair, RealPairMutants.Mutant mutant) {
        @Override
        public String toString() {
            return mutant.name();
        }
    }

    private static Stream<Case> onnxMutants(String name, Set<MutationKind> kinds) {
        Expectation e = pair(name);
        try {
            return RealPairMutants.write(new RealPairMutants.Pair(e.name(), e.onnxPath(), e.tflitePath()), DIR, 2)
                    .stream().filter(m -> m.mutation().side().equals(Mutation.ONNX) && kinds.contains(m.mutation().kind()))
                    .map(m -> new Case(e, m));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    static Stream<Case> onnxConstantMutants() {
        // DTLN model_1's are its two LSTMs' weights, which the converter unrolls into FULLY_CONNECTED operators, and
        // the bias its last Dense adds after its MatMul, which the converter fuses into a FULLY_CONNECTED.
        return Stream.concat(onnxMutants("yolox-nano-dynamic-range",
                        Set.of(MutationKind.CHANNEL_SCALE, MutationKind.SWAP_CHANNELS, MutationKind.ZERO_BIAS)),
                onnxMutants("dtln-model-1-dynamic-range",
                        Set.of(MutationKind.CHANNEL_SCALE, MutationKind.SWAP_CHANNELS, MutationKind.OFFSET_DROPPED)));
    }

    @Test
    void aReproducerOfWeightsThatDifferFailsByThemAndItsCorrectCounterpartPasses() throws IOException {
        Case c = onnxMutants("yolox-nano-dynamic-range", Set.of(MutationKind.CHANNEL_SCALE)).findFirst().orElseThrow();
        Path dir = DIR.resolve("repro-" + c.mutant().name());
        Path json = dir.resolve("run.json");
        Path bundle = dir.resolve("bundle");
        CliRun run = verify(c.pair(), c.mutant().onnx(), json, "--repro", bundle.toString());
        assertEquals(1, run.exitCode(), run::toString);
        JsonNode root = JSON.readTree(json.toFile()).get("firstDivergence");
        JsonNode weights = JSON.readTree(json.toFile()).get("layers").get(root.get("index").asInt())
                .at("/isolated/weights");
        assertEquals(1, weights.get("channelsOff").asInt(), weights::toString);
        // Its values alone meet the rule: only the weights, which the cut keeps, make the bundle fail.
        assertTrue(Files.readString(bundle.resolve("README.md")).contains("int8 weights differ"), run::toString);
        CliRun again = CliRun.of("verify", "--onnx", bundle.resolve("repro.onnx"), "--tflite",
                bundle.resolve("repro.tflite"), "--inputs", bundle.resolve("inputs.npz"), "--json",
                dir.resolve("bundle.json"));
        assertEquals(1, again.exitCode(), again::toString);
        CliRun against = CliRun.of("repro", json, "--out", dir.resolve("against"), "--against", c.pair().onnxPath());
        assertEquals(0, against.exitCode(), against::toString);
    }

    /** The report of the mutant's verify, once it exited 1 naming the mutated operator's output first. */
    private static JsonNode failingAtTheMutation(Case c) throws IOException {
        RealPairMutants.Mutant mutant = c.mutant();
        Path json = DIR.resolve(mutant.name() + ".json");
        CliRun run = verify(c.pair(), mutant.onnx(), json);
        Mutation m = mutant.mutation();
        assertEquals(1, run.exitCode(), () -> m.description() + "\n" + run);
        JsonNode report = JSON.readTree(json.toFile());
        JsonNode first = report.get("firstDivergence");
        assertTrue(m.expectedOnnx().contains(first.get("onnx").asText()), () -> m.description() + ": " + first);
        return report;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("onnxConstantMutants")
    void constantsChangedBeforeQuantizingFailTheRunWhereTheyAre(Case c) throws IOException {
        Mutation m = c.mutant().mutation();
        JsonNode report = failingAtTheMutation(c);
        JsonNode first = report.get("firstDivergence");
        assertEquals("isolated", first.get("locatedBy").asText(), m::description);
        JsonNode weights = report.get("layers").get(first.get("index").asInt()).at("/isolated/weights");
        // A layer the converter computes in float32 is caught by its values; an int8-weight one by its constants too.
        if (!weights.isNull() && !weights.isMissingNode() && m.kind() == MutationKind.ZERO_BIAS) {
            assertEquals(0, weights.get("channelsOff").asInt(), () -> m.description() + ": " + weights);
            assertEquals(weights.get("channels").asInt(), weights.get("biasOff").asInt(), weights::toString);
        } else if (!weights.isNull() && !weights.isMissingNode() && m.kind() == MutationKind.OFFSET_DROPPED) {
            assertEquals(0, weights.get("channelsOff").asInt(), () -> m.description() + ": " + weights);
            assertTrue(weights.get("biasOff").asInt() >= 1, weights::toString);
        } else if (!weights.isNull() && !weights.isMissingNode()) {
            int off = weights.get("channelsOff").asInt();
            assertTrue(off >= 1 && off <= 2, () -> m.description() + ": " + weights);
            assertFalse(weights.get("worstSteps").asDouble() <= QuantizedWeightCheck.WITHIN_STEPS, weights::toString);
        }
    }

    @Test
    void aBatchNormKeptAsMulAndAddFailsByItsStoredConstantsWhenTheOnnxOneChanges() throws IOException {
        Expectation e = pair("gtcrn-micro-integer-int16");
        Path json = DIR.resolve("bn-correct.json");
        CliRun correct = verify(e, e.onnxPath(), json, "--isolate", "all");
        assertEquals(0, correct.exitCode(), correct::toString);
        Set<String> keptApart = new HashSet<>();
        for (JsonNode layer : JSON.readTree(json.toFile()).get("layers")) {
            JsonNode w = layer.at("/isolated/weights");
            if (layer.get("onnxOp").asText().equals("BatchNormalization") && !w.isMissingNode() && !w.isNull()
                    && !layer.get("tfliteOp").asText().endsWith("CONV")) {
                assertTrue(w.get("worstSteps").asDouble() <= 0.5 + 1e-3, layer::toString);
                assertEquals(0, w.get("biasOff").asInt(), layer::toString);
                keptApart.add(layer.get("onnx").asText());
            }
        }
        assertTrue(keptApart.size() >= 4, "BatchNorms kept as MUL and ADD, checked: " + keptApart);
        OnnxMutator mutator = new OnnxMutator(Files.readAllBytes(e.onnxPath()));
        List<OnnxMutator.Site> sites = mutator.sites().stream().filter(s -> keptApart.contains(s.output())).toList();
        assertFalse(sites.isEmpty(), "no mutable site among " + keptApart);
        for (OnnxMutator.Site site : sites.subList(0, Math.min(2, sites.size()))) {
            for (MutationKind kind : List.of(MutationKind.BN_SCALE, MutationKind.BN_SHIFT)) {
                MutatedModel m = mutator.apply(site, kind);
                Path onnx = DIR.resolve("bn-" + site.node() + "-" + kind + ".onnx");
                AtomicFiles.write(onnx, o -> o.write(m.bytes()));
                Path mutantJson = DIR.resolve("bn-" + site.node() + "-" + kind + ".json");
                CliRun run = verify(e, onnx, mutantJson);
                String what = site.output() + ": " + m.description();
                assertEquals(1, run.exitCode(), () -> what + "\n" + run);
                JsonNode report = JSON.readTree(mutantJson.toFile());
                JsonNode first = report.get("firstDivergence");
                assertEquals(site.output(), first.get("onnx").asText(), what);
                JsonNode weights = report.get("layers").get(first.get("index").asInt()).at("/isolated/weights");
                assertTrue(weights.get(kind == MutationKind.BN_SCALE ? "channelsOff" : "biasOff").asInt() >= 1,
                        () -> what + ": " + weights);
            }
        }
    }

    static Stream<Case> matricesReadTransposed() {
        // DTLN model_2's LSTM MatMul is named although a slice paired by structure alone fails earlier in layer order:
        // the first divergence is the confidently paired root.
        return Stream.concat(onnxMutants("gtcrn-micro-dynamic-range", Set.of(MutationKind.TRANSPOSE)),
                onnxMutants("dtln-model-2-dynamic-range", Set.of(MutationKind.TRANSPOSE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matricesReadTransposed")
    void aMatrixReadTransposedFailsWhereItIsWithItsWeightsReordered(Case c) throws IOException {
        Mutation m = c.mutant().mutation();
        JsonNode report = failingAtTheMutation(c);
        JsonNode first = report.get("firstDivergence");
        JsonNode weights = report.get("layers").get(first.get("index").asInt()).at("/isolated/weights");
        assertTrue(weights.get("reordered").asBoolean(), () -> m.description() + ": " + weights);
        // The diagnosis reproduces it with the TFLite weights and names the transpose through their int8 rounding.
        assertEquals("transpose", first.at("/diagnosis/kind").asText(), first::toString);
    }
}
