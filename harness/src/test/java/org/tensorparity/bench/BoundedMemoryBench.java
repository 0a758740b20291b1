package org.tensorparity.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.tensorparity.cli.ParityCli;
import org.tensorparity.fixtures.catalog.ActivationSizedPair;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.fixtures.catalog.Oracle;

/**
 * Layer by layer in bounded memory (issue 36 item 2): generated pairs whose ONNX activations total 0.5, 1, 2 and
 * 4 GB ({@link ActivationSizedPair}: 1x1 convolutions and Relus, about as cheap to run as writing their activations),
 * each verified by whole processes started through {@code ./parity} (which also sizes their heap from
 * {@code --max-memory}): {@code --outputs-only}, whose report gives the two inferences' times, then layer by layer
 * with {@code --max-memory} a quarter of the activations; the 0.5 GB pair also without {@code --max-memory}, the
 * unbounded run whose verdict and first divergence the bounded one must equal. Per layer-by-layer run: peak RSS
 * against the two models' files plus the budget (goal: at most 1.15x), and its time in the tool (the report's
 * {@code totalMs} less {@code loadMs}, as the model leaves out the JVM's start and the models' loading) against the
 * passes its report's {@code instrumentation.memory} states times the two inferences, plus its own comparison time
 * ({@code compareMs}). One run each: they take seconds and gigabytes, and the figures are ratios within one run or
 * between sizes. A bounded run is killed once its resident set passes twice its {@code --outputs-only} peak plus
 * its budget, and a run that may need more than the machine's MemAvailable, or more temporary space than
 * {@code java.io.tmpdir} has free, is skipped; either is printed with the reason.
 */
final class BoundedMemoryBench {
    private static final long MIB = 1L << 20;
    private static final List<Long> SIZES = List.of(512 * MIB, 1024 * MIB, 2048 * MIB, 4096 * MIB);
    /** Issue 36: peak memory at most the two models plus the budget plus 15%. */
    private static final double PEAK_GOAL = 1.15;
    /** The budget is this share of the activations, so that the capture cannot be held whole. */
    private static final int BUDGET_PARTS = 4;
    /**
     * Memory {@code --outputs-only} needs, per byte of activations: it peaked at 0.92x on the 0.5 GB pair and 0.71x on
     * the 4 GB one (471 MB, 2.9 GB: both runtimes and the Java copies of an input and output of 1/64 of the
     * activations each; measured from classes on the 24 GB development machine), with room for the machine's noise.
     */
    private static final double OUTPUTS_ONLY_PER_ACTIVATION_BYTE = 1.5;
    /**
     * Memory the unbounded run needs, per byte of activations: it peaked at 4.6x on the 0.5 GB pair (2.36 GB: both
     * runtimes' intermediates and the captured copies, measured as above), rounded up.
     */
    private static final double UNBOUNDED_PER_ACTIVATION_BYTE = 6;
    /**
     * A bounded run is killed beyond this many times its {@code --outputs-only} peak plus its budget: a capture that
     * does not keep to its budget held 4.2x the activations (17 GB on the 4 GB pair, a work-in-progress build that
     * ran every model in one pass), more than a shared machine should give one bench run.
     */
    private static final double CEILING = 2;
    /**
     * Temporary-file space a bounded run may need, per byte of ONNX activations: the captured values of both
     * models, whose TFLite side is half the ONNX one here (each Conv and Relu one CONV_2D), with room to spare.
     */
    private static final int SPILL_PER_ACTIVATION_BYTE = 2;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The launcher script and the jar {@code make build} writes; the bench runs from the harness module's folder. */
    private static final Path LAUNCHER = Path.of("..", "parity").toAbsolutePath().normalize();
    private static final Path JAR = Path.of("target", "parity.jar").toAbsolutePath();

    private BoundedMemoryBench() {
    }

    /**
     * How the verifies start: through {@code ./parity} itself where {@code make build} has built its jar, so that each
     * gets the heap the launcher gives its command line (sized from {@code --max-memory}); else as {@link Launch}
     * starts programs, saying that the heap is then the JVM's default.
     */
    private sealed interface Starter {
        String description();

