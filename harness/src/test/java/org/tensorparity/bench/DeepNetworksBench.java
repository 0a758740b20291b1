package org.tensorparity.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorparity.cli.ParityCli;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Layer by layer on deep real networks (issue 39): YOLOX-nano fp16 (an image input, 200+ layers), basic-pitch and
 * GTCRN-micro from the corpus, each run as whole processes started as {@code ./parity} starts them: outputs only,
 * layer by layer without isolation, with the default isolation (failing pairs only) and with every pair isolated,
 * alternated A B C D A B C D so that the shared machine's noise falls on all alike. Besides wall time and peak
 * memory against {@code --outputs-only}, the compare stage's nanoseconds per aligned element pair: the report's
 * {@code compareMs} (binding, alignment and every comparison) over the elements of every aligned pair. Last, the
 * same commands repeated in one JVM ({@link InProcessRepeats}): what the layers and isolation cost once every method
 * is compiled, the part of their ratio to the gate that no start-up or JIT work explains.
 */
final class DeepNetworksBench {
    private static final int ROUNDS = 3;
    /**
     * Runs in one JVM for the compiled figure, and how many of the last are kept: the first ones load and compile, and
     * the fastest kept run stands for the work itself (in a run of the full bench a median of the last three still
     * moved by 2x with the machine; noise only ever adds).
     */
    private static final int WARM_RUNS = 10;
    private static final int WARM_KEPT = 5;
    private static final List<String> PAIRS = List.of("yolox-nano-float16", "basic-pitch", "gtcrn-micro-float32");
    private static final List<String> LABELS = List.of("--outputs-only", "layers, --isolate off",
            "layers (default isolation)", "layers, --isolate all");

    private DeepNetworksBench() {
    }

    static void run(PrintStream out, Path reports) throws Exception {
        Launch launch = Launch.asTheLauncher();
        out.println("  started " + launch.description());
        out.printf(Locale.ROOT, "  %-20s %-27s %8s %7s %8s %7s   (medians of %d, alternated)%n", "pair", "command",
                "wall ms", "x gate", "peak MB", "x gate", ROUNDS);
        Files.createDirectories(reports);
        for (String name : PAIRS) {
            Expectation pair = RealPairs.expectations().stream().filter(e -> e.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no pair " + name + " in real-pairs.yaml"));
            List<List<String>> commands = new ArrayList<>();
            commands.add(launch.command(verify(pair, reports, "gate", "--outputs-only")));
            commands.add(launch.command(verify(pair, reports, "off", "--isolate", "off")));
            commands.add(launch.command(verify(pair, reports, "default")));
            commands.add(launch.command(verify(pair, reports, "all", "--isolate", "all")));
            double[][] wall = new double[commands.size()][ROUNDS];
            double[][] peak = new double[commands.size()][ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                for (int c = 0; c < commands.size(); c++) {
                    WholeProcessBench.Cost cost = WholeProcessBench.measure(commands.get(c));
                    wall[c][r] = cost.wallMs();
                    peak[c][r] = cost.peakKb();
                }
            }
            double gateWall = Bench.median(wall[0]);
            double gatePeak = Bench.median(peak[0]);
            for (int c = 0; c < commands.size(); c++) {
                double w = Bench.median(wall[c]);
                double m = Bench.median(peak[c]);
                out.printf(Locale.ROOT, "  %-20s %-27s %8.0f %7.2f %8.0f %7.2f%n", name, LABELS.get(c), w, w / gateWall,
                        m / 1024, m / gatePeak);
            }
            JsonNode layered = new ObjectMapper().readTree(reports.resolve(name + "-off.json").toFile());
            long elements = alignedElements(layered);
            double compareMs = layered.get("timings").get("compareMs").asDouble();
            out.printf(Locale.ROOT, "  %-20s targets: layers %s wall, %s memory; --isolate all %s wall; compare stage"
                    + " %.1f ns per aligned element pair over %,d pairs of %d layers (%s)%n", name,
                    target(Bench.median(wall[1]) / gateWall, 1.5), target(Bench.median(peak[1]) / gatePeak, 2.0),
                    target(Bench.median(wall[3]) / gateWall, 2.0), compareMs * 1e6 / elements, elements,
                    layered.get("layers").size(), compareMs * 1e6 / elements <= 3 ? "<= 3: met" : "<= 3: missed");
            double warmGate = warm(launch, verify(pair, reports, "warm-gate", "--outputs-only"));
            double warmLayers = warm(launch, verify(pair, reports, "warm-off", "--isolate", "off"));
            double warmAll = warm(launch, verify(pair, reports, "warm-all", "--isolate", "all"));
            out.printf(Locale.ROOT, "  %-20s in one JVM (fastest of runs %d-%d of %d): --outputs-only %.0f ms, layers"
                    + " %.0f ms, --isolate all %.0f ms. Compiled, the layers' own work is %.0f ms and isolation's %.0f ms:"
                    + " on this machine layer by layer cannot run under %.2fx the gate's wall, nor --isolate all under"
                    + " %.2fx%n", name, WARM_RUNS - WARM_KEPT + 1, WARM_RUNS, WARM_RUNS, warmGate, warmLayers, warmAll,
                    warmLayers - warmGate, warmAll - warmLayers, 1 + (warmLayers - warmGate) / gateWall,
                    1 + (warmAll - warmGate) / gateWall);
        }
    }

    /**
     * The fastest wall time of the last {@value #WARM_KEPT} of {@value #WARM_RUNS} runs of {@code verify} in one JVM
     * ({@link InProcessRepeats}): the command's own work, once the JVM has loaded and compiled what it runs. A
     * whole process does at least that work, more slowly while cold; what the layers add to it therefore bounds
     * the layers' ratio to the gate from below, whatever the JIT or the class-data archive do.
     */
    private static double warm(Launch launch, List<String> verify) throws Exception {
        List<String> program = new ArrayList<>(List.of(InProcessRepeats.class.getName(), Integer.toString(WARM_RUNS)));
        program.addAll(verify.subList(1, verify.size()));
        Process p = new ProcessBuilder(launch.command(program)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String printed = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || !printed.startsWith("ms: ")) {
            throw new IllegalStateException("in-process repeats failed: " + String.join(" ", verify) + ": " + printed);
        }
        String[] times = printed.substring(4).split(" ");
        double fastest = Double.POSITIVE_INFINITY;
        for (int i = times.length - WARM_KEPT; i < times.length; i++) {
            fastest = Math.min(fastest, Double.parseDouble(times[i]));
        }
        return fastest;
    }

    /** Every aligned pair's element count, from its ONNX shape (a dynamic dimension counts as 1). */
    private static long alignedElements(JsonNode report) {
        long total = 0;
        for (JsonNode layer : report.get("layers")) {
            long n = 1;
            for (JsonNode d : layer.get("onnxShape")) {
                n *= Math.max(1, d.asLong());
            }
            total += n;
        }
        return total;
    }

    private static String target(double ratio, double limit) {
        return String.format(Locale.ROOT, "%.2fx (<= %.1fx: %s)", ratio, limit, ratio <= limit ? "met" : "missed");
    }

    private static List<String> verify(Expectation pair, Path reports, String run, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(ParityCli.class.getName(), "verify", "--onnx",
                pair.onnxPath().toString(), "--tflite", pair.tflitePath().toString(), "--json",
                reports.resolve(pair.name() + "-" + run + ".json").toString()));
        cmd.addAll(pair.resolvedArgs());
        cmd.addAll(List.of(extra));
        return cmd;
    }
}
