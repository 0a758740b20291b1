package org.tensorparity.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TensorPermuterTest {

    /** numpy.transpose by definition: out[i_0..i_k] = src[i at axis axes[k] ...], one element at a time. */
    private static float[] naivePermute(float[] src, Shape shape, Permutation p) {
        Shape out = p.apply(shape);
        long[] srcStrides = shape.strides();
        float[] dst = new float[src.length];
        for (int o = 0; o < dst.length; o++) {
            int[] outIndex = out.unravel(o);
            long s = 0;
            for (int k = 0; k < outIndex.length; k++) {
                s += outIndex[k] * srcStrides[p.axis(k)];
            }
            dst[o] = src[(int) s];
        }
        return dst;
    }

    private static float[] iota(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
        }
        return x;
    }

    @Test
    void nchwToNhwcOfASmallTensorByHand() {
        // [1,2,2,3]: channel 0 holds 0..5, channel 1 holds 6..11
        Tensor t = Tensor.of(Shape.of(1, 2, 2, 3), iota(12));
        Tensor out = TensorPermuter.permute(t, Permutation.NCHW_TO_NHWC);
        assertEquals(Shape.of(1, 2, 3, 2), out.shape());
        assertArrayEquals(new float[] {0, 6, 1, 7, 2, 8, 3, 9, 4, 10, 5, 11}, out.data());
    }

    @Test
    void transposeOfAMatrixByHand() {
        Tensor t = Tensor.of(Shape.of(2, 3), 1, 2, 3, 4, 5, 6);
        Tensor out = TensorPermuter.permute(t, Permutation.of(1, 0));
        assertEquals(Shape.of(3, 2), out.shape());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, out.data());
    }

    @Test
    void identityReturnsTheSameTensor() {
        Tensor t = Tensor.of(Shape.of(2, 3, 4), iota(24));
        assertSame(t, TensorPermuter.permute(t, Permutation.identity(3)));
    }

    @Test
    void keepsTheDtype() {
        Tensor t = Tensor.wrap(DType.INT64, Shape.of(2, 3), iota(6));
        assertEquals(DType.INT64, TensorPermuter.permute(t, Permutation.of(1, 0)).dtype());
    }

    @Test
    void matchesTheNaiveDefinitionOnRandomShapesAndPermutationsOfRank1To5() {
        Random rnd = new Random(20240611L);
        for (int trial = 0; trial < 400; trial++) {
            int rank = 1 + rnd.nextInt(5);
            int[] dims = new int[rank];
            long count = 1;
            for (int k = 0; k < rank; k++) {
                // mostly small, sometimes 1 (dropped axes), sometimes past a 32-wide tile edge
                int pick = rnd.nextInt(10);
                dims[k] = pick == 0 ? 1 : pick < 8 ? 1 + rnd.nextInt(7) : 30 + rnd.nextInt(40);
                count *= dims[k];
            }
            if (count > 400_000) {
                continue;
            }
            Permutation p = randomPermutation(rank, rnd);
            Shape shape = Shape.of(dims);
            float[] src = iota((int) count);
            float[] expected = naivePermute(src, shape, p);
            Tensor out = TensorPermuter.permute(Tensor.of(shape, src), p);
            assertEquals(p.apply(shape), out.shape());
            assertArrayEquals(expected, out.data(), () -> "shape " + shape + " permutation " + p);
        }
    }

    @Test
    void everyRank4PermutationOfAShapeThatStraddlesTiles() {
        Shape shape = Shape.of(2, 37, 33, 65);
        float[] src = iota((int) shape.elementCount());
        for (Permutation p : Permutation.all(4)) {
            Tensor out = TensorPermuter.permute(Tensor.of(shape, src), p);
            assertArrayEquals(naivePermute(src, shape, p), out.data(), p::toString);
        }
    }

    @Test
    void fewChannelsAndManyPositions() {
        // the 3-channel image case takes the short-row path
        Shape shape = Shape.of(1, 3, 41, 43);
        float[] src = iota((int) shape.elementCount());
        for (Permutation p : new Permutation[] {Permutation.NCHW_TO_NHWC, Permutation.NHWC_TO_NCHW, Permutation.of(0, 1, 3, 2)}) {
            assertArrayEquals(naivePermute(src, shape, p), TensorPermuter.permute(Tensor.of(shape, src), p).data());
        }
    }

    @Test
    void permutingBackRestoresTheOriginal() {
        Shape shape = Shape.of(1, 5, 6, 7);
        Tensor t = Tensor.of(shape, iota(210));
        Tensor there = TensorPermuter.permute(t, Permutation.NCHW_TO_NHWC);
        Tensor back = TensorPermuter.permute(there, Permutation.NCHW_TO_NHWC.inverse());
        assertEquals(shape, back.shape());
        assertArrayEquals(t.data(), back.data());
    }

    @Test
    void emptyTensorsPermuteToEmptyTensors() {
        Tensor t = Tensor.of(Shape.of(2, 0, 3));
        Tensor out = TensorPermuter.permute(t, Permutation.of(2, 0, 1));
        assertEquals(Shape.of(3, 2, 0), out.shape());
        assertEquals(0, out.size());
    }

    @Test
    void permuteIntoWritesOnlyThePrefixOfALongerDestination() {
        float[] dst = new float[10];
        java.util.Arrays.fill(dst, -1f);
        TensorPermuter.permuteInto(new float[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3), Permutation.of(1, 0), dst);
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6, -1, -1, -1, -1}, dst);
    }

    @Test
    void rejectsMisfits() {
        float[] six = new float[6];
        assertThrows(IllegalArgumentException.class,
                () -> TensorPermuter.permute(Tensor.of(Shape.of(2, 3), six), Permutation.NCHW_TO_NHWC));
        assertThrows(IllegalArgumentException.class,
                () -> TensorPermuter.permuteInto(six, Shape.of(2, 3), Permutation.of(1, 0), new float[5]));
        assertThrows(IllegalArgumentException.class,
                () -> TensorPermuter.permuteInto(new float[5], Shape.of(2, 3), Permutation.of(1, 0), six));
        assertThrows(IllegalArgumentException.class,
                () -> TensorPermuter.permuteInto(six, Shape.of(2, 3), Permutation.of(1, 0), six));
    }

    private static Permutation randomPermutation(int rank, Random rnd) {
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        for (int i = rank - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = axes[i];
            axes[i] = axes[j];
            axes[j] = tmp;
        }
        return Permutation.of(axes);
    }
}
