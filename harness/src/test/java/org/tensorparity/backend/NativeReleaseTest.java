package org.tensorparity.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tensorparity.backend.ort.OnnxRuntimeRunner;
import org.tensorparity.backend.tflite.TfLiteRunner;
import org.tensorparity.fixtures.catalog.FixtureCatalog;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.fixtures.catalog.FixtureWriter;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.FixturePairs;

class NativeReleaseTest {

    @Test
    void bothRuntimesAreClosedOnAnotherThreadByTheTimeTheReleasesAreAwaited() throws Exception {
        FixturePair pair = FixtureWriter.write(FixtureCatalog.byName("template-127-onnxtf"),
                FixturePairs.scratch("release"), 0.25, 7);
        OnnxRuntimeRunner onnx = OnnxRuntimeRunner.open(ModelFile.read(pair.onnx(), ModelFormat.ONNX),
                RunnerSettings.DEFAULT);
        TfLiteRunner tflite = TfLiteRunner.open(ModelFile.read(pair.tflite(), ModelFormat.TFLITE),
                RunnerSettings.DEFAULT);
        Map<String, Tensor> onnxFeeds = zeros(onnx.signature().inputs().get(0));
        Map<String, Tensor> tfliteFeeds = zeros(tflite.signature().inputs().get(0));
        onnx.run(onnxFeeds);
        tflite.run(tfliteFeeds);
        AtomicReference<Thread> closedOn = new AtomicReference<>();

        NativeRelease.inBackground("parity-release-test", () -> {
            closedOn.set(Thread.currentThread());
            tflite.close();
            onnx.close();
        });
        NativeRelease.awaitAll();

        assertNotEquals(Thread.currentThread(), closedOn.get());
        assertEquals("parity-release-test", closedOn.get().getName());
        assertThrows(IllegalStateException.class, () -> tflite.run(tfliteFeeds));
        assertThrows(IllegalStateException.class, () -> onnx.run(onnxFeeds));
    }

    @Test
    void awaitingWaitsForAReleaseStillRunning() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        boolean[] done = new boolean[1];
        NativeRelease.inBackground("parity-release-slow", () -> {
            started.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done[0] = true;
        });
        started.await();
        assertFalse(done[0]);
        Thread releaser = new Thread(() -> {
            sleepQuietly(100);
            finish.countDown();
        });
        releaser.start();

        NativeRelease.awaitAll();

        assertTrue(done[0]);
        releaser.join();
    }

    @Test
    void aFailedReleaseIsOneLineOnStderrAndReachesNoCaller() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            NativeRelease.inBackground("parity-release-failing", () -> {
                throw new IllegalStateException("interpreter already deleted");
            });
            NativeRelease.awaitAll();
        } finally {
            System.setErr(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        assertEquals("tensor-parity: warning: freeing a runtime's memory failed:"
                + " java.lang.IllegalStateException: interpreter already deleted\n", printed);
    }

    private static Map<String, Tensor> zeros(TensorSpec spec) {
        return Map.of(spec.name(), Tensor.wrap(DType.FLOAT32, spec.shape(),
                new float[Math.toIntExact(spec.shape().elementCount())]));
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