        /** The command line of {@code parity <args>}. */
        List<String> command(List<String> args);

        static Starter find() throws IOException, InterruptedException {
            if (Files.isExecutable(LAUNCHER) && Files.isRegularFile(JAR)) {
                return new Script(LAUNCHER);
            }
            return new Java(Launch.asTheLauncher());
        }

        record Script(Path launcher) implements Starter {
            public String description() {
                return "through " + launcher + " itself";
            }

            public List<String> command(List<String> args) {
                List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
                cmd.addAll(args);
                return cmd;
            }
        }

        record Java(Launch launch) implements Starter {
            public String description() {
                return launch.description() + "; not through ./parity (no " + JAR + "): the heap is the JVM's default,"
                        + " not the one ./parity gives a command line";
            }

            public List<String> command(List<String> args) {
                List<String> cmd = new ArrayList<>(List.of(ParityCli.class.getName()));
                cmd.addAll(args);
                return launch.command(cmd);
            }
        }
    }

    /** One layer-by-layer run's figures. */
    private record Run(long activationBytes, String label, long budgetBytes, double wallMs, long peakKb,
                       JsonNode report) {
    }

    static void run(PrintStream out, Path folder) throws Exception {
        Files.createDirectories(folder);
        Starter launch = Starter.find();
        out.println("  started " + launch.description() + "; one run each; MB and GB are 2^20 and 2^30 bytes");
        out.printf(Locale.ROOT, "  %-8s %-20s %9s %8s %22s %8s %14s %32s  %s%n", "acts MB", "run", "budget MB",
                "peak MB", "x (models + budget)", "wall s", "passes o/t", "tool s x (passes x 2 inf + cmp)",
                "verdict, first divergence");
        JsonNode unbounded = null;
        List<Run> bounded = new ArrayList<>();
        for (long size : SIZES) {
            String lacking = lacking(size, OUTPUTS_ONLY_PER_ACTIVATION_BYTE * size, 0);
            if (lacking != null) {
                out.printf(Locale.ROOT, "  %-8d skipped: %s%n", size / MIB, lacking);
                continue;
            }
            ActivationSizedPair sized = ActivationSizedPair.write(folder, size);
            long models = Files.size(sized.pair().onnx()) + Files.size(sized.pair().tflite());
            long acts = sized.activationBytes();
            Path gateJson = folder.resolve(sized.pair().name() + "-outputs-only.json");
            WholeProcessBench.Cost gate = measure(out, acts, "--outputs-only",
                    launch.command(verify(sized, gateJson, "--outputs-only")), gateJson, Long.MAX_VALUE);
            if (gate == null) {
                continue;
            }
            JsonNode inference = JSON.readTree(gateJson.toFile()).get("timings");
            out.printf(Locale.ROOT, "  %-8d %-20s %9s %8.0f %22s %8.1f   two inferences: ONNX %.0f ms + TFLite %.0f ms"
                    + " (%dx%d, models %d KB)%n", acts / MIB, "--outputs-only", "-", gate.peakKb() / 1024.0, "-",
                    gate.wallMs() / 1000, inference.get("onnxInferenceMs").asDouble(),
                    inference.get("tfliteInferenceMs").asDouble(), sized.height(), sized.width(), models / 1024);

            if (size == SIZES.get(0)) {
                String noRoom = lacking(size, UNBOUNDED_PER_ACTIVATION_BYTE * size, 0);
                Path json = folder.resolve(sized.pair().name() + "-unbounded.json");
                if (noRoom != null) {
                    out.printf(Locale.ROOT, "  %-8d %-20s skipped: %s%n", acts / MIB, "unbounded", noRoom);
                } else {
                    WholeProcessBench.Cost cost = measure(out, acts, "unbounded", launch.command(verify(sized, json)),
                            json, Long.MAX_VALUE);
                    if (cost != null) {
                        unbounded = JSON.readTree(json.toFile());
                        print(out, new Run(acts, "unbounded", 0, cost.wallMs(), cost.peakKb(), unbounded), models,
                                gate.peakKb(), inference, null);
                    }
                }
            }

            long budget = acts / BUDGET_PARTS;
            String label = "--max-memory " + budget / MIB + "M";
            long ceilingKb = (long) (CEILING * (gate.peakKb() + budget / 1024));
            String noRoom = lacking(size, ceilingKb * 1024.0, SPILL_PER_ACTIVATION_BYTE * size);
            if (noRoom != null) {
                out.printf(Locale.ROOT, "  %-8d %-20s skipped: %s%n", acts / MIB, label, noRoom);
                continue;
            }
            Path json = folder.resolve(sized.pair().name() + "-bounded.json");
            WholeProcessBench.Cost cost = measure(out, acts, label,
                    launch.command(verify(sized, json, "--max-memory", budget / MIB + "M")), json, ceilingKb);
            if (cost != null) {
                Run run = new Run(acts, label, budget, cost.wallMs(), cost.peakKb(), JSON.readTree(json.toFile()));
                print(out, run, models, gate.peakKb(), inference, size == SIZES.get(0) ? unbounded : null);
                bounded.add(run);
            }
        }
        scaling(out, bounded);
    }

