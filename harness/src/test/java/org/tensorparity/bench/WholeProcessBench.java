package org.tensorparity.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.tensorparity.cli.ParityCli;
import org.tensorparity.fixtures.catalog.FixturePair;

/**
 * A verify against its physical floor ({@link BareLoadAndInfer}) and against what the tool's own runners cost to
 * load and run the two models ({@link RunnersLoadAndInfer}), as whole processes started the same way (same JVM,
 * same class path), alternated A B C D A B C D so the shared machine's noise falls on all four: wall time from
 * start to exit, and peak resident memory ({@code VmHWM}, read from {@code /proc} while the process runs).
 */
final class WholeProcessBench {
    private static final int ROUNDS = 5;
    private static final long POLL_MS = 5;

    /** One process's cost. */
    record Cost(double wallMs, long peakKb) {
    }

    private WholeProcessBench() {
    }

    static void run(PrintStream out, List<FixturePair> pairs, Path reports) throws Exception {
        out.printf(Locale.ROOT, "  %-22s %-28s %8s %7s %9s %8s %7s %9s   (medians of %d, alternated)%n", "pair", "command",
                "wall ms", "x bare", "x runners", "peak MB", "x bare", "x runners", ROUNDS);
        for (FixturePair pair : pairs) {
            List<List<String>> commands = List.of(
                    List.of(BareLoadAndInfer.class.getName(), pair.onnx().toString(), pair.tflite().toString()),
                    List.of(RunnersLoadAndInfer.class.getName(), pair.onnx().toString(), pair.tflite().toString()),
                    verify(pair, reports, "--outputs-only"),
                    verify(pair, reports));
            List<String> labels = List.of("bare load + one inference", "runners' load + one inference",
                    "verify --outputs-only", "verify (layer by layer)");
            double[][] wall = new double[commands.size()][ROUNDS];
            double[][] peak = new double[commands.size()][ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                for (int c = 0; c < commands.size(); c++) {
                    Cost cost = measure(commands.get(c));
                    wall[c][r] = cost.wallMs();
                    peak[c][r] = cost.peakKb();
                }
            }
            double bareWall = Bench.median(wall[0]);
            double barePeak = Bench.median(peak[0]);
            double runnersWall = Bench.median(wall[1]);
            double runnersPeak = Bench.median(peak[1]);
            for (int c = 0; c < commands.size(); c++) {
                double w = Bench.median(wall[c]);
                double m = Bench.median(peak[c]);
                out.printf(Locale.ROOT, "  %-22s %-28s %8.0f %7.2f %9.2f %8.0f %7.2f %9.2f%n", pair.name(), labels.get(c), w,
                        w / bareWall, w / runnersWall, m / 1024, m / barePeak, m / runnersPeak);
            }
        }
        suite(out, pairs, reports);
    }

    /**
     * A suite of the pairs (no stages) in one process against its budget: each pair's own verify process, less
     * the process start the suite pays only once ({@code verify --help}: the JVM and the command line, no model).
     */
    private static void suite(PrintStream out, List<FixturePair> pairs, Path reports) throws Exception {
        StringBuilder yaml = new StringBuilder("pairs:\n");
        for (FixturePair pair : pairs) {
            yaml.append("  - {name: ").append(pair.name()).append(", onnx: \"").append(pair.onnx()).append("\", tflite: \"")
                    .append(pair.tflite()).append("\"}\n");
        }
        Path suiteFile = Files.writeString(reports.resolve("bench.suite.yaml"), yaml);
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of(ParityCli.class.getName(), "suite", suiteFile.toString(), "--report-dir", reports.toString()));
        commands.add(List.of(ParityCli.class.getName(), "verify", "--help"));
        for (FixturePair pair : pairs) {
            commands.add(verify(pair, reports));
        }
        double[][] wall = new double[commands.size()][ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            for (int c = 0; c < commands.size(); c++) {
                wall[c][r] = measure(commands.get(c)).wallMs();
            }
        }
        double suite = Bench.median(wall[0]);
        double start = Bench.median(wall[1]);
        double budget = -(pairs.size() - 1) * start;
        for (int c = 2; c < commands.size(); c++) {
            budget += Bench.median(wall[c]);
        }
        out.printf(Locale.ROOT, "  suite of these %d pairs, layer by layer: %.0f ms | the pairs' own verify processes less %d"
                + " process starts (%.0f ms each): %.0f ms | suite / that = %.2f (target <= 1)%n", pairs.size(), suite,
                pairs.size() - 1, start, budget, suite / budget);
    }

    private static List<String> verify(FixturePair pair, Path reports, String... extra) {
        List<String> cmd = new ArrayList<>(List.of(ParityCli.class.getName(), "verify", "--onnx", pair.onnx().toString(),
                "--tflite", pair.tflite().toString(), "--report-dir", reports.toString()));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    /** Runs {@code mainAndArgs} in a child JVM with this class path; a non-zero exit is an error. */
    static Cost measure(List<String> mainAndArgs) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        cmd.addAll(mainAndArgs);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peak = 0;
        while (!p.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, highWaterKb(status));
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        if (p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", mainAndArgs) + ": exit " + p.exitValue());
        }
        return new Cost(wall, peak);
    }

    /** The process's peak resident set so far, or 0 once it is gone. */
    private static long highWaterKb(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // The process exited between the poll and the read.
        }
        return 0;
    }

}
