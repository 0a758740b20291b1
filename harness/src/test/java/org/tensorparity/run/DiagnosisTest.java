package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Diagnosis on real graphs (issue 33): mutants of corpus pairs whose change is known must be diagnosed as that kind of
 * change, proven by reproducing the TFLite values, or as {@code unknown}; never as another kind. Correct pairs get no
 * diagnosis.
 */
class DiagnosisTest {
    /** Pairs whose mutants are diagnosed: convolutions with BatchNorm folded, dense layers, both converters' styles. */
    private static final Set<String> MUTATED = Set.of("ultraface-slim320", "handgesture-keypoint", "emg-cnn-float64",
            "gtcrn-micro-float32");
    /** Correct pairs that must get no diagnosis. */
    private static final Set<String> CORRECT = Set.of("ultraface-slim320", "handgesture-keypoint", "emg-cnn-float64",
            "gtcrn-micro-float32");
    /** What each mutation must be diagnosed as, when it is diagnosed at all. */
    private static final Map<MutationKind, String> EXPECTED = Map.of(MutationKind.CHANNEL_SCALE, "scale",
            MutationKind.SWAP_CHANNELS, "permutation", MutationKind.ZERO_BIAS, "offset", MutationKind.OFFSET_DROPPED,
            "offset", MutationKind.KERNEL_FLIP, "kernel_flip", MutationKind.TRANSPOSE, "transpose",
            MutationKind.BFLOAT16, "precision", MutationKind.EPSILON, "epsilon", MutationKind.BN_SCALE, "scale",
            MutationKind.BN_SHIFT, "offset");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = FixturePairs.scratch("diagnosis-mutants");
    private static final Map<String, String> OUTCOMES = new TreeMap<>();

    record Case(Expectation pair, RealPairMutants.Mutant mutant) {
        @Override
        public String toString() {
            return mutant.name();
        }
    }

    static Stream<Case> mutants() {
        List<Case> out = new ArrayList<>();
        for (Expectation e : RealPairs.expectations()) {
            if (!MUTATED.contains(e.name())) {
                continue;
            }
            try {
                for (RealPairMutants.Mutant m : RealPairMutants.write(new RealPairMutants.Pair(e.name(), e.onnxPath(),
                        e.tflitePath()), DIR.resolve(e.name()), 1)) {
                    out.add(new Case(e, m));
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out.stream();
    }

    static Stream<Expectation> correctPairs() {
        return RealPairs.expectations().stream().filter(e -> CORRECT.contains(e.name()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void aMutantIsDiagnosedAsItsKindOrUnknown(Case c) throws IOException {
        JsonNode report = verify(c.mutant().name(), c.mutant().onnx(), c.mutant().tflite(), c.pair());
        JsonNode d = report.at("/firstDivergence/diagnosis");
        String expected = EXPECTED.get(c.mutant().mutation().kind());
        String kind = d.isMissingNode() || d.isNull() ? "-" : d.get("kind").asText();
        OUTCOMES.put(c.mutant().name(), String.format(Locale.ROOT, "%s | %s | %s | %s | %s", c.mutant().mutation().description(),
                expected, kind, d.path("detail").asText(""), d.path("reproducedError").asText("")));
        if (report.get("verdict").asText().equals("pass") || kind.equals("-")) {
            return;
        }
        assertTrue(kind.equals(expected) || kind.equals("unknown"), () -> c.mutant().mutation().description()
                + ": diagnosed " + kind + " (" + d.get("detail").asText() + "), expected " + expected + "\n" + d);
        if (!kind.equals("unknown")) {
            assertTrue(d.get("reproducedError").asDouble() >= 0, d::toString);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("correctPairs")
    void aCorrectPairGetsNoDiagnosis(Expectation e) throws IOException {
        JsonNode report = verify(e.name(), e.onnxPath(), e.tflitePath(), e);
        assertEquals("pass", report.get("verdict").asText(), e.name());
        JsonNode d = report.at("/firstDivergence/diagnosis");
        assertTrue(d.isMissingNode() || d.isNull(), () -> e.name() + " got a diagnosis: " + d);
    }

    @AfterAll
    static void writeTable() throws IOException {
        StringBuilder md = new StringBuilder("| mutant | change | expected | diagnosed | detail | reproduced to |\n"
                + "|---|---|---|---|---|---|\n");
        OUTCOMES.forEach((name, row) -> md.append("| ").append(name).append(" | ").append(row).append(" |\n"));
        Files.writeString(DIR.resolve("diagnosis.md"), md);
    }

    private static JsonNode verify(String name, Path onnx, Path tflite, Expectation pair) throws IOException {
        Path json = DIR.resolve(name + ".json");
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", onnx.toString(), "--tflite", tflite.toString(),
                "--json", json.toString()));
        argv.addAll(pair.resolvedArgs());
        CliRun run = CliRun.of(argv.toArray());
        assertTrue(Files.exists(json), run::toString);
        JsonNode report = JSON.readTree(json.toFile());
        assertNotNull(report.get("verdict"), run::toString);
        return report;
    }
}