    /** Issue 36: the full-size DaSiamRPN detection pair is measured under less than a third of its capture. */
    private static final int FULL_SIZE_BUDGET_PARTS = 3;
    /** Rounds of the full-size measure: its peaks vary by about 20 MB from run to run. */
    private static final int FULL_SIZE_ROUNDS = 3;

    /**
     * Issue 36's measure on full-size pairs (the DaSiamRPN detection pair, correct and broken): each verified, in
     * alternated rounds, {@code --outputs-only}, unbounded, and layer by layer under a third of the capture its
     * unbounded report estimates. The bounded run's verdict, layer verdict and first divergence must be the unbounded
     * run's, and its median peak is set against the median {@code --outputs-only} peak plus the budget (the goal:
     * within it), both as {@code ./parity} starts them.
     */
    static void fullSize(PrintStream out, List<FixturePair> pairs, Path folder) throws Exception {
        Files.createDirectories(folder);
        Starter launch = Starter.find();
        out.println("  full-size pairs under a third of their estimated capture, started " + launch.description()
                + "; medians of " + FULL_SIZE_ROUNDS + " alternated rounds");
        out.printf(Locale.ROOT, "  %-40s %9s %14s %10s %10s %24s %8s  %s%n", "pair", "budget MB", "outputs-only MB",
                "unbounded", "bounded", "x (outputs-only + budget)", "wall s", "verdict, first divergence");
        for (FixturePair pair : pairs) {
            int exit = pair.oracle().expect().equals(Oracle.PASS) ? 0 : 1;
            Path gateJson = folder.resolve(pair.name() + "-outputs-only.json");
            Path unboundedJson = folder.resolve(pair.name() + "-unbounded.json");
            Path boundedJson = folder.resolve(pair.name() + "-bounded.json");
            WholeProcessBench.measure(launch.command(verify(pair, unboundedJson)), exit, Long.MAX_VALUE, null);
            JsonNode unbounded = JSON.readTree(unboundedJson.toFile());
            long budgetMb = unbounded.path("instrumentation").path("memory").path("estimatedBytes").asLong()
                    / FULL_SIZE_BUDGET_PARTS / MIB;
            if (budgetMb == 0) {
                out.printf(Locale.ROOT, "  %-40s skipped: its unbounded report states no capture estimate%n",
                        pair.name());
                continue;
            }
            double[] gate = new double[FULL_SIZE_ROUNDS];
            double[] whole = new double[FULL_SIZE_ROUNDS];
            double[] peak = new double[FULL_SIZE_ROUNDS];
            double[] wall = new double[FULL_SIZE_ROUNDS];
            for (int round = 0; round < FULL_SIZE_ROUNDS; round++) {
                gate[round] = WholeProcessBench.measure(launch.command(verify(pair, gateJson, "--outputs-only")), exit,
                        Long.MAX_VALUE, null).peakKb() / 1024.0;
                whole[round] = WholeProcessBench.measure(launch.command(verify(pair, unboundedJson)), exit,
                        Long.MAX_VALUE, null).peakKb() / 1024.0;
                WholeProcessBench.Cost bounded = WholeProcessBench.measure(launch.command(verify(pair, boundedJson,
                        "--max-memory", budgetMb + "M")), exit, Long.MAX_VALUE, null);
                peak[round] = bounded.peakKb() / 1024.0;
                wall[round] = bounded.wallMs() / 1000;
            }
            double ratio = Bench.median(peak) / (Bench.median(gate) + budgetMb);
            String goal = String.format(Locale.ROOT, "%.2f (<= 1: %s)", ratio, ratio <= 1 ? "met" : "missed");
            out.printf(Locale.ROOT, "  %-40s %9d %14.0f %10.0f %10.0f %24s %8.2f  %s%n", pair.name(), budgetMb,
                    Bench.median(gate), Bench.median(whole), Bench.median(peak), goal, Bench.median(wall),
                    outcome(JSON.readTree(boundedJson.toFile()), JSON.readTree(unboundedJson.toFile())));
        }
    }

