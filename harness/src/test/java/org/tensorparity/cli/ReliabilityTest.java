package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * What shared CI machines do to a run: many runs at once without a writable home, report paths that are devices,
 * links or FIFOs, too little memory. Each ends in its documented exit code with one line, and leaves nothing behind.
 */
class ReliabilityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A parity process of its own, as CI starts one. */
    private static ProcessBuilder child(Path cwd, Path javaTmp, List<String> jvm, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + javaTmp));
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ParityCli.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(cwd.toFile());
    }

    /**
     * Twelve runs started 150 ms apart, three rounds, as a user whose home cannot be written, sharing one
     * java.io.tmpdir: JavaCPP's shared fallback cache, which the first run to exit used to delete under the others,
     * is no longer used; each run extracts into a folder of its own and removes it.
     */
    @Test
    void staggeredRunsWithoutAWritableHomeAllSucceedAndLeaveNothing() throws Exception {
        Path dir = FixturePairs.scratch("staggered");
        Path home = Files.writeString(dir.resolve("home-is-a-file"), "x");
        Path javaTmp = Files.createDirectories(dir.resolve("javatmp"));
        Path tmp = Files.createDirectories(dir.resolve("tmpdir"));
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        FixturePair pair = FixturePairs.pair("template-127-onnx2tf");
        for (int round = 0; round < 3; round++) {
            List<Process> runs = new ArrayList<>();
            List<Path> errs = new ArrayList<>();
            for (int k = 0; k < 12; k++) {
                Path err = dir.resolve("r" + round + "-" + k + ".err");
                ProcessBuilder b = child(cwd, javaTmp, List.of("-Duser.home=" + home), "verify", "--onnx",
                        pair.onnx().toString(), "--tflite", pair.tflite().toString(), "--json",
                        dir.resolve("r" + round + "-" + k + ".json").toString());
                b.environment().put("HOME", home.toString());
                b.environment().put("TMPDIR", tmp.toString());
                b.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile());
                runs.add(b.start());
                errs.add(err);
                Thread.sleep(150);
            }
            for (int k = 0; k < runs.size(); k++) {
                Process p = runs.get(k);
                assertTrue(p.waitFor(300, TimeUnit.SECONDS), "run finished");
                Path err = errs.get(k);
                assertEquals(0, p.exitValue(), () -> "round, run " + err + ": " + read(err));
                assertEquals("", read(err));
            }
            try (Stream<Path> a = Files.list(javaTmp); Stream<Path> b = Files.list(tmp); Stream<Path> c = Files.list(cwd)) {
                List<Path> left = Stream.of(a, b, c).flatMap(s -> s).toList();
                assertTrue(left.isEmpty(), () -> "left behind: " + left);
            }
        }
    }

    /**
     * Runs writing to the same paths overwrite each other file by file; every file of a run carries the run's id, which
     * the JSON report names, so a reader tells which files belong together.
     */
    @Test
    void everyReportFileCarriesTheRunIdTheJsonNames() throws IOException {
        Path dir = FixturePairs.scratch("run-id");
        FixturePair pair = FixturePairs.pair("template-127-onnx2tf");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", dir.resolve("r.json"),
                "--junit", dir.resolve("r.xml"), "--markdown", dir.resolve("r.md"));
        assertEquals(0, run.exitCode(), run::toString);
        String id = JSON.readTree(dir.resolve("r.json").toFile()).at("/provenance/runId").asText();
        assertTrue(id.matches("[0-9a-f-]{36}"), id);
        assertTrue(read(dir.resolve("r.html")).contains("<meta name=\"tensor-parity-run\" content=\"" + id + "\">"));
        assertTrue(read(dir.resolve("r.xml")).contains("name=\"runId\" value=\"" + id + "\""));
        assertTrue(read(dir.resolve("r.md")).contains("run `" + id + "`"));
    }

    @Test
    void aDeviceAsTheReportIsWrittenInPlaceAndStaysADevice() {
        Path devNull = Path.of("/dev/null");
        FixturePair pair = FixturePairs.pair("template-127-onnx2tf");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", devNull,
                "--outputs-only");
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(Files.isRegularFile(devNull), "/dev/null is still a device");
        assertFalse(Files.exists(Path.of("/dev/null.html")), "no HTML report beside a device");
    }

    @Test
    void aLinkedReportWritesItsTargetAndStaysALink() throws IOException {
        Path dir = FixturePairs.scratch("linked-report");
        Path target = dir.resolve("elsewhere").resolve("run.json");
        Files.createDirectories(target.getParent());
        Path link = Files.createSymbolicLink(dir.resolve("run.json"), Path.of("elsewhere", "run.json"));
        FixturePair pair = FixturePairs.pair("template-127-onnx2tf");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", link,
                "--outputs-only");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("pass", JSON.readTree(target.toFile()).get("verdict").asText());
    }

    @Test
    void aFifoOrALoopingLinkAsTheReportIsRefusedBeforeTheModelsRun() throws Exception {
        Path dir = FixturePairs.scratch("fifo-report");
        Path fifo = dir.resolve("report.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        FixturePair pair = FixturePairs.pair("template-127-onnx2tf");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", fifo);
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("named fifo"), run::toString);

        Path loop = dir.resolve("loop");
        Files.createSymbolicLink(loop, loop.getFileName());
        CliRun looping = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--report-dir", loop);
        assertEquals(2, looping.exitCode(), looping::toString);
        assertTrue(looping.err().contains("symbolic link"), looping::toString);
    }

    /**
     * Too small a heap is one line and exit 3, with no report, no stack trace and nothing left behind: refused before
     * the capture where the estimate tells (64 MB for a layer-by-layer YOLOX-Nano), or when the JVM runs out (16 MB,
     * outputs only).
     */
    @Test
    void runningOutOfHeapIsOneLineAndExitThree() throws Exception {
        Expectation yolox = real("yolox-nano-float16");
        assertOutOfHeap(yolox, "-Xmx64m");
        assertOutOfHeap(yolox, "-Xmx16m", "--outputs-only");
    }

    private static void assertOutOfHeap(Expectation pair, String heap, String... more) throws Exception {
        Path dir = FixturePairs.scratch("out-of-heap");
        Path javaTmp = Files.createDirectories(dir.resolve("javatmp"));
        Path err = dir.resolve("err");
        Path json = dir.resolve("report.json");
        List<String> args = new ArrayList<>(List.of("verify", "--onnx", pair.onnxPath().toString(), "--tflite",
                pair.tflitePath().toString(), "--json", json.toString()));
        args.addAll(pair.resolvedArgs());
        args.addAll(List.of(more));
        Process p = child(dir, javaTmp, List.of(heap), args.toArray(String[]::new))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        String stderr = read(err);
        assertEquals(3, p.exitValue(), heap + ": " + stderr);
        assertEquals(1, stderr.lines().count(), stderr);
        assertTrue(stderr.startsWith("parity: error: not enough memory") && stderr.contains("PARITY_JAVA_OPTS=-Xmx"),
                stderr);
        try (Stream<Path> left = Files.list(javaTmp)) {
            assertEquals(List.of(), left.toList());
        }
        assertFalse(Files.exists(json));
    }

    /** A layer-by-layer run that cannot fit is refused before it captures anything, naming the estimate. */
    @Test
    void aBatchTooLargeToCaptureIsRefusedAtOnce() {
        Expectation pitch = real("basic-pitch");
        long start = System.nanoTime();
        CliRun run = CliRun.of("verify", "--onnx", pitch.onnxPath(), "--tflite", pitch.tflitePath(), "--shape",
                "serving_default_input_2:0=4000x43844x1", "--json", FixturePairs.scratch("big-batch").resolve("r.json"));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.err().contains("--outputs-only") && run.err().contains("GB"), run::toString);
        assertTrue(seconds < 5, "refused in " + seconds + " s");
    }

    private static Expectation real(String name) {
        return RealPairs.expectations().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
