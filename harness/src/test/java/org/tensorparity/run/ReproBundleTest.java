package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorflow.lite.schema.Model;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs.Expectation;
import org.tensorparity.testing.RealPairs;

/**
 * {@code verify --repro DIR} on mutants of real pairs, float32, one operator changed on either side, and a
 * dynamic-range conversion's weights scaled: a bundle is written, it is small (its two models at most the cut
 * operators' weights plus 64 KB), and it reproduces: a verify of it fails, with XNNPACK and with the builtin
 * kernels, ONNX Runtime running the ONNX cut; the quantized ones pass {@code --against} the correct conversion. A
 * correct pair gives no bundle, and a destination that cannot be written is refused before the models run.
 * {@code parity repro} cuts an existing report's root cause again, and refuses when a model changed since.
 */
class ReproBundleTest {
    /** Float32 pairs of three converters: a conv net (Keras port), an MLP (tf2onnx), a speech net (onnx2tf). */
    private static final Set<String> PAIRS = Set.of("ultraface-slim320", "handgesture-keypoint", "gtcrn-micro-float32");
    /** Changes a converter makes to one operator: a channel scaled, a bias dropped. */
    private static final Set<MutationKind> KINDS = Set.of(MutationKind.CHANNEL_SCALE, MutationKind.ZERO_BIAS);
    private static final long SLACK = 64 * 1024;
    private static final Path DIR = FixturePairs.scratch("repro");
    private static final Map<String, String> MEASURED = new TreeMap<>();

    record Case(Expectation pair, RealPairMutants.Mutant mutant) {
        @Override
        public String toString() {
            return mutant.name();
        }
    }

    static Stream<Case> mutants() throws IOException {
        List<Case> out = new ArrayList<>();
        for (Expectation e : RealPairs.expectations()) {
            if (!PAIRS.contains(e.name()) || !Files.exists(e.onnxPath())) {
                continue;
            }
            Set<String> taken = new HashSet<>();
            // Named as RealMutantsTest names them, so that its exceptions (mutants one sample does not reach) apply.
            for (RealPairMutants.Mutant m : RealPairMutants.write(new RealPairMutants.Pair(e.name(), e.onnxPath(),
                    e.tflitePath()), DIR.resolve(e.name()), 2)) {
                if (KINDS.contains(m.mutation().kind()) && !RealMutantsTest.exceptionNames().contains(m.name())
                        && taken.add(m.mutation().side() + m.mutation().kind())) {
                    out.add(new Case(e, m));
                }
            }
        }
        assumeTrue(!out.isEmpty(), "the real-pairs corpus is not here");
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void aMutantGivesASmallBundleThatReproduces(Case c) throws IOException {
        Path bundle = DIR.resolve("bundles").resolve(c.mutant().name());
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", c.mutant().onnx().toString(), "--tflite",
                c.mutant().tflite().toString(), "--json", DIR.resolve(c.mutant().name() + ".json").toString(),
                "--repro", bundle.toString()));
        argv.addAll(c.pair().resolvedArgs());
        CliRun run = CliRun.of(argv.toArray());
        assertEquals(1, run.exitCode(), run.toString());
        if (!Files.isDirectory(bundle)) {
            MEASURED.put(c.mutant().name(), "no bundle: " + run.errLines());
        }
        assertTrue(Files.isDirectory(bundle), run.toString());
        assertEquals(Set.of("repro.onnx", "repro.tflite", "inputs.npz", "README.md"), files(bundle));

