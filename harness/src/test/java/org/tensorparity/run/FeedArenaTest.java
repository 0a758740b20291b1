package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorPermuter;
import org.tensorparity.testing.InPlaceTensors;

class FeedArenaTest {

    private static Tensor random(Shape shape, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[Math.toIntExact(shape.elementCount())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return Tensor.wrap(DType.FLOAT32, shape, values);
    }

    @Test
    void feedsHoldTheHeapPathsValuesInDirectMemoryThatOnnxRuntimeTakesAsItIs() {
        FeedArena arena = new FeedArena();
        Tensor nhwc = random(Shape.of(1, 13, 17, 8), 1);
        for (Tensor source : new Tensor[] {nhwc, InPlaceTensors.of(nhwc)}) {
            Tensor permuted = arena.permuted(source, Permutation.NHWC_TO_NCHW);
            Tensor expected = TensorPermuter.permute(nhwc, Permutation.NHWC_TO_NCHW);
            assertEquals(expected.shape(), permuted.shape());
            assertArrayEquals(expected.data(), permuted.data());
            Tensor copy = arena.copyOf(source);
            assertEquals(nhwc.shape(), copy.shape());
            assertArrayEquals(nhwc.data(), copy.data());
            for (Tensor fed : new Tensor[] {permuted, copy}) {
                assertTrue(fed.inPlaceBuffer().orElseThrow().isDirect(), "a direct buffer, which ONNX Runtime reads"
                        + " without a copy of its own");
            }
        }
    }

    @Test
    void aBatchsFeedsAreReadableUntilTheResetAndNotAfter() {
        FeedArena arena = new FeedArena();
        Tensor small = random(Shape.of(2, 3, 4), 2);
        Tensor first = arena.copyOf(small);
        // Larger than the first block: the arena grows, and what it held before keeps its values.
        Tensor large = random(Shape.of(3, 1024, 1024), 3);
        Tensor second = arena.permuted(large, Permutation.of(2, 0, 1));
        assertArrayEquals(small.data(), first.data());
        assertArrayEquals(TensorPermuter.permute(large, Permutation.of(2, 0, 1)).data(), second.data());
        arena.reset();
        assertThrows(IllegalStateException.class, first::data);
        assertThrows(IllegalStateException.class, () -> second.get(0));
        Tensor next = arena.copyOf(large);
        assertArrayEquals(large.data(), next.data());
    }

    @Test
    void onlyFloat32ValuesAreHeld() {
        Tensor ints = Tensor.wrap(DType.INT64, Shape.of(3), new float[] {1, 2, 3});
        assertThrows(IllegalArgumentException.class, () -> new FeedArena().copyOf(ints));
    }
}
