package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorparity.fixtures.mutant.Mutation;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.Headlines;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Ground truth on real graphs: mutants of the corpus's correct pairs, one operator changed on either side (a
 * channel scaled, channels swapped, a bias, offset or BatchNorm shift dropped, a kernel flipped, a matrix
 * transposed, weights truncated to bfloat16, a BatchNorm's epsilon or scale). Every mutant must fail at default
 * settings, whether or not the seeded inputs carry its change to the outputs (a layer that computes differently by
 * itself fails the run), and its first divergence must name the mutated tensor, or the tensor the converter fused
 * it into. The exceptions are listed by name in {@code real-mutants.yaml}, each with its reason: mutants that
 * change nothing the models compute, and mutants localized elsewhere. A mutant whose root is diagnosed is diagnosed as
 * its mutation's kind, or as unknown (147 of the 156 diagnosed got their kind when this was written).
 */
class RealMutantsTest {
    /** Pairs mutated: nine models, six converters or exports. */
    private static final Set<String> MUTATED = Set.of("gtcrn-micro-float32", "ultraface-slim320", "flwnet-float32",
            "dtln-model-1", "dtln-model-2", "handgesture-keypoint", "precise-lite-gru", "basic-pitch", "emg-cnn-float64");
    /** Mutants of each kind per side of a pair. */
    private static final int PER_KIND = 2;
    /** The share of failing mutants whose first divergence must name the mutated layer (issue 31). */
    private static final double LOCALIZED_SHARE = 0.95;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = FixturePairs.scratch("real-mutants");
    private static final Map<String, Outcome> OUTCOMES = new TreeMap<>();
    private static final Map<String, Deviation> EXCEPTIONS = exceptions();

    record Case(Expectation pair, RealPairMutants.Mutant mutant) {
        /**
         * {@code parity verify} of the mutant with its pair's arguments and {@code extra}, its JSON report written to
         * {@link #report}.
         */
        CliRun verify(Path dir, String... extra) {
            List<String> argv = new ArrayList<>(List.of("verify", "--onnx", mutant.onnx().toString(), "--tflite",
                    mutant.tflite().toString(), "--json", report(dir).toString()));
            argv.addAll(pair.resolvedArgs());
            argv.addAll(List.of(extra));
            return CliRun.of(argv.toArray());
        }

        Path report(Path dir) {
            return dir.resolve(mutant.name() + ".json");
        }

        @Override
        public String toString() {
            return mutant.name();
        }
    }

    /**
     * A mutant whose outcome differs from "fails, localized at the mutated layer", and why.
     *
     * @param outcome {@code equivalent} (it changes nothing the models compute: it must pass), {@code needs-samples}
     *     (one seeded sample never reaches the change: it must fail with {@code --samples samples}) or
     *     {@code localized-elsewhere} (it must fail; its first divergence names another layer)
     * @param samples for {@code needs-samples}, how many samples reach the change
     */
    record Deviation(String outcome, String why, int samples) {
    }

