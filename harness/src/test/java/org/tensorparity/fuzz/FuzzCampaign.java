package org.tensorparity.fuzz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A deterministic fuzz campaign against the {@code parity} command line ({@code make fuzz}): generates the
 * cases of {@link FuzzCases} and runs them in child JVMs ({@link FuzzBatch}), each with its own working
 * directory, {@code $TMPDIR} and {@code java.io.tmpdir}. A finding is a JVM crash, a case running longer
 * than {@link #CASE_LIMIT_SECONDS}, a stack trace or more than one line on the error output, an exit code
 * outside 0-3, or any file left in those folders or half-written in a report folder.
 */
public final class FuzzCampaign {
    /** The bound; the slowest correct case here takes about 2 s. */
    static final int CASE_LIMIT_SECONDS = 60;
    private static final int BATCH = 25;

    private final Path work;
    private final boolean keepReports;
    private final Map<Integer, Integer> exitCodes = new TreeMap<>();
    private final List<String> findings = new ArrayList<>();

    private FuzzCampaign(Path work, boolean keepReports) {
        this.work = work;
        this.keepReports = keepReports;
    }

    /** What a campaign found. */
    record Result(int cases, Map<Integer, Integer> exitCodes, List<String> findings) {
        String summary() {
            return cases + " cases; exit codes " + exitCodes + "; " + findings.size() + " findings"
                    + (findings.isEmpty() ? "" : ":\n  " + String.join("\n  ", findings));
        }
    }

    /** Arguments: {@code --seed N --cases N --pairs DIR --work DIR}; exits 1 when there are findings. */
    public static void main(String[] args) throws Exception {
        Map<String, String> flags = new TreeMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            flags.put(args[i], args[i + 1]);
        }
        List<Path[]> pairs = new ArrayList<>();
        try (Stream<Path> files = Files.list(Path.of(flags.getOrDefault("--pairs", "fixtures/target/fuzz-pairs")))) {
            for (Path onnx : files.filter(p -> p.toString().endsWith(".onnx")).sorted().toList()) {
                Path tflite = Path.of(onnx.toString().replaceAll("\\.onnx$", ".tflite"));
                if (Files.exists(tflite)) {
                    pairs.add(new Path[] {onnx.toAbsolutePath(), tflite.toAbsolutePath()});
                }
            }
        }
        Result result = run(Long.parseLong(flags.getOrDefault("--seed", "1")),
                Integer.parseInt(flags.getOrDefault("--cases", "2000")), pairs,
                Path.of(flags.getOrDefault("--work", "harness/target/fuzz")).toAbsolutePath(), false);
        System.out.println("fuzz: " + result.summary());
        System.exit(result.findings().isEmpty() ? 0 : 1);
    }

    /**
     * Runs {@code count} cases of seed {@code seed} against {@code pairs}, in {@code work}.
     *
     * @param keepReports keep every case's reports under {@code work/reports}, where the test suite's schema check
     *     (ReportSchemaExtension) reads them, rather than delete each batch's once checked: a full campaign's would
     *     fill the disk
     */
    static Result run(long seed, int count, List<Path[]> pairs, Path work, boolean keepReports)
            throws IOException, InterruptedException {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no model pairs to mutate");
        }
        deleteTree(work);
        List<FuzzCase> cases = FuzzCases.generate(seed, count, pairs, work.resolve("cases"));
        FuzzCampaign campaign = new FuzzCampaign(work, keepReports);
        for (int from = 0; from < cases.size(); from += BATCH) {
            campaign.runBatch(cases.subList(from, Math.min(cases.size(), from + BATCH)));
        }
        return new Result(cases.size(), campaign.exitCodes, campaign.findings);
    }

    private void runBatch(List<FuzzCase> batch) throws IOException, InterruptedException {
        List<FuzzCase> pending = batch;
        while (!pending.isEmpty()) {
            int done = runChild(pending);
            pending = pending.subList(Math.min(pending.size(), done), pending.size());
        }
    }

    /** Runs the cases in one child JVM; returns how many it got through (a crashed or hung case counts). */
    private int runChild(List<FuzzCase> cases) throws IOException, InterruptedException {
        Path cwd = Files.createDirectories(work.resolve("cwd"));
        Path tmp = Files.createDirectories(work.resolve("tmpdir"));
        Path javaTmp = Files.createDirectories(work.resolve("javatmp"));
        // One folder per child, so that a batch's check sees its own cases' reports only.
        Path reports = Files.createDirectories(work.resolve("reports").resolve("from-case-" + cases.get(0).id()));
        Path batchFile = work.resolve("batch.txt");
        List<String> lines = new ArrayList<>();
        for (FuzzCase c : cases) {
            lines.add(c.id() + FuzzBatch.FIELD + String.join(FuzzBatch.FIELD, c.args()));
        }
        Files.write(batchFile, lines);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + javaTmp, "-cp", absoluteClassPath(), FuzzBatch.class.getName(),
                batchFile.toString(), reports.toString()).directory(cwd.toFile());
        builder.environment().put("TMPDIR", tmp.toString());
        Path stderr = work.resolve("child.stderr");
        builder.redirectError(stderr.toFile());
        Process child = builder.start();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    events.add(line);
                }
            } catch (IOException e) {
                // The child died; the missing "end" line records it.
            }
            events.add("eof");
        }, "fuzz-child-reader");
        reader.start();
        int finished = 0;
        FuzzCase current = null;
        while (true) {
            String event = events.poll(CASE_LIMIT_SECONDS, TimeUnit.SECONDS);
            if (event == null) {
                findings.add("hang (> " + CASE_LIMIT_SECONDS + " s): " + describe(current));
                child.destroyForcibly().waitFor();
                reader.join();
                return finished + 1;
            }
            String[] parts = event.split(" ");
            switch (parts[0]) {
                case "start" -> current = cases.get(finished);
                case "trace" -> findings.add("stack trace on stderr: " + describe(current));
                case "lines" -> findings.add(parts[2] + " lines on stderr: " + describe(current));
                case "end" -> {
                    int code = Integer.parseInt(parts[2]);
                    exitCodes.merge(code, 1, Integer::sum);
                    if (code < 0 || code > 3) {
                        findings.add("exit code " + code + ": " + describe(current));
                    }
                    finished++;
                    current = null;
                }
                case "eof" -> {
                    int exit = child.waitFor();
                    String native_ = Files.readString(stderr);
                    if (current != null || exit != 0) {
                        findings.add("JVM died (exit " + exit + "): " + describe(current) + firstLine(native_));
                        finished += current != null ? 1 : 0;
                    } else if (native_.contains("\tat ") || native_.contains("Exception in thread")) {
                        findings.add("stack trace on the process's stderr in the batch ending " + describe(cases.get(finished - 1)));
                    }
                    checkLeftovers(cwd, tmp, javaTmp, reports);
                    return Math.max(finished, 1);
                }
                default -> {
                    // Anything else a case printed on stdout is the tool's own output, not ours to judge.
                }
            }
        }
    }

    private void checkLeftovers(Path cwd, Path tmp, Path javaTmp, Path reports) throws IOException {
        for (Path dir : List.of(cwd, tmp, javaTmp)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.forEach(f -> findings.add("left behind: " + f));
            }
        }
        try (Stream<Path> files = Files.walk(reports)) {
            files.filter(f -> f.getFileName().toString().endsWith(".tmp")).forEach(f -> findings.add("half-written: " + f));
        }
        if (!keepReports) {
            deleteTree(reports);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    /** The child runs in its own working directory, so relative class-path entries must be resolved here. */
    private static String absoluteClassPath() {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().toString()).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    private static String describe(FuzzCase c) {
        return c == null ? "(between cases)" : "case " + c.id() + " " + c.kind() + " (" + c.detail() + ")";
    }

    private static String firstLine(String text) {
        return text.isBlank() ? "" : "; stderr: " + text.lines().findFirst().orElse("");
    }
}
