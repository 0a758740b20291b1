package org.tensorparity.align;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorPermuter;
import org.tensorparity.testing.InPlaceTensors;

class TensorFingerprintTest {
    @Test
    void finiteValuesGiveTheirMeanSpreadAndRange() {
        TensorFingerprint f = TensorFingerprint.of(Tensor.of(Shape.of(4), 1f, 2f, 3f, -2f));
        assertEquals(new TensorFingerprint(1.0, Math.sqrt(3.5), -2.0, 3.0), f);
    }

    @Test
    void nanAndInfinitiesAreLeftOutOfEveryStatistic() {
        Tensor withNonFinite = Tensor.of(Shape.of(7), Float.NaN, 1f, Float.POSITIVE_INFINITY, 2f, 3f,
                Float.NEGATIVE_INFINITY, -2f);
        assertEquals(TensorFingerprint.of(Tensor.of(Shape.of(4), 1f, 2f, 3f, -2f)), TensorFingerprint.of(withNonFinite));
        assertEquals(new TensorFingerprint(0, 0, 0, 0), TensorFingerprint.of(Tensor.of(Shape.of(2), Float.NaN, Float.NaN)));
        assertEquals(new TensorFingerprint(0, 0, 0, 0), TensorFingerprint.of(Tensor.of(Shape.of(0))));
    }

    @Test
    void valuesReadInPlaceGiveTheFingerprintOfTheirHeapCopy() {
        Random random = new Random(3);
        // More values than one part read in place, and not a whole number of parts.
        float[] values = new float[40_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextGaussian();
        }
        Tensor finite = Tensor.of(Shape.of(values.length), values);
        assertEquals(TensorFingerprint.of(finite), TensorFingerprint.of(InPlaceTensors.of(finite)));
        values[30_000] = Float.NaN;
        Tensor withNan = Tensor.of(Shape.of(values.length), values);
        assertEquals(TensorFingerprint.of(withNan), TensorFingerprint.of(InPlaceTensors.of(withNan)));
    }

    @Test
    void aLayoutPermutationLeavesItAlmostUnchanged() {
        Shape shape = Shape.of(1, 6, 9, 11);
        Random random = new Random(5);
        float[] values = new float[Math.toIntExact(shape.elementCount())];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * 3 + 1);
        }
        Tensor nchw = Tensor.of(shape, values);
        TensorFingerprint a = TensorFingerprint.of(nchw);
        TensorFingerprint b = TensorFingerprint.of(TensorPermuter.permute(nchw, Permutation.NCHW_TO_NHWC));
        assertEquals(a.min(), b.min());
        assertEquals(a.max(), b.max());
        assertEquals(a.mean(), b.mean(), 1e-12);
        assertEquals(a.std(), b.std(), 1e-12);
        assertEquals(0, a.distanceTo(b), 1e-12);
    }
}
