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
 * same options, same class path and class-data archive: {@link Launch#asTheLauncher()}): wall time from start to
 * exit, and peak resident memory ({@code VmHWM}, read from {@code /proc} while the process runs). The floor and the
 * fast gate are also run without the archive, so the table says what the archive does to each. The six commands
 * are alternated, A B C D E F A B C D E F, so that the shared machine's noise falls on all of them.
 */
final class WholeProcessBench {
    private static final int ROUNDS = 5;
    private static final long POLL_MS = 5;
    /** Where the rows without the archive start: its floor, then its fast gate. */
    private static final int PLAIN_BARE = 4;

    /** One process's cost. */
    record Cost(double wallMs, long peakKb) {
    }

    private WholeProcessBench() {
    }

    static void run(PrintStream out, List<FixturePair> pairs, Path reports) throws Exception {
        Launch launch = Launch.asTheLauncher();
        Launch plain = Launch.plain();
        out.println("  started " + launch.description() + "; the last two rows of a pair " + plain.description());
        out.printf(Locale.ROOT, "  %-22s %-28s %8s %7s %9s %8s %7s %9s   (medians of %d, alternated)%n", "pair", "command",
                "wall ms", "x bare", "x runners", "peak MB", "x bare", "x runners", ROUNDS);
        for (FixturePair pair : pairs) {
            List<String> bare = List.of(BareLoadAndInfer.class.getName(), pair.onnx().toString(), pair.tflite().toString());
            List<String> gate = verify(pair, reports, "--outputs-only");
            List<List<String>> commands = List.of(
                    launch.command(bare),
                    launch.command(List.of(RunnersLoadAndInfer.class.getName(), pair.onnx().toString(), pair.tflite().toString())),
                    launch.command(gate),
                    launch.command(verify(pair, reports)),
                    plain.command(bare),
                    plain.command(gate));
            List<String> labels = List.of("bare load + one inference", "runners' load + one inference",
                    "verify --outputs-only", "verify (layer by layer)", "bare, no archive", "--outputs-only, no archive");
            double[][] wall = new double[commands.size()][ROUNDS];
            double[][] peak = new double[commands.size()][ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                for (int c = 0; c < commands.size(); c++) {
                    Cost cost = measure(commands.get(c));
                    wall[c][r] = cost.wallMs();
                    peak[c][r] = cost.peakKb();
                }
            }
            double runnersWall = Bench.median(wall[1]);
            double runnersPeak = Bench.median(peak[1]);
            for (int c = 0; c < commands.size(); c++) {
                // The rows without the archive are against the floor without it, and have no runners' row.
                boolean archived = c < PLAIN_BARE;
                int floor = archived ? 0 : PLAIN_BARE;
                double w = Bench.median(wall[c]);
                double m = Bench.median(peak[c]);
                out.printf(Locale.ROOT, "  %-22s %-28s %8.0f %7.2f %9s %8.0f %7.2f %9s%n", pair.name(), labels.get(c), w,
                        w / Bench.median(wall[floor]), archived ? ratio(w, runnersWall) : "-",
                        m / 1024, m / Bench.median(peak[floor]), archived ? ratio(m, runnersPeak) : "-");
            }
            double bareWall = Bench.median(wall[0]);
            double barePeak = Bench.median(peak[0]);
            out.printf(Locale.ROOT, "  %-22s targets: --outputs-only wall %s, memory %s; layer by layer wall %s, memory %s"
                    + " (docs/performance.md)%n", pair.name(),
                    target(Bench.median(wall[2]) / bareWall, 1.15), target(Bench.median(peak[2]) / barePeak, 1.3),
                    target(Bench.median(wall[3]) / bareWall, 1.8), target(Bench.median(peak[3]) / barePeak, 2.0));
            out.printf(Locale.ROOT, "  %-22s issue 36's:  --outputs-only wall %s, memory %s; layer by layer wall %s,"
                    + " memory %s%n", "",
                    target(Bench.median(wall[2]) / bareWall, 1.0), target(Bench.median(peak[2]) / barePeak, 1.3),
                    target(Bench.median(wall[3]) / bareWall, 1.5), target(Bench.median(peak[3]) / barePeak, 1.5));
        }
        suite(out, pairs, reports, launch);
    }

    private static String ratio(double value, double of) {
        return String.format(Locale.ROOT, "%.2f", value / of);
    }

    /** A ratio against its target, and whether it is met. */
    private static String target(double ratio, double limit) {
        return String.format(Locale.ROOT, "%.2fx (<= %.2fx: %s)", ratio, limit, ratio <= limit ? "met" : "missed");
    }

    /**
     * A suite of the pairs (no stages) in one process against its budget: each pair's own verify process, less
     * the process start the suite pays only once ({@code verify --help}: the JVM and the command line, no model).
     */
    private static void suite(PrintStream out, List<FixturePair> pairs, Path reports, Launch launch) throws Exception {
        StringBuilder yaml = new StringBuilder("pairs:\n");
        for (FixturePair pair : pairs) {
            yaml.append("  - {name: ").append(pair.name()).append(", onnx: \"").append(pair.onnx()).append("\", tflite: \"")
                    .append(pair.tflite()).append("\"}\n");
        }
        Path suiteFile = Files.writeString(reports.resolve("bench.suite.yaml"), yaml);
        List<List<String>> commands = new ArrayList<>();
        commands.add(launch.command(List.of(ParityCli.class.getName(), "suite", suiteFile.toString(), "--report-dir",
                reports.toString())));
        commands.add(launch.command(List.of(ParityCli.class.getName(), "verify", "--help")));
        for (FixturePair pair : pairs) {
            commands.add(launch.command(verify(pair, reports)));
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

    /** Runs {@code cmd} (a whole command line, {@link Launch#command}); a non-zero exit is an error. */
    static Cost measure(List<String> cmd) throws Exception {
        return measure(cmd, 0);
    }

    /** Runs {@code cmd}, which must exit with {@code expectedExit} (1 for a failing pair). */
    static Cost measure(List<String> cmd, int expectedExit) throws Exception {
        return measure(cmd, expectedExit, Long.MAX_VALUE, null);
    }

    /**
     * Runs {@code cmd}, which must exit with {@code expectedExit}; killed, and an error, once its resident set passes
     * {@code ceilingKb}, so that a run that outgrows what it should hold cannot take a shared machine's memory. With
     * a {@code log}, the process's output goes there and the error of an unexpected exit ends with its first line
     * (the tool's errors are one line, a usage error's hint follows it).
     */
    static Cost measure(List<String> cmd, int expectedExit, long ceilingKb, Path log) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()))
                .start();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peak = 0;
        while (!p.waitFor(POLL_MS, TimeUnit.MILLISECONDS)) {
            peak = Math.max(peak, highWaterKb(status));
            if (peak > ceilingKb) {
                p.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", cmd) + ": killed at " + peak / 1024 + " MB resident,"
                        + " above its ceiling of " + ceilingKb / 1024 + " MB");
            }
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        if (p.exitValue() != expectedExit) {
            String said = log == null ? "" : Files.readAllLines(log).stream().filter(l -> !l.isBlank()).findFirst()
                    .map(l -> ": " + l.strip()).orElse("");
            throw new IllegalStateException(String.join(" ", cmd) + ": exit " + p.exitValue() + said);
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
