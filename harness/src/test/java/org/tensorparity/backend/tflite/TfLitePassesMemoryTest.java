package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.testing.RealPairs;

/**
 * What a TFLite run in passes holds, against the whole instrumented run, measured as each child JVM's peak resident
 * memory ({@link PeakMemoryProbe}): the whole run prepares every activation at once, the run in passes one pass.
 */
class TfLitePassesMemoryTest {
    /**
     * How far below the whole instrumented open a pass-mode open peaks, at least: half of what was measured, YOLOX-nano
     * float16 under XNNPACK on the 2-core dev machine peaking at 93 MB after a pass-mode open against 163 MB after the
     * whole one (160 MB when the pass-mode open still prepared the whole model with every tensor preserved).
     */
    private static final long OPEN_SAVING_KB = 35 * 1024;

    @Test
    void aRunInPassesPeaksWellBelowTheWholeInstrumentedRun(@TempDir Path dir) throws Exception {
        // The whole run holds every capture on the heap before handing it on; the run in passes one pass of them.
        long[][] probed = wholeThenInPasses(dir, "yolox-nano-onnxtf/yolox_nano_float16_quantize.tflite");
        long[] whole = probed[0];
        long[] passes = probed[1];
        assertTrue(passes[1] <= whole[1] - OPEN_SAVING_KB, "open: passes " + passes[1] + " kB, whole " + whole[1]
                + " kB");
        // Measured 167-189 MB in passes (9 of them) against 607-643 MB whole, on the 2-core dev machine: 40% at most.
        assertTrue(passes[2] * 5 <= whole[2] * 2, "run: passes " + passes[2] + " kB, whole " + whole[2] + " kB");
    }

    /**
     * How far below the whole instrumented run a run in passes of basic-pitch peaks, at least: half of what was
     * measured under XNNPACK on the 2-core dev machine, 242-243 MB in 10 passes against 285-286 MB whole (three runs
     * each). A plain run, no tensor preserved, peaks at 238-242 MB: the passes hold about what running the model does.
     */
    private static final long DYNAMIC_RUN_SAVING_KB = 21 * 1024;

    /** A model with dynamic inputs (basic-pitch's batch) is planned at its feeds' shapes and run in passes too. */
    @Test
    void aModelWithDynamicInputsRunsInPassesBelowTheWholeRun(@TempDir Path dir) throws Exception {
        long[][] probed = wholeThenInPasses(dir, "basic-pitch-tf2onnx/nmp.tflite");
        long[] whole = probed[0];
        long[] passes = probed[1];
        assertTrue(passes[2] <= whole[2] - DYNAMIC_RUN_SAVING_KB, "run: passes " + passes[2] + " kB, whole "
                + whole[2] + " kB");
    }

    /**
     * {@link #probe} of the corpus model at {@code model} run whole, then in passes of an eighth of what the whole run
     * captured, checked to capture the same bytes.
     */
    private static long[][] wholeThenInPasses(Path dir, String model) throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "peak memory is read from /proc");
        String file = RealPairs.folder().resolve(model).toString();
        long[] whole = probe(dir, "-Xmx512m", file, 0);
        long[] passes = probe(dir, "-Xmx64m", file, whole[0] / 8);
        assertEquals(whole[0], passes[0], "the same values captured");
        return new long[][] {whole, passes};
    }

    /** Captured bytes, peak kB after the open and after the run, of one child JVM. */
    private static long[] probe(Path dir, String heap, String model, long passBytes) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path out = dir.resolve("probe-" + passBytes + ".out");
        Path err = dir.resolve("probe-" + passBytes + ".err");
        Process process = new ProcessBuilder(List.of(java.toString(), heap, "-cp",
                System.getProperty("java.class.path"), PeakMemoryProbe.class.getName(), model, "XNNPACK",
                Long.toString(passBytes))).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the probe JVM finishes");
        assertEquals(0, process.exitValue(), () -> "the probe JVM: " + read(err));
        String[] words = read(out).strip().split(" ");
        return new long[] {Long.parseLong(words[1]), Long.parseLong(words[3]), Long.parseLong(words[5])};
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
