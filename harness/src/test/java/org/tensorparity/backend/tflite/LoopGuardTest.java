package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.TfLiteDelegate;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.TfliteLoops;

/**
 * WHILE loops bounded at {@code --max-iterations}: a runaway loop stops the run with an error naming it, a loop nested
 * in a body is counted per run of it, and a loop within the bound runs as it would unbounded.
 */
class LoopGuardTest {
    @TempDir
    Path dir;

    /** The real GRU's WHILE runs 29 iterations, one per MFCC frame. */
    @Test
    void theGruWhileStopsBelowItsIterations() throws Exception {
        ModelFile gru = ModelFile.read(RealPairs.folder().resolve("precise-lite-gru-tf2onnx/hey_mycroft.tflite"),
                ModelFormat.TFLITE);
        float[] frames = new float[29 * 13];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = (float) Math.sin(i);
        }
        Map<String, Tensor> feeds = Map.of("net_input", Tensor.of(Shape.of(1, 29, 13), frames));
        for (TfLiteDelegate delegate : TfLiteDelegate.values()) {
            RunnerSettings settings = new RunnerSettings(delegate, 1, false);
            float[] unbounded = run(gru, settings.withMaxIterations(RunnerSettings.MAX_MAX_ITERATIONS), feeds)
                    .outputs().get("Identity").data();
            for (RunnerSettings s : List.of(settings, settings.withMaxIterations(29), settings.instrumented()
                    .withMaxIterations(29))) {
                assertArrayEquals(unbounded, run(gru, s, feeds).outputs().get("Identity").data(), s::toString);
            }
            for (RunnerSettings s : List.of(settings.withMaxIterations(28), settings.instrumented().withMaxIterations(28))) {
                assertEquals("TFLite model " + gru.ref().path() + ": WHILE 'sequential/net/while' runs more than 28"
                        + " iterations (--max-iterations 28)", assertThrows(ModelFailureException.class,
                                () -> run(gru, s, feeds)).getMessage());
            }
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aWhileWhoseConditionNeverFailsStops() throws Exception {
        ModelFile forever = write(TfliteLoops.loop(Integer.MAX_VALUE));
        for (TfLiteDelegate delegate : TfLiteDelegate.values()) {
            for (RunnerSettings s : List.of(new RunnerSettings(delegate, 1, false), new RunnerSettings(delegate, 1, true)
                    .withMaxIterations(7))) {
                assertEquals("TFLite model " + forever.ref().path() + ": WHILE 'count' runs more than " + s.maxIterations()
                        + " iterations (--max-iterations " + s.maxIterations() + ")", assertThrows(
                                ModelFailureException.class, () -> run(forever, s, feeds())).getMessage());
            }
        }
        // Seven iterations double x seven times, with a bound of seven or more.
        ModelFile seven = write(TfliteLoops.loop(7));
        for (int max : new int[] {7, 8}) {
            assertArrayEquals(new float[] {128, -128},
                    run(seven, RunnerSettings.DEFAULT.withMaxIterations(max), feeds()).outputs().get("y").data());
        }
        assertThrows(ModelFailureException.class, () -> run(seven, RunnerSettings.DEFAULT.withMaxIterations(6), feeds()));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aNestedWhileIsCountedPerRunOfIt() throws Exception {
        // Three outer iterations, each running the inner loop five times: 15 inner iterations in all, 5 per run.
        ModelFile nested = write(TfliteLoops.nested(5));
        assertArrayEquals(new float[] {32768, -32768},
                run(nested, RunnerSettings.DEFAULT.withMaxIterations(5), feeds()).outputs().get("y").data());
        assertEquals("TFLite model " + nested.ref().path() + ": WHILE 'inner_count' in subgraph 2 runs more than 4"
                + " iterations (--max-iterations 4)", assertThrows(ModelFailureException.class,
                        () -> run(nested, RunnerSettings.DEFAULT.withMaxIterations(4), feeds())).getMessage());
        ModelFile runaway = write(TfliteLoops.nested(Integer.MAX_VALUE));
        assertEquals("TFLite model " + runaway.ref().path() + ": WHILE 'inner_count' in subgraph 2 runs more than 100"
                + " iterations (--max-iterations 100)", assertThrows(ModelFailureException.class,
                        () -> run(runaway, RunnerSettings.DEFAULT.withMaxIterations(100), feeds())).getMessage());
    }

    private static Map<String, Tensor> feeds() {
        return Map.of("x", Tensor.of(Shape.of(1, 2), 1, -1));
    }

    private static RunResult run(ModelFile file, RunnerSettings settings, Map<String, Tensor> feeds) throws Exception {
        try (TfLiteRunner runner = TfLiteRunner.open(file, settings)) {
            return runner.run(feeds);
        }
    }

    private ModelFile write(byte[] model) throws Exception {
        Path file = Files.createTempFile(dir, "while", ".tflite");
        Files.write(file, model);
        return ModelFile.read(file, ModelFormat.TFLITE);
    }
}