    private static void print(PrintStream out, Run run, long models, long outputsOnlyKb, JsonNode inference,
                              JsonNode unbounded) {
        JsonNode memory = run.report().path("instrumentation").path("memory");
        String peakGoal = "-";
        if (run.budgetBytes() > 0) {
            double ratio = run.peakKb() * 1024.0 / (models + run.budgetBytes());
            peakGoal = String.format(Locale.ROOT, "%.2f (<= %.2f: %s)", ratio, PEAK_GOAL,
                    ratio <= PEAK_GOAL ? "met" : "missed");
        }
        String passes = "not reported";
        String time = "-";
        JsonNode timings = run.report().get("timings");
        double tool = timings.get("totalMs").asDouble() - timings.get("loadMs").asDouble();
        if (memory.isObject()) {
            int onnxPasses = memory.get("onnxPasses").asInt();
            int tflitePasses = memory.get("tflitePasses").asInt();
            passes = onnxPasses + "/" + tflitePasses;
            double model = onnxPasses * inference.get("onnxInferenceMs").asDouble()
                    + tflitePasses * inference.get("tfliteInferenceMs").asDouble()
                    + timings.get("compareMs").asDouble();
            time = String.format(Locale.ROOT, "%.1f / %.1f = %.2f", tool / 1000, model / 1000, tool / model);
        }
        out.printf(Locale.ROOT, "  %-8d %-20s %9s %8.0f %22s %8.1f %14s %32s  %s%n", run.activationBytes() / MIB,
                run.label(), run.budgetBytes() > 0 ? Long.toString(run.budgetBytes() / MIB) : "-", run.peakKb() / 1024.0,
                peakGoal, run.wallMs() / 1000, passes, time, outcome(run.report(), unbounded));
        String floor = String.format(Locale.ROOT, "peak %.2fx (the --outputs-only peak + the budget)",
                run.peakKb() / (outputsOnlyKb + run.budgetBytes() / 1024.0));
        if (memory.isObject()) {
            String note = memory.path("note").asText("");
            out.printf(Locale.ROOT, "  %-8s %-20s %s; budget from %s, capture estimated whole %s MB%s%n", "", "", floor,
                    memory.path("budgetFrom").asText("?"), memory.path("estimatedBytes").isNumber()
                            ? Long.toString(memory.get("estimatedBytes").asLong() / MIB) : "unknown",
                    note.isEmpty() ? "" : ": " + note);
        } else {
            out.printf(Locale.ROOT, "  %-8s %-20s %s; no instrumentation.memory in the report%n", "", "", floor);
        }
    }

