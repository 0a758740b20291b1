package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Reproducers beyond one verify, on UltraFace (float32, a Keras port) and its mutants: {@code parity suite --repro}
 * writes one bundle per failing pair and none for a correct one, leaving the verdicts as they were; {@code parity
 * repro --against} writes the bundle only when the same cut of the correct counterpart passes, on either side.
 */
class ReproSuiteAndCounterpartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = FixturePairs.scratch("repro-suite");
    private static final Set<String> BUNDLE = Set.of("repro.onnx", "repro.tflite", "inputs.npz", "README.md");
    private static Expectation pair;
    private static RealPairMutants.Mutant tfliteMutant;
    private static RealPairMutants.Mutant onnxMutant;

    @BeforeAll
    static void mutants() throws IOException {
        pair = RealPairs.expectations().stream().filter(e -> e.name().equals("ultraface-slim320")).findFirst()
                .orElseThrow();
        assumeTrue(Files.exists(pair.onnxPath()), "the real-pairs corpus is not here");
        List<RealPairMutants.Mutant> all = RealPairMutants.write(new RealPairMutants.Pair(pair.name(), pair.onnxPath(),
                pair.tflitePath()), DIR.resolve("mutants"), 1);
        tfliteMutant = all.stream().filter(m -> m.mutation().kind() == MutationKind.CHANNEL_SCALE
                && m.name().contains("-tflite-")).findFirst().orElseThrow();
        onnxMutant = all.stream().filter(m -> m.mutation().kind() == MutationKind.ZERO_BIAS
                && m.name().contains("-onnx-")).findFirst().orElseThrow();
    }

    @Test
    void aSuiteWritesABundlePerFailingPairAndKeepsItsVerdicts() throws IOException {
        Path suite = Files.writeString(DIR.resolve("ultraface.suite.yaml"), """
                pairs:
                  - name: correct
                    onnx: %s
                    tflite: %s
                  - name: tflite channel/scaled
                    onnx: %s
                    tflite: %s
                  - name: onnx-zero-bias
                    onnx: %s
                    tflite: %s
                """.formatted(pair.onnxPath().toAbsolutePath(), pair.tflitePath().toAbsolutePath(),
                tfliteMutant.onnx().toAbsolutePath(), tfliteMutant.tflite().toAbsolutePath(),
                onnxMutant.onnx().toAbsolutePath(), onnxMutant.tflite().toAbsolutePath()));
        Path repro = DIR.resolve("suite-repro");
        Path json = DIR.resolve("suite.json");
        // Two pairs at once: their bundles are built side by side in the same folder.
        CliRun run = CliRun.of("suite", suite, "--json", json, "--repro", repro, "--jobs", "2");
        assertEquals(1, run.exitCode(), run::toString);

        JsonNode report = JSON.readTree(json.toFile());
        assertEquals("pass", report.at("/pairs/0/report/verdict").asText());
        assertEquals("fail", report.at("/pairs/1/report/verdict").asText());
        assertEquals("fail", report.at("/pairs/2/report/verdict").asText());
        // A name with a folder separator in it is one folder all the same.
        assertEquals(Set.of("tflite_channel_scaled", "onnx-zero-bias"), files(repro));
        for (String folder : List.of("tflite_channel_scaled", "onnx-zero-bias")) {
            Path bundle = repro.resolve(folder);
            assertEquals(BUNDLE, files(bundle));
            assertTrue(run.out().contains("reproducer: " + bundle + " ("), run::toString);
            CliRun again = CliRun.of("verify", "--onnx", bundle.resolve("repro.onnx"), "--tflite",
                    bundle.resolve("repro.tflite"), "--inputs", bundle.resolve("inputs.npz"), "--json",
                    DIR.resolve(folder + "-bundle.json"));
            assertEquals(1, again.exitCode(), again::toString);
        }
        assertTrue(run.errLines().isEmpty(), "a correct pair has nothing to cut and says nothing: " + run);
    }

    @Test
    void aSuitePairWithoutARootCauseGetsOneLineAndNoBundle() throws IOException {
        Path suite = Files.writeString(DIR.resolve("outputs-only.suite.yaml"), """
                pairs:
                  - name: mutant
                    onnx: %s
                    tflite: %s
                """.formatted(tfliteMutant.onnx().toAbsolutePath(), tfliteMutant.tflite().toAbsolutePath()));
        Path repro = DIR.resolve("outputs-only-repro");
        CliRun run = CliRun.of("suite", suite, "--json", DIR.resolve("outputs-only.json"), "--outputs-only",
                "--repro", repro);
        assertEquals(1, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().startsWith("no reproducer written to " + repro.resolve("mutant") + ": "), run::toString);
        assertFalse(Files.exists(repro.resolve("mutant")), run::toString);
    }

    @Test
    void aSuiteWhoseReproFolderCannotBeWrittenRunsNothing() throws IOException {
        Path suite = Files.writeString(DIR.resolve("blocked.suite.yaml"), """
                pairs:
                  - name: mutant
                    onnx: %s
                    tflite: %s
                """.formatted(tfliteMutant.onnx().toAbsolutePath(), tfliteMutant.tflite().toAbsolutePath()));
        Path file = Files.writeString(DIR.resolve("blocked"), "a file where the folder should go");
        Path json = DIR.resolve("blocked.json");
        CliRun run = CliRun.of("suite", suite, "--json", json, "--repro", file);
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("cannot write reproducer " + file.resolve("mutant")), run::toString);
        assertFalse(Files.exists(json), "nothing ran, nothing was written: " + run);
    }

    @Test
    void theSameCutOfTheCorrectConversionPasses() throws IOException {
        Path report = verify(tfliteMutant, "against-tflite.json");
        Path bundle = DIR.resolve("against-tflite");
        CliRun run = CliRun.of("repro", report, "--out", bundle, "--against", pair.tflitePath());
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(BUNDLE, files(bundle), "the counterpart's cut is checked, not kept");
        assertTrue(run.out().contains("checked: the same cut of " + pair.tflitePath() + " passes"), run::toString);
        String readme = Files.readString(bundle.resolve("README.md"));
        assertTrue(readme.contains("**Against the correct TFLite conversion** `"
                + pair.tflitePath().getFileName() + "`"), readme);
    }

    @Test
    void theSameCutOfTheCorrectOriginalPasses() throws IOException {
        Path report = verify(onnxMutant, "against-onnx.json");
        Path bundle = DIR.resolve("against-onnx");
        CliRun run = CliRun.of("repro", report, "--out", bundle, "--against", pair.onnxPath());
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("checked: the same cut of " + pair.onnxPath() + " passes"), run::toString);
        assertTrue(Files.readString(bundle.resolve("README.md")).contains("**Against the correct ONNX original**"));
    }

    @Test
    void aCounterpartWhoseCutFailsTooWritesNoBundle() throws IOException {
        // The mutant itself as its own "correct" counterpart: its cut fails exactly as the bundle's does.
        Path report = verify(tfliteMutant, "against-itself.json");
        Path bundle = DIR.resolve("against-itself");
        CliRun run = CliRun.of("repro", report, "--out", bundle, "--against", tfliteMutant.tflite());
        assertEquals(1, run.exitCode(), run::toString);
        assertFalse(Files.exists(bundle), run::toString);
        assertTrue(run.err().contains("fails too"), run::toString);
        assertTrue(run.err().contains("the cut does not isolate the conversion's bug"), run::toString);

        CliRun unreadable = CliRun.of("repro", report, "--out", bundle, "--against", DIR.resolve("good.txt"));
        assertEquals(2, unreadable.exitCode(), unreadable::toString);
        assertTrue(unreadable.err().contains("--against"), unreadable::toString);
    }

    private static Path verify(RealPairMutants.Mutant m, String json) {
        Path report = DIR.resolve(json);
        CliRun run = CliRun.of("verify", "--onnx", m.onnx(), "--tflite", m.tflite(), "--json", report);
        assertEquals(1, run.exitCode(), run::toString);
        return report;
    }

    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return Set.copyOf(s.map(p -> p.getFileName().toString()).toList());
        }
    }
}