        long models = Files.size(bundle.resolve("repro.onnx")) + Files.size(bundle.resolve("repro.tflite"));
        long weights = onnxWeights(bundle.resolve("repro.onnx")) + tfliteWeights(bundle.resolve("repro.tflite"));
        assertSmallAndReproducing(bundle, c.mutant().name());
        String readme = Files.readString(bundle.resolve("README.md"));
        assertTrue(readme.contains("parity verify --onnx repro.onnx --tflite repro.tflite --inputs inputs.npz"), readme);
        JsonNode diagnosis = new ObjectMapper().readTree(DIR.resolve(c.mutant().name() + ".json").toFile())
                .at("/firstDivergence/diagnosis");
        assertTrue(readme.contains("**Likely cause**: " + diagnosis.get("detail").asText()), readme);
        MEASURED.put(c.mutant().name(), String.format(Locale.ROOT, "models %d B (weights %d B), inputs %d B",
                models, weights, Files.size(bundle.resolve("inputs.npz"))));
    }

    /**
     * The weight-scale mutants of a dynamic-range conversion (int8 weights, float activations): each gets a bundle
     * that reproduces and isolates the mutant's bug, as the same cut of the correct conversion passes.
     */
    static Stream<Case> quantizedMutants() throws IOException {
        Expectation e = RealPairs.expectations().stream().filter(x -> x.name().equals("gtcrn-micro-dynamic-range"))
                .findFirst().orElseThrow();
        assumeTrue(Files.exists(e.onnxPath()), "the real-pairs corpus is not here");
        return RealPairMutants.writeQuantized(new RealPairMutants.Pair(e.name(), e.onnxPath(), e.tflitePath()),
                DIR.resolve(e.name()), 4).stream().filter(m -> m.mutation().kind() == MutationKind.WEIGHT_SCALE)
                .map(m -> new Case(e, m));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("quantizedMutants")
    void aQuantizedMutantGivesABundleThatIsolatesItsBug(Case c) throws IOException {
        Path bundle = DIR.resolve("bundles").resolve(c.mutant().name());
        Path json = DIR.resolve(c.mutant().name() + ".json");
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", c.mutant().onnx().toString(), "--tflite",
                c.mutant().tflite().toString(), "--json", json.toString(), "--repro", bundle.toString()));
        argv.addAll(c.pair().resolvedArgs());
        CliRun run = CliRun.of(argv.toArray());
        assertEquals(1, run.exitCode(), run.toString());
        assertTrue(Files.isDirectory(bundle), run.toString());
        assertSmallAndReproducing(bundle, c.mutant().name());
        CliRun against = CliRun.of("repro", json.toString(), "--out", DIR.resolve("against-" + c.mutant().name())
                .toString(), "--against", c.pair().tflitePath().toString());
        assertEquals(0, against.exitCode(), against.toString());
    }

    /**
     * The bundle's two models are at most their weights plus {@link #SLACK}, and its own command fails under
     * XNNPACK and under the builtin kernels, ONNX Runtime running the ONNX cut.
     */
    private static void assertSmallAndReproducing(Path bundle, String name) throws IOException {
        long models = Files.size(bundle.resolve("repro.onnx")) + Files.size(bundle.resolve("repro.tflite"));
        long weights = onnxWeights(bundle.resolve("repro.onnx")) + tfliteWeights(bundle.resolve("repro.tflite"));
        assertTrue(models <= weights + SLACK, "models " + models + " bytes, weights " + weights);
        String[] reproduce = {"verify", "--onnx", bundle.resolve("repro.onnx").toString(), "--tflite",
                bundle.resolve("repro.tflite").toString(), "--inputs", bundle.resolve("inputs.npz").toString(),
                "--json", bundle.resolveSibling(name + "-bundle.json").toString()};
        CliRun xnnpack = CliRun.of((Object[]) reproduce);
        assertEquals(1, xnnpack.exitCode(), xnnpack.toString());
        List<String> builtin = new ArrayList<>(List.of(reproduce));
        builtin.addAll(List.of("--tflite-delegate", "none"));
        CliRun kernels = CliRun.of(builtin.toArray());
        assertEquals(1, kernels.exitCode(), kernels.toString());
    }

    @Test
    void aCorrectPairGivesNoBundle() throws IOException {
        Expectation pair = RealPairs.expectations().stream().filter(e -> e.name().equals("ultraface-slim320"))
                .findFirst().orElseThrow();
        assumeTrue(Files.exists(pair.onnxPath()), "the real-pairs corpus is not here");
        Path bundle = DIR.resolve("correct");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnxPath().toString(), "--tflite", pair.tflitePath().toString(),
                "--json", DIR.resolve("correct.json").toString(), "--repro", bundle.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertFalse(Files.exists(bundle), run.toString());
        assertEquals(1, run.errLines().size(), run.toString());
        assertTrue(run.err().contains("no reproducer written to"), run.toString());
    }

    @Test
    void withoutIsolationThereIsNoBundleAndTheVerdictStands() throws IOException {
        Case c = mutants().filter(m -> m.mutant().name().startsWith("ultraface-slim320-tflite")).findFirst().orElseThrow();
        for (String flag : List.of("--outputs-only", "--isolate=off")) {
            Path bundle = DIR.resolve("none" + flag.replace('=', '-'));
            CliRun run = CliRun.of("verify", "--onnx", c.mutant().onnx().toString(), "--tflite",
                    c.mutant().tflite().toString(), "--json", DIR.resolve("none.json").toString(), flag, "--repro",
                    bundle.toString());
            assertEquals(1, run.exitCode(), run.toString());
            assertFalse(Files.exists(bundle), run.toString());
            assertEquals(1, run.errLines().size(), run.toString());
            assertTrue(run.err().startsWith("no reproducer written to " + bundle + ": "), run.toString());
        }
    }

    @Test
    void aReportIsCutAgainFromItsModelsUnlessTheyChanged() throws IOException {
        Case c = mutants().filter(m -> m.mutant().name().startsWith("ultraface-slim320-tflite")).findFirst().orElseThrow();
        // A copy of its own: it is changed below.
        Path tflite = Files.copy(c.mutant().tflite(), DIR.resolve("again.tflite"));
        Path report = DIR.resolve("again.json");
        assertEquals(1, CliRun.of("verify", "--onnx", c.mutant().onnx().toString(), "--tflite", tflite.toString(),
                "--json", report.toString()).exitCode());
        Path bundle = DIR.resolve("again");
        CliRun run = CliRun.of("repro", report.toString(), "--out", bundle.toString());
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.out().contains("reproducer: " + bundle), run.toString());
        assertEquals(Set.of("repro.onnx", "repro.tflite", "inputs.npz", "README.md"), files(bundle));
        assertEquals(1, CliRun.of("verify", "--onnx", bundle.resolve("repro.onnx").toString(), "--tflite",
                bundle.resolve("repro.tflite").toString(), "--inputs", bundle.resolve("inputs.npz").toString(),
                "--json", DIR.resolve("again-bundle.json").toString()).exitCode());

        Files.write(tflite, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND);
        CliRun changed = CliRun.of("repro", report.toString(), "--out", DIR.resolve("changed").toString());
        assertEquals(2, changed.exitCode(), changed.toString());
        assertTrue(changed.err().contains("changed since the report"), changed.toString());
        assertFalse(Files.exists(DIR.resolve("changed")), changed.toString());
    }

    @Test
    void aDestinationThatCannotBeWrittenIsRefusedBeforeTheModelsRun() throws IOException {
        Path file = Files.writeString(DIR.resolve("a-file"), "x");
        Path crowded = Files.createDirectories(DIR.resolve("crowded"));
        Files.writeString(crowded.resolve("notes.txt"), "mine");
        for (Path dir : List.of(file, file.resolve("below"), crowded)) {
            // The models do not exist: a refusal that names the destination came before loading them.
            CliRun run = CliRun.of("verify", "--onnx", DIR.resolve("missing.onnx").toString(), "--tflite",
                    DIR.resolve("missing.tflite").toString(), "--repro", dir.toString());
            assertEquals(2, run.exitCode(), run.toString());
            assertEquals(1, run.errLines().size(), run.toString());
            assertTrue(run.err().contains("cannot write reproducer " + dir), run.toString());
        }
        assertEquals(Set.of("notes.txt"), files(crowded));
    }

    @AfterAll
    static void printSizes() {
        MEASURED.forEach((name, figures) -> System.out.println("repro " + name + ": " + figures));
    }

    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return Set.copyOf(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static long onnxWeights(Path file) throws IOException {
        return OnnxMl.ModelProto.parseFrom(Files.readAllBytes(file)).getGraph().getInitializerList().stream()
                .mapToLong(OnnxMl.TensorProto::getSerializedSize).sum();
    }

    private static long tfliteWeights(Path file) {
        try {
            Model model = Model.getRootAsModel(ByteBuffer.wrap(Files.readAllBytes(file)));
            long bytes = 0;
            for (int b = 0; b < model.buffersLength(); b++) {
                bytes += model.buffers(b).dataLength();
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
