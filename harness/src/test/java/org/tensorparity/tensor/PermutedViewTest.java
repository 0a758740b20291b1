package org.tensorparity.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PermutedViewTest {

    private static float[] iota(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    /** Every permutation of shapes with size-1 axes, merged axes and rows shorter and longer than a range. */
    @Test
    void readsWhatPermuteWritesOverEveryPermutationAndRangeSplit() {
        Random random = new Random(39);
        Shape[] shapes = {Shape.of(1, 16, 13, 11), Shape.of(2, 3, 1, 5), Shape.of(3, 7, 64), Shape.of(1, 1, 1, 1),
                Shape.of(5, 2, 3, 2, 2), Shape.of(257)};
        for (Shape shape : shapes) {
            Tensor t = Tensor.of(shape, iota(Math.toIntExact(shape.elementCount())));
            for (Permutation p : Permutation.all(shape.rank())) {
                float[] expected = TensorPermuter.permute(t, p).data();
                PermutedView view = PermutedView.of(t, p);
                float[] read = new float[expected.length + 1];
                read[expected.length] = -1;
                int at = 0;
                while (at < expected.length) {
                    int length = Math.min(expected.length - at, 1 + random.nextInt(40));
                    view.read(at, read, at, length);
                    at += length;
                }
                assertArrayEquals(expected, Arrays.copyOf(read, expected.length), shape + " under " + p);
                assertEquals(-1f, read[expected.length], "nothing written past the range");
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], view.get(i), shape + " under " + p + " at " + i);
                }
            }
        }
    }

    @Test
    void refusesAPermutationOfAnotherRank() {
        Tensor t = Tensor.of(Shape.of(2, 3), iota(6));
        assertThrows(IllegalArgumentException.class, () -> PermutedView.of(t, Permutation.NCHW_TO_NHWC));
    }
}
