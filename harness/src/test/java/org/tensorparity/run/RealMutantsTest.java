package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorparity.fixtures.mutant.Mutation;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Ground truth on real graphs: mutants of the corpus's correct pairs, one operator changed on either side.
 * Each mutant must be caught: its run fails at default settings when the change reaches the outputs
 * beyond the tolerance; when the network absorbs the change before the outputs (a saturated sigmoid
 * behind the changed channel), the run passes with a layer warning and must fail under
 * {@code --fail-on-layers}. The first divergence must name the mutated tensor (or the tensor the
 * converter fused it into) for at least 90% of them. A mutant that changes nothing observable at all (a
 * dead unit: no layer moves beyond the layer tolerance) is equivalent to the original and only listed.
 */
class RealMutantsTest {
    /** Pairs mutated: five models, four converters; the keypoint classifier's argmax output hides most changes. */
    private static final Set<String> MUTATED = Set.of("gtcrn-micro-float32", "ultraface-slim320", "flwnet-float32",
            "dtln-model-1", "dtln-model-2");
    private static final int PER_SIDE = 6;
    private static final double LOCALIZED_SHARE = 0.95;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = FixturePairs.scratch("real-mutants");
    private static final Map<String, Outcome> OUTCOMES = new TreeMap<>();

    record Case(Expectation pair, RealPairMutants.Mutant mutant) {
        @Override
        public String toString() {
            return mutant.name();
        }
    }

    /** How a mutant's run ended: {@code fails} at default, {@code warns} (fails with --fail-on-layers), or {@code equivalent}. */
    record Outcome(Case c, String caught, boolean localized, String firstDivergence, boolean largestIsolated,
            String largest, double outputError, double layerError) {
        boolean effective() {
            return !caught.equals("equivalent");
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
                        e.tflitePath()), DIR.resolve(e.name()), PER_SIDE)) {
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
    void everyMutantIsCaught(Case c) throws IOException {
        Path json = DIR.resolve(c.mutant().name() + ".json");
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", c.mutant().onnx().toString(), "--tflite",
                c.mutant().tflite().toString(), "--json", json.toString()));
        argv.addAll(c.pair().resolvedArgs());
        CliRun run = CliRun.of(argv.toArray());
        JsonNode report = Files.exists(json) ? JSON.readTree(json.toFile()) : null;
        Mutation m = c.mutant().mutation();
        JsonNode first = report == null ? null : report.get("firstDivergence");
        String fd = first == null || first.isNull() ? "-" : first.get("onnx").asText() + " <-> " + first.get("tflite").asText();
        boolean localized = first != null && !first.isNull() && names(m, first);
        JsonNode largest = largestIsolated(report);
        String ld = largest == null ? "-" : largest.get("onnx").asText() + " <-> " + largest.get("tflite").asText();
        assertTrue(run.exitCode() == 0 || run.exitCode() == 1, run::toString);
        String caught;
        if (run.exitCode() == 1) {
            caught = "fails";
        } else if (report.get("layerVerdict").asText().equals("fail")) {
            argv.add("--fail-on-layers");
            CliRun strict = CliRun.of(argv.toArray());
            assertEquals(1, strict.exitCode(), () -> m.description() + ": the outputs absorb it, and --fail-on-layers"
                    + " does not fail on its layer\n" + strict);
            caught = "warns";
        } else {
            caught = "equivalent";
        }
        OUTCOMES.put(c.mutant().name(), new Outcome(c, caught, localized, fd, largest != null && names(m, largest), ld, worst(report, "outputs"),
                worst(report, "layers")));
    }

    @AfterAll
    static void mostMutantsAreLocalizedExactly() throws IOException {
        if (OUTCOMES.isEmpty()) {
            return;
        }
        List<Outcome> effective = OUTCOMES.values().stream().filter(Outcome::effective).toList();
        long localized = effective.stream().filter(Outcome::localized).count();
        long largest = effective.stream().filter(Outcome::largestIsolated).count();
        long fails = effective.stream().filter(o -> o.caught().equals("fails")).count();
        StringBuilder md = new StringBuilder("| mutant | change | caught | first divergence | localized | largest isolated error |"
                + " output error | layer error |\n|---|---|---|---|---|---|---|---|\n");
        for (Outcome o : OUTCOMES.values()) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %.1e | %.1e |%n", o.c().mutant().name(),
                    o.c().mutant().mutation().description().replace("|", "/"), o.caught(),
                    o.firstDivergence().replace("|", "/"), o.localized() ? "yes" : "no",
                    o.largest().replace("|", "/") + (o.largestIsolated() ? "" : " (not it)"), o.outputError(), o.layerError()));
        }
        double weakest = effective.stream().filter(o -> o.caught().equals("fails")).mapToDouble(Outcome::outputError)
                .min().orElse(Double.NaN);
        md.append(String.format(Locale.ROOT, "%n%d mutants of %d models: %d equivalent, %d effective; %d fail at default,"
                + " %d warn and fail with --fail-on-layers; %d of %d localized exactly; the largest isolated error at the"
                + " mutated layer for %d; weakest failing output error %.1e%n",
                OUTCOMES.size(), OUTCOMES.values().stream().map(o -> o.c().pair().name()).distinct().count(),
                OUTCOMES.size() - effective.size(), effective.size(), fails, effective.size() - fails, localized,
                effective.size(), largest, weakest));
        Files.writeString(DIR.resolve("real-mutants.md"), md);
        assertTrue(effective.size() >= 40, "at least 40 effective mutants, got " + effective.size());
        assertTrue(effective.stream().map(o -> o.c().pair().name()).collect(Collectors.toSet()).size() >= 5);
        assertTrue(localized >= LOCALIZED_SHARE * effective.size(), () -> localized + " of " + effective.size()
                + " localized exactly; missed: " + effective.stream().filter(o -> !o.localized())
                        .map(o -> o.c().mutant().name() + " -> " + o.firstDivergence()).toList());
        assertTrue(largest >= LOCALIZED_SHARE * effective.size(), () -> largest + " of " + effective.size()
                + " with the largest isolated error at the mutated layer; missed: " + effective.stream()
                        .filter(o -> !o.largestIsolated()).map(o -> o.c().mutant().name() + " -> " + o.largest()).toList());
    }

    /** Whether {@code pair} (a layer or the first divergence) is the mutated tensor or the one the converter fused it into. */
    private static boolean names(Mutation m, JsonNode pair) {
        return m.side().equals(Mutation.TFLITE) ? pair.get("tflite").asText().equals(m.expectedTflite())
                : m.expectedOnnx().contains(pair.get("onnx").asText());
    }

    /** The layer whose operator adds the largest error by itself (pairs in doubt measure their pairing); null without isolated layers. */
    static JsonNode largestIsolated(JsonNode report) {
        JsonNode best = null;
        double most = -1;
        for (JsonNode l : report == null ? List.<JsonNode>of() : (Iterable<JsonNode>) report.get("layers")::elements) {
            double e = l.at("/isolated/pairingInDoubt").asBoolean() ? -1 : l.at("/isolated/metrics/normalizedMaxError").asDouble(-1);
            if (e > most) {
                most = e;
                best = l;
            }
        }
        return best;
    }

    private static double worst(JsonNode report, String what) {
        if (report == null) {
            return Double.NaN;
        }
        double w = 0;
        for (JsonNode t : report.get(what)) {
            w = Math.max(w, t.at("/metrics/normalizedMaxError").asDouble(0));
        }
        return w;
    }
}
