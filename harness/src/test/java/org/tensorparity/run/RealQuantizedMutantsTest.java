package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorparity.diff.RunDiff;
import org.tensorparity.diff.RunDiffer;
import org.tensorparity.diff.TensorChange;
import org.tensorparity.fixtures.mutant.Mutation;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.result.ParityReport;
import org.tensorparity.report.JsonReportReader;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Ground truth for quantized models: mutants of the corpus's integer conversions with one constant's
 * quantization changed (a weight tensor's scales doubled, one output channel's scale x1.5, an elementwise
 * constant's zero point shifted), run on the corpus's real inputs.
 *
 * <p>A correct integer conversion already differs from its float original by quantization noise, and its
 * verdict depends on a profile; so a mutant is judged the way CI judges a re-quantized model: against the
 * report of the correct conversion ({@code parity diff}). Every mutant must be caught (the diff regresses: a
 * tensor's error or noise grew by more than the default 25%, or the verdict turned to fail) and localized (the
 * first layer that computes differently from the correct conversion is the mutated operator's output: everything
 * upstream of the mutation computes bit-identical codes, so nothing else may move first). The exceptions are
 * listed by name in {@code real-quantized-mutants.yaml}, each with its reason: mutants that change no value
 * (a kernel that rounds the change away), mutants the margin misses, and mutants localized elsewhere.
 */
class RealQuantizedMutantsTest {
    /** Three integer kinds of one network: int8 with float I/O, int8 I/O, and 16x8. */
    private static final Set<String> MUTATED = Set.of("gtcrn-micro-integer", "gtcrn-micro-full-integer",
            "gtcrn-micro-integer-int16");
    private static final int PER_KIND = 4;
    private static final Path DIR = FixturePairs.scratch("quantized-mutants");
    private static final Map<String, Path> BASELINES = new ConcurrentHashMap<>();
    /** Every mutant {@link #mutants()} made, whether or not a filter runs it: what an exception must name. */
    private static final Set<String> MADE = new TreeSet<>();
    private static final Map<String, Outcome> OUTCOMES = new TreeMap<>();
    private static final Map<String, Deviation> EXCEPTIONS = exceptions();

    record Case(Expectation pair, RealPairMutants.Mutant mutant) {
        @Override
        public String toString() {
            return mutant.name();
        }
    }

    /**
     * A mutant whose outcome differs from "caught, and the first changed layer is the mutated operator's output",
     * and why.
     *
     * @param outcome {@code equivalent} (no layer or output moves: the diff passes), {@code missed} (no tensor grows
     *     beyond the margin: the diff passes) or {@code localized-elsewhere} (the diff regresses; its first changed
     *     layer is {@code firstChanged})
     * @param firstChanged the TFLite tensor the diff names first when it is not the mutated one; null when it is
     */
    record Deviation(String outcome, String firstChanged, String why) {
    }

    /** What the diff made of one mutant, and its row of the summary table. */
    record Outcome(boolean equivalent, boolean caught, boolean localized, String row) {
    }

    static Stream<Case> mutants() {
        List<Case> out = new ArrayList<>();
        for (Expectation e : RealPairs.expectations()) {
            if (!MUTATED.contains(e.name())) {
                continue;
            }
            try {
                for (RealPairMutants.Mutant m : RealPairMutants.writeQuantized(new RealPairMutants.Pair(e.name(),
                        e.onnxPath(), e.tflitePath()), DIR.resolve(e.name()), PER_KIND)) {
                    out.add(new Case(e, m));
                    MADE.add(m.name());
                }
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        // A pair renamed or dropped in real-pairs.yaml would otherwise shrink the set without a word.
        Set<String> missing = new TreeSet<>(MUTATED);
        out.forEach(c -> missing.remove(c.pair().name()));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("real-pairs.yaml has no pair " + missing + " to mutate");
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void everyMutantIsCaughtAgainstTheCorrectConversionAndLocalized(Case c) throws Exception {
        Path baseline = baseline(c.pair());
        Path json = DIR.resolve(c.mutant().name() + ".json");
        CliRun run = verify(c.pair(), c.mutant().tflite(), json);
        assertTrue(run.exitCode() == 0 || run.exitCode() == 1, run::toString);

        CliRun diff = CliRun.of("diff", baseline.toString(), json.toString());
        assertTrue(diff.exitCode() == 0 || diff.exitCode() == 1, diff::toString);
        Mutation m = c.mutant().mutation();
        JsonReportReader reader = new JsonReportReader();
        ParityReport before = reader.read(baseline);
        ParityReport after = reader.read(json);
        RunDiff d = new RunDiffer(RunDiffer.DEFAULT_MARGIN, RunDiffer.DEFAULT_FLOOR).diff(before, after);
        assertEquals(d.regressed(), diff.exitCode() == 1, diff::toString);
        boolean outputsMoved = d.changes().stream().anyMatch(t -> t.kind().equals("output")
                && (Double.compare(t.oldError(), t.newError()) != 0 || Double.compare(t.oldNoise(), t.newNoise()) != 0));
        boolean equivalent = d.firstChangedLayer().isEmpty() && !outputsMoved;
        String firstChanged = d.firstChangedLayer().map(TensorChange::newTflite).orElse("-");
        boolean localized = firstChanged.equals(m.expectedTflite());
        Deviation exception = EXCEPTIONS.get(c.mutant().name());
        String expected = exception == null ? "caught, localized" : exception.outcome();
        OUTCOMES.put(c.mutant().name(), new Outcome(equivalent, d.regressed(), localized, row(c, after, before,
                equivalent ? "equivalent" : d.regressed() ? "yes" : "no",
                equivalent ? "-" : String.format(Locale.ROOT, "x%.2f",
                        d.changes().stream().mapToDouble(TensorChange::ratio).max().orElse(1)),
                equivalent ? "-" : localized ? "the mutated one" : firstChanged, expected)));

        String what = c.mutant().name() + ": " + m.description() + " (expected: " + expected
                + (exception == null ? "" : ", " + exception.why()) + ")\nfirst changed layer: " + firstChanged + "\n"
                + diff.out();
        if (exception != null && exception.outcome().equals("equivalent")) {
            assertTrue(equivalent, what);
            return;
        }
        boolean expectCaught = exception == null || !exception.outcome().equals("missed");
        assertEquals(expectCaught ? "caught" : "missed", d.regressed() ? "caught" : "missed", what);
        String expectedFirst = exception == null || exception.firstChanged() == null ? m.expectedTflite()
                : exception.firstChanged();
        assertEquals(expectedFirst, firstChanged, what);
    }

    private static String row(Case c, ParityReport after, ParityReport before, String caught, String growth,
            String firstChanged, String expected) {
        return String.format(Locale.ROOT, "| %s | %s | %s | %.1f -> %.1f dB | %s | %s | %s | %s |", c.mutant().name(),
                c.mutant().mutation().description().replace("|", "/"), after.verdict().id(),
                before.outputs().get(0).metrics().sqnrDb(), after.outputs().get(0).metrics().sqnrDb(), caught, growth,
                firstChanged, expected);
    }

    @AfterAll
    static void summaryAndNoStaleExceptions() throws IOException {
        if (OUTCOMES.isEmpty()) {
            return;
        }
        List<Outcome> effective = OUTCOMES.values().stream().filter(o -> !o.equivalent()).toList();
        long caught = effective.stream().filter(Outcome::caught).count();
        long caughtLocalized = effective.stream().filter(o -> o.caught() && o.localized()).count();
        long missedLocalized = effective.stream().filter(o -> !o.caught() && o.localized()).count();
        StringBuilder md = new StringBuilder("| mutant | change | verdict | output SQNR | caught by diff | largest growth"
                + " | first changed layer | expected |\n|---|---|---|---|---|---|---|---|\n");
        OUTCOMES.values().forEach(o -> md.append(o.row()).append('\n'));
        md.append(String.format(Locale.ROOT, "%n%d mutants, %d equivalent; %d of %d effective caught by parity diff at the"
                + " default margin, %d of them localized exactly; %d missed, %d of them localized exactly%n",
                OUTCOMES.size(), OUTCOMES.size() - effective.size(), caught, effective.size(), caughtLocalized,
                effective.size() - caught, missedLocalized));
        Files.writeString(FixturePairs.summary("quantized-mutants.md"), md);
        for (String name : EXCEPTIONS.keySet()) {
            assertTrue(MADE.contains(name), () -> "real-quantized-mutants.yaml lists " + name + ", which is no longer made");
        }
    }

    /** The correct conversion's report, once per pair. */
    private static Path baseline(Expectation pair) {
        return BASELINES.computeIfAbsent(pair.name(), name -> {
            Path json = DIR.resolve(name + "-baseline.json");
            CliRun run = verify(pair, pair.tflitePath(), json);
            assertTrue(run.exitCode() == 0 || run.exitCode() == 1, run::toString);
            return json;
        });
    }

    private static CliRun verify(Expectation pair, Path tflite, Path json) {
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", pair.onnxPath().toString(), "--tflite",
                tflite.toString(), "--json", json.toString()));
        argv.addAll(pair.resolvedArgs());
        return CliRun.of(argv.toArray());
    }

    private static Map<String, Deviation> exceptions() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        try (InputStream in = RealQuantizedMutantsTest.class.getResourceAsStream("/real-quantized-mutants.yaml")) {
            Map<String, Deviation> out = new TreeMap<>();
            yaml.readTree(in).path("exceptions").properties().forEach(f -> {
                JsonNode e = f.getValue();
                Deviation d = new Deviation(e.path("outcome").asText(),
                        e.hasNonNull("firstChanged") ? e.get("firstChanged").asText() : null, e.path("why").asText());
                // A misspelt outcome or a misplaced firstChanged would otherwise be read as another expectation.
                boolean valid = switch (d.outcome()) {
                    case "equivalent" -> d.firstChanged() == null;
                    case "missed" -> true;
                    case "localized-elsewhere" -> d.firstChanged() != null;
                    default -> false;
                };
                if (!valid || d.why().isBlank()) {
                    throw new IllegalStateException("real-quantized-mutants.yaml: " + f.getKey() + " needs an outcome"
                            + " (equivalent, missed or localized-elsewhere), a why, and a firstChanged for"
                            + " localized-elsewhere (never for equivalent)");
                }
                out.put(f.getKey(), d);
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
