package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.OnnxEdits;
import org.tensorparity.testing.TfliteEdits;

/**
 * Every kind of bad input gets one clear line on stderr, the documented exit code, no stack trace and
 * no report file.
 */
class BadInputTest {
    private final FixturePair template = FixturePairs.pair("template-127-onnxtf");
    private final Path dir = FixturePairs.scratch("bad");

    private CliRun verify(Object onnx, Object tflite, Object... more) {
        Object[] args = Stream.concat(Stream.of("verify", "--onnx", onnx, "--tflite", tflite, "--report-dir", dir.resolve("reports")),
                Arrays.stream(more)).toArray();
        return CliRun.of(args);
    }

    private void assertOneLineError(CliRun run, int exitCode, String... fragments) throws IOException {
        assertEquals(exitCode, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        String line = run.errLines().get(0);
        assertTrue(line.startsWith("parity: error: "), line);
        for (String f : fragments) {
            assertTrue(line.contains(f), () -> "expected '" + f + "' in: " + line);
        }
        assertFalse(run.err().contains("\tat "), "no stack trace without --verbose");
        assertFalse(Files.exists(dir.resolve("reports")) && Files.list(dir.resolve("reports")).findAny().isPresent(),
                "no report is written for bad input");
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    private static byte[] half(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        return Arrays.copyOf(all, all.length / 2);
    }

    @Test
    void missingFile() throws IOException {
        assertOneLineError(verify(dir.resolve("nope.onnx"), template.tflite()), 2, "nope.onnx", "no such file");
    }

    /** The two files are read side by side; what is wrong with the ONNX file is still what is said. */
    @Test
    void bothFilesMissingNamesTheOnnxFile() throws IOException {
        assertOneLineError(verify(dir.resolve("nope.onnx"), dir.resolve("nope.tflite")), 2, "nope.onnx", "no such file");
    }

    @Test
    void emptyFile() throws IOException {
        Path empty = write("empty.tflite", new byte[0]);
        assertOneLineError(verify(template.onnx(), empty), 2, "empty.tflite", "file is empty");
    }

    @Test
    void randomBytesAsOnnx() throws IOException {
        byte[] noise = new byte[4096];
        new Random(1).nextBytes(noise);
        assertOneLineError(verify(write("noise.onnx", noise), template.tflite()), 3, "noise.onnx");
    }

    @Test
    void randomBytesAsTflite() throws IOException {
        byte[] noise = new byte[4096];
        new Random(2).nextBytes(noise);
        assertOneLineError(verify(template.onnx(), write("noise.tflite", noise)), 3, "noise.tflite");
    }

    @Test
    void truncatedOnnx() throws IOException {
        assertOneLineError(verify(write("half.onnx", half(template.onnx())), template.tflite()), 3, "half.onnx");
    }

    @Test
    void truncatedTflite() throws IOException {
        assertOneLineError(verify(template.onnx(), write("half.tflite", half(template.tflite()))), 3, "half.tflite");
    }

    @Test
    void modelsGivenTheWrongWayRound() throws IOException {
        assertOneLineError(verify(template.tflite(), template.onnx()), 2, "did you swap --onnx and --tflite");
    }

    @Test
    void onnxGivenAsTflite() throws IOException {
        assertOneLineError(verify(template.onnx(), template.onnx()), 2, "is an ONNX model", "did you swap");
    }

    @Test
    void incompatibleShapes() throws IOException {
        Path small = OnnxEdits.relu(dir.resolve("relu64.onnx"), 1, 3, 64, 64);
        assertOneLineError(verify(small, template.tflite()), 2, "ONNX input 'x' [1,3,64,64]",
                "TFLite input 'serving_default_x:0' [1,3,127,127]", "incompatible shapes");
    }

    @Test
    void dynamicDimensionWithShapeRuns() {
        Path dynamic = OnnxEdits.withDynamicInput(template.onnx(), "x", dir.resolve("dynamic-ok.onnx"));
        CliRun run = verify(dynamic, template.tflite(), "--shape", "x=1x3x127x127", "--outputs-only");
        assertEquals(0, run.exitCode(), run::toString);
    }

    @Test
    void anInferenceFailingOnASizeTheToolChoseIsBadInputWithTheFlagToGiveIt() throws IOException {
        // Height and width open in both files: tensor-parity runs them at 1, where the template's convolutions fail.
        Path onnx = OnnxEdits.withDynamicInput(template.onnx(), "x", dir.resolve("open-hw.onnx"));
        Path tflite = TfliteEdits.withInputSignature(template.tflite(), new int[] {1, 3, -1, -1},
                dir.resolve("open-hw.tflite"));
        CliRun run = verify(onnx, tflite, "--outputs-only");
        // Before: exit 3 with the runtime's "Invalid input shape" and nothing on the size tensor-parity had chosen.
        assertOneLineError(run, 2, "'x' ran as 1x3x1x1 with its open dimensions set to 1", "--shape x=1x3xNxN");
        assertEquals(0, verify(onnx, tflite, "--outputs-only", "--shape", "x=1x3x127x127").exitCode(),
                "the size the hint asks for runs");
    }

    @Test
    void aReportFolderThatTakesNoFilesIsRefusedBeforeTheModelsRun() throws IOException {
        // /proc takes no new files, even from root: the case of a folder without write permission, which the root
        // user of a CI container cannot be denied. Before, such a run printed PASS and then exited 2.
        CliRun run = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", template.tflite(), "--outputs-only",
                "--report-dir", "/proc/tensor-parity-reports");
        assertOneLineError(run, 2, "cannot write JSON report /proc/tensor-parity-reports/", "/proc does not take new files");
        assertFalse(run.out().contains("PASS"), run::toString);
        assertFalse(run.err().contains("probe"), run::toString);
    }

    @Test
    void unwritableReportFolder() throws IOException {
        Path file = write("not-a-folder", new byte[] {1});
        CliRun run = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", template.tflite(), "--outputs-only",
                "--report-dir", file.resolve("reports"));
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.errLines().get(0).contains("cannot write JSON report"), run::toString);
        assertEquals(1, Files.size(file), "nothing written over the blocking file");
    }

    @Test
    void anUnwritableReportIsFoundBeforeTheModelsAreRead() throws IOException {
        Path file = write("a-file", new byte[] {1});
        Path broken = write("broken.tflite", new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        for (String flag : new String[] {"--json", "--html", "--junit", "--markdown"}) {
            CliRun run = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", broken, "--report-dir",
                    dir.resolve("reports"), flag, file.resolve("run.out"));
            assertOneLineError(run, 2, "cannot write", "a-file is not a folder");
        }
        assertOneLineError(CliRun.of("verify", "--onnx", template.onnx(), "--tflite", broken, "--json", ""), 2,
                "cannot write JSON report: no file name given");
        assertEquals(1, Files.size(file), "nothing written over the blocking file");
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFile() throws IOException {
        Path target = Files.createDirectories(dir.resolve("taken.json"));
        CliRun run = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", template.tflite(), "--outputs-only",
                "--json", target);
        assertEquals(2, run.exitCode(), run::toString);
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }

    @Test
    void unknownFlagIsAUsageError() {
        CliRun run = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", template.tflite(), "--frobnicate");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("Unknown option: '--frobnicate'"), run::toString);
    }

    @Test
    void badShapeSyntaxIsAUsageError() {
        CliRun run = verify(template.onnx(), template.tflite(), "--shape", "x=1xthree");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--shape x=1xthree"), run::toString);
    }

    @Test
    void bindingToAMissingTensorNamesIt() throws IOException {
        assertOneLineError(verify(template.onnx(), template.tflite(), "--bind", "x=nope"), 2,
                "bind x=nope", "the TFLite model has no input or output 'nope'");
    }

    /**
     * The command line refuses an --input whose name tells no kind before anything runs; a name that does, but whose
     * file cannot be used, is the library's bad input, named as the input (the library knows no flags).
     */
    @Test
    void anInputFileIsJudgedByItsName() throws IOException {
        CliRun unknown = verify(template.onnx(), template.tflite(), "--input", "x=frame.txt");
        assertEquals(2, unknown.exitCode(), unknown::toString);
        assertTrue(unknown.err().startsWith("parity: --input x=frame.txt: expected a .npy, .npz, .png or .jpg file,"
                + " uniform:LOW,HIGH / normal:MEAN,STD, or values (16000, 0,1,2, ones)"), unknown::toString);

        Path missing = dir.resolve("frame.JPEG");
        assertOneLineError(verify(template.onnx(), template.tflite(), "--input", "x=" + missing), 2,
                "parity: error: input x: " + missing + ": no such readable image file");
        Path notNpz = dir.resolve("frame.npz.bak");
        assertOneLineError(verify(template.onnx(), template.tflite(), "--input", "x=" + notNpz), 2,
                "parity: error: input x: " + notNpz + " is neither .npy, .npz, .png nor .jpg");
    }

    @Test
    void threadsBeyondTheMachineAreAUsageError() {
        CliRun run = verify(template.onnx(), template.tflite(), "--threads", "100000");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--threads must be between 1 and"), run::toString);
    }

    @Test
    void bindingAnInputToAnOutputIsBadInput() throws IOException {
        assertOneLineError(verify(template.onnx(), template.tflite(), "--bind", "x=StatefulPartitionedCall:0"), 2,
                "bind x=StatefulPartitionedCall:0: pairs an input with an output");
    }

    @Test
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("model.tflite");
        Files.deleteIfExists(fifo);
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        assertOneLineError(verify(template.onnx(), fifo), 2, "model.tflite", "is not a regular file");
        Files.delete(fifo);
    }

    @Test
    void aDeviceIsRefusedBeforeItIsRead() throws IOException {
        long start = System.nanoTime();
        assertOneLineError(verify(Path.of("/dev/zero"), template.tflite()), 2, "/dev/zero", "is not a regular file");
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused without reading");
    }

    @Test
    void samplesHaveAnUpperBound() {
        CliRun run = verify(template.onnx(), template.tflite(), "--samples", "2147483647");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--samples must be between 1 and 10000, got 2147483647"), run::toString);
    }

    @Test
    void verboseAddsTheStackTrace() {
        CliRun run = verify(dir.resolve("nope.onnx"), template.tflite(), "--verbose");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("\tat "), run::toString);
    }
}