    record Outcome(Case c, int exitCode, boolean localized, String firstDivergence, double outputError,
            double addedError) {
        boolean effective() {
            return !"equivalent".equals(EXCEPTIONS.getOrDefault(c.mutant().name(), new Deviation("", "", 1)).outcome());
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
                        e.tflitePath()), DIR.resolve(e.name()), PER_KIND)) {
                    out.add(new Case(e, m));
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void everyMutantFailsAndNamesTheMutatedLayer(Case c) throws IOException {
        Path json = c.report(DIR);
        CliRun run = c.verify(DIR);
        JsonNode report = Files.exists(json) ? JSON.readTree(json.toFile()) : null;
        if (report != null) {
            Headlines.assertReadable(report.get("summary").asText());
        }
        Mutation m = c.mutant().mutation();
        JsonNode first = report == null ? null : report.get("firstDivergence");
        boolean diverges = first != null && !first.isNull();
        String fd = diverges ? first.get("onnx").asText() + " <-> " + first.get("tflite").asText() : "-";
        boolean localized = diverges && names(m, first);
        OUTCOMES.put(c.mutant().name(), new Outcome(c, run.exitCode(), localized, fd, worst(report),
                diverges ? first.path("addedError").asDouble(Double.NaN) : Double.NaN));

        Deviation exception = EXCEPTIONS.get(c.mutant().name());
        String expected = exception == null ? "fails, localized" : exception.outcome();
        String what = m.description() + " (expected: " + expected + (exception == null ? "" : ", " + exception.why())
                + ")\nfirst divergence: " + fd + "\n" + run;
        if (exception != null && exception.outcome().equals("equivalent")) {
            assertEquals(0, run.exitCode(), what);
            return;
        }
        if (exception != null && exception.outcome().equals("needs-samples")) {
            CliRun more = c.verify(DIR, "--samples", Integer.toString(exception.samples()));
            assertEquals(1, more.exitCode(), what + "\nwith --samples " + exception.samples() + ":\n" + more);
            return;
        }
        assertEquals(1, run.exitCode(), what);
        if (exception == null) {
            assertTrue(localized, what);
        }
        // A diagnosis names the mutation's kind or says it does not know: never another kind (issue 33).
        JsonNode diagnosis = diverges ? first.path("diagnosis") : null;
        if (diagnosis != null && diagnosis.isObject()) {
            String kind = diagnosis.get("kind").asText();
            assertTrue(kind.equals("unknown") || kind.equals(DiagnosisTest.EXPECTED.get(m.kind())),
                    () -> what + "\ndiagnosed " + kind + ": " + diagnosis.get("detail").asText());
        }
    }

    @AfterAll
    static void mostMutantsAreLocalizedExactly() throws IOException {
        if (OUTCOMES.isEmpty()) {
            return;
        }
        List<Outcome> effective = OUTCOMES.values().stream().filter(Outcome::effective).toList();
        List<Outcome> failing = effective.stream().filter(o -> o.exitCode() == 1).toList();
        long localized = failing.stream().filter(Outcome::localized).count();
        long fails = failing.size();
        StringBuilder md = new StringBuilder("| mutant | change | exit | first divergence | localized | adds alone |"
                + " output error |\n|---|---|---|---|---|---|---|\n");
        for (Outcome o : OUTCOMES.values()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %.1e | %.1e |%n", o.c().mutant().name(),
                    o.c().mutant().mutation().description().replace("|", "/"), o.exitCode(),
                    o.firstDivergence().replace("|", "/"), o.localized() ? "yes" : "no", o.addedError(), o.outputError()));
        }
        md.append(String.format(Locale.ROOT, "%n%d mutants of %d models: %d equivalent, %d effective; %d fail at default,"
                + " %d of them localized exactly%n", OUTCOMES.size(),
                OUTCOMES.values().stream().map(o -> o.c().pair().name()).distinct().count(),
                OUTCOMES.size() - effective.size(), effective.size(), fails, localized));
        Files.writeString(FixturePairs.summary("real-mutants.md"), md);
        assertTrue(effective.size() >= 100, "at least 100 effective mutants, got " + effective.size());
        assertTrue(effective.stream().map(o -> o.c().pair().name()).collect(Collectors.toSet()).size() >= 9);
        assertTrue(localized >= LOCALIZED_SHARE * fails, () -> localized + " of " + fails
                + " failing mutants localized exactly; missed: " + failing.stream().filter(o -> !o.localized())
                        .map(o -> o.c().mutant().name() + " -> " + o.firstDivergence()).toList());
        for (String name : EXCEPTIONS.keySet()) {
            assertTrue(OUTCOMES.containsKey(name) || OUTCOMES.size() < 100,
                    () -> "real-mutants.yaml lists " + name + ", which is no longer made");
        }
    }

    /** Whether {@code pair} (the first divergence) is the mutated tensor or the one the converter fused it into. */
    private static boolean names(Mutation m, JsonNode pair) {
        return m.side().equals(Mutation.TFLITE) ? pair.get("tflite").asText().equals(m.expectedTflite())
                : m.expectedOnnx().contains(pair.get("onnx").asText());
    }

    private static double worst(JsonNode report) {
        if (report == null) {
            return Double.NaN;
        }
        double w = 0;
        for (JsonNode t : report.get("outputs")) {
            w = Math.max(w, t.at("/metrics/normalizedMaxError").asDouble(0));
        }
        return w;
    }

    /** The mutants whose outcome is not "fails, localized at the mutated layer". */
    static Set<String> exceptionNames() {
        return EXCEPTIONS.keySet();
    }

    private static Map<String, Deviation> exceptions() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory()).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        try (InputStream in = RealMutantsTest.class.getResourceAsStream("/real-mutants.yaml")) {
            JsonNode root = yaml.readTree(in);
            Map<String, Deviation> out = new TreeMap<>();
            root.path("exceptions").fields().forEachRemaining(f -> out.put(f.getKey(),
                    new Deviation(f.getValue().get("outcome").asText(), f.getValue().get("why").asText(),
                            f.getValue().path("samples").asInt(1))));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