    /** The verdict and first divergence, and for a bounded run whether they are the unbounded run's. */
    private static String outcome(JsonNode report, JsonNode unbounded) {
        JsonNode first = report.get("firstDivergence");
        String own = report.get("verdict").asText() + ", " + (first.isNull() ? "none" : first.get("onnx").asText());
        if (unbounded == null) {
            return own;
        }
        boolean same = Objects.equals(report.get("verdict"), unbounded.get("verdict"))
                && Objects.equals(report.get("layerVerdict"), unbounded.get("layerVerdict"))
                && Objects.equals(first, unbounded.get("firstDivergence"));
        return own + (same ? " (as unbounded)" : " (DIFFERS from unbounded: " + unbounded.get("verdict").asText()
                + ", " + (unbounded.get("firstDivergence").isNull() ? "none"
                : unbounded.get("firstDivergence").get("onnx").asText()) + ")");
    }

    /** How peak memory and wall time grow from the smallest bounded run to the largest. */
    private static void scaling(PrintStream out, List<Run> bounded) {
        if (bounded.size() < 2) {
            out.println("  scaling: fewer than two bounded runs finished");
            return;
        }
        Run small = bounded.get(0);
        Run large = bounded.get(bounded.size() - 1);
        out.printf(Locale.ROOT, "  scaling from %d to %d MB of activations (x%.0f, budgets a quarter of each): peak RSS x%.2f,"
                        + " wall x%.2f%n", small.activationBytes() / MIB, large.activationBytes() / MIB,
                (double) large.activationBytes() / small.activationBytes(), (double) large.peakKb() / small.peakKb(),
                large.wallMs() / small.wallMs());
    }

    /**
     * Runs one verify, its output kept in {@code <json>.log}; when it exits otherwise than 0 or passes
     * {@code ceilingKb}, says so on its row (with the first line it printed) and returns null.
     */
    private static WholeProcessBench.Cost measure(PrintStream out, long acts, String label, List<String> cmd,
                                                  Path json, long ceilingKb) throws Exception {
        try {
            return WholeProcessBench.measure(cmd, 0, ceilingKb, json.resolveSibling(json.getFileName() + ".log"));
        } catch (IllegalStateException e) {
            String message = e.getMessage();
            int why = Math.max(message.lastIndexOf(": exit "), message.lastIndexOf(": killed "));
            out.printf(Locale.ROOT, "  %-8d %-20s did not finish: %s%n", acts / MIB, label, message.substring(why + 2));
            return null;
        }
    }

    /**
     * Why this machine cannot run a verify of a pair of {@code size} activations: its MemAvailable below
     * {@code memory}, or the free space of {@code java.io.tmpdir} (where the children keep captured values) below
     * {@code spill}; null when it can.
     */
    private static String lacking(long size, double memory, long spill) throws IOException {
        long available = memAvailable();
        if (available < 0) {
            return "MemAvailable unknown (no /proc/meminfo): cannot tell whether " + gb(memory) + " fit";
        }
        if (available < memory) {
            return String.format(Locale.ROOT, "MemAvailable %s is below the %s this run of %d MB of activations may"
                    + " take", gb(available), gb(memory), size / MIB);
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long free = Files.getFileStore(tmp).getUsableSpace();
        if (free < spill) {
            return String.format(Locale.ROOT, "%s has %s free, below the %s of captured values a bounded run may"
                    + " keep there", tmp, gb(free), gb(spill));
        }
        return null;
    }

    /** {@code MemAvailable} in bytes, or -1 where the kernel does not say. */
    private static long memAvailable() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static String gb(double bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / (1L << 30));
    }

    private static List<String> verify(ActivationSizedPair sized, Path json, String... extra) {
        return verify(sized.pair(), json, extra);
    }

    private static List<String> verify(FixturePair pair, Path json, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("verify", "--onnx", pair.onnx().toString(), "--tflite",
                pair.tflite().toString(), "--json", json.toString()));
        cmd.addAll(List.of(extra));
        return cmd;
    }
}
