package org.tensorparity.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorparity.cli.ParityCli;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.RealPairs;

/**
 * What diagnosing the root causes costs on top of a layer-by-layer verify of a failing pair (issue 33: at most 0.5x):
 * whole child processes of the same failing verify with {@code --diagnose none} and with the default, alternated
 * (A B A B) so the shared machine's noise falls on both alike, and the diagnosis's own milliseconds as the report
 * times them. The failing pairs are the demo's broken conversion and real conversions with one known change each, of
 * several diagnosis kinds.
 */
final class DiagnosisBench {
    private static final int ROUNDS = 3;
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Case(String name, List<String> args) {
    }

    private DiagnosisBench() {
    }

    /** @param demo the demo's broken full-size conversion, diagnosed first */
    static void run(PrintStream out, FixturePair demo, Path folder) throws Exception {
        Launch launch = Launch.asTheLauncher();
        List<Case> cases = new ArrayList<>(List.of(new Case(demo.name(), List.of("--onnx", demo.onnx().toString(),
                "--tflite", demo.tflite().toString()))));
        cases.addAll(cases(folder));
        for (Case c : cases) {
            double[] without = new double[ROUNDS];
            double[] with = new double[ROUNDS];
            double[] own = new double[ROUNDS];
            Path json = folder.resolve(c.name() + ".json");
            for (int i = 0; i < ROUNDS; i++) {
                without[i] = WholeProcessBench.measure(launch.command(command(c, "none", json)), 1).wallMs();
                with[i] = WholeProcessBench.measure(launch.command(command(c, "roots", json)), 1).wallMs();
                own[i] = JSON.readTree(json.toFile()).path("timings").path("diagnosisMs").asDouble();
            }
            double base = Bench.median(without);
            double diagnosed = Bench.median(with);
            String kind = JSON.readTree(json.toFile()).path("firstDivergence").path("diagnosis").path("kind").asText("-");
            out.printf(Locale.ROOT, "  %-44s %-11s verify %6.0f ms | diagnosed %6.0f ms | adds %5.0f ms = %.2fx (target"
                    + " <= 0.5x); the report's diagnosisMs %5.0f ms = %.2fx%n", c.name(), kind, base, diagnosed,
                    diagnosed - base, (diagnosed - base) / base, Bench.median(own), Bench.median(own) / base);
        }
    }

    /** One mutant of each of several kinds, on real pairs of several converters. */
    private static List<Case> cases(Path folder) throws Exception {
        Files.createDirectories(folder);
        List<Case> out = new ArrayList<>();
        for (RealPairs.Expectation e : RealPairs.expectations()) {
            RealPairMutants.Pair pair = new RealPairMutants.Pair(e.name(), e.onnxPath(), e.tflitePath());
            List<RealPairMutants.Mutant> mutants = switch (e.name()) {
                case "ultraface-slim320", "basic-pitch", "dtln-model-2" ->
                        RealPairMutants.write(pair, folder.resolve(e.name()), 1);
                case "gtcrn-micro-float32" -> RealPairMutants.writeLayouts(pair, folder.resolve(e.name()), 1);
                default -> List.of();
            };
            for (RealPairMutants.Mutant m : mutants) {
                if (wanted(e.name(), m.mutation().kind())) {
                    List<String> args = new ArrayList<>(List.of("--onnx", m.onnx().toString(), "--tflite",
                            m.tflite().toString()));
                    args.addAll(e.resolvedArgs());
                    out.add(new Case(m.name(), args));
                }
            }
        }
        return out;
    }

    private static boolean wanted(String pair, MutationKind kind) {
        return switch (pair) {
            case "ultraface-slim320" -> kind == MutationKind.SWAP_CHANNELS || kind == MutationKind.EPSILON;
            case "basic-pitch" -> kind == MutationKind.KERNEL_FLIP;
            case "dtln-model-2" -> kind == MutationKind.TRANSPOSE;
            default -> kind == MutationKind.LAYOUT;
        };
    }

    private static List<String> command(Case c, String diagnose, Path json) {
        List<String> cmd = new ArrayList<>(List.of(ParityCli.class.getName(), "verify"));
        cmd.addAll(c.args());
        cmd.addAll(List.of("--diagnose", diagnose, "--json", json.toString()));
        return cmd;
    }
}
