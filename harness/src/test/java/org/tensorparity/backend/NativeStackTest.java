package org.tensorparity.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorparity.backend.ort.OnnxRuntimeRunner;
import org.tensorparity.backend.tflite.TfLiteRunner;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputGenerator;
import org.tensorparity.fixtures.catalog.FixtureCatalog;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.fixtures.catalog.FixtureWriter;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.FixturePairs;

/**
 * Regression: ONNX Runtime starting up and building the full-size template model's session needs more
 * stack than a Java thread has by default, and overflowing it kills the JVM without a trace. The runners
 * must work from any thread, here one with a deliberately small stack.
 */
class NativeStackTest {

    @Test
    void fullSizeModelsLoadAndRunFromAThreadWithASmallStack() throws Exception {
        FixturePair pair = FixtureWriter.write(FixtureCatalog.byName("template-127-onnxtf"),
                FixturePairs.scratch("full-size"), 1.0, 7);
        Throwable[] failure = new Throwable[1];
        Shape[] shape = new Shape[1];
        Thread small = new Thread(null, () -> {
            try (OnnxRuntimeRunner onnx = OnnxRuntimeRunner.open(ModelFile.read(pair.onnx(), ModelFormat.ONNX), RunnerSettings.DEFAULT);
                    TfLiteRunner tflite = TfLiteRunner.open(ModelFile.read(pair.tflite(), ModelFormat.TFLITE), RunnerSettings.DEFAULT)) {
                shape[0] = onnx.run(feeds(onnx.signature().inputs())).outputs().get("r1_kernel_raw").shape();
                tflite.run(feeds(tflite.signature().inputs()));
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, "small-stack", 256 * 1024);
        small.start();
        small.join();
        assertNull(failure[0]);
        assertEquals(Shape.of(1, 5120, 4, 4), shape[0]);
    }

    @Test
    void exceptionsPassThroughUnchanged() {
        IllegalStateException thrown = new IllegalStateException("boom");
        IllegalStateException caught = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> NativeStack.call("test", () -> {
                    throw thrown;
                }));
        assertEquals(thrown, caught);
        assertEquals(42, (int) NativeStack.call("test", () -> 42));
    }

    @Test
    void aCallRunsInPlaceOnAThreadWithTheLargeStackAndOnAThreadOfItsOwnElsewhere() throws Exception {
        Thread caller = Thread.currentThread();
        assertNotSame(caller, NativeStack.call("test", Thread::currentThread));
        Thread[] large = new Thread[1];
        Thread[] ranOn = new Thread[2];
        large[0] = NativeStack.thread(() -> {
            ranOn[0] = NativeStack.call("test", Thread::currentThread);
            ranOn[1] = NativeStack.call("test", () -> NativeStack.call("nested", Thread::currentThread));
        }, "large-stack");
        large[0].start();
        large[0].join();
        assertTrue(large[0].isDaemon());
        assertSame(large[0], ranOn[0]);
        assertSame(large[0], ranOn[1]);
        // A thread that call() started counts as large too: a call nested in it runs in place.
        Thread[] outerInner = NativeStack.call("outer", () -> new Thread[] {Thread.currentThread(),
                NativeStack.call("inner", Thread::currentThread)});
        assertSame(outerInner[0], outerInner[1]);
    }

    private static Map<String, Tensor> feeds(java.util.List<TensorSpec> inputs) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (TensorSpec s : inputs) {
            feeds.put(s.name(), new InputGenerator(0, InputDistribution.DEFAULT).generate(s.name(), s.dtype(), s.shape()));
        }
        return feeds;
    }
}
