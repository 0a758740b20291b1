package org.tensorparity.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TensorLayoutTest {

    @Test
    void distinctDimensionsFitExactlyOneLayoutEvenWhenItIsNoConverterDefault() {
        // onnx2tf's layout for a non-image 4-D input: [1,257,63,2] held as [1,63,2,257], and back as [1,2,63,257].
        List<TensorLayout> in = TensorLayout.fitting(Shape.of(1, 257, 63, 2), Shape.of(1, 63, 2, 257));
        assertEquals(List.of(TensorLayout.permuted(Permutation.of(0, 2, 3, 1))), in);
        List<TensorLayout> other = TensorLayout.fitting(Shape.of(1, 257, 63, 2), Shape.of(1, 2, 63, 257));
        assertEquals(List.of(TensorLayout.permuted(Permutation.of(0, 3, 2, 1))), other);
    }

    @Test
    void squareMapsFitSeveralLayoutsIdentityAndChannelsLastFirst() {
        List<TensorLayout> same = TensorLayout.fitting(Shape.of(1, 10, 19, 19), Shape.of(1, 10, 19, 19));
        assertEquals(List.of(TensorLayout.identity(4), TensorLayout.permuted(Permutation.of(0, 1, 3, 2))), same);
        List<TensorLayout> nhwc = TensorLayout.fitting(Shape.of(1, 3, 127, 127), Shape.of(1, 127, 127, 3));
        assertEquals(List.of(TensorLayout.permuted(Permutation.NCHW_TO_NHWC),
                TensorLayout.permuted(Permutation.of(0, 3, 2, 1))), nhwc);
    }

    @Test
    void unitAxesCarryNoValuesSoMovingThemIsOneLayout() {
        // A converter's EXPAND_DIMS: ONNX [1,1,8,63,33] held as [1,63,33,8,1].
        List<TensorLayout> five = TensorLayout.fitting(Shape.of(1, 1, 8, 63, 33), Shape.of(1, 63, 33, 8, 1));
        assertEquals(List.of(TensorLayout.permuted(Permutation.of(0, 3, 4, 2, 1))), five);
        // An LSTM state: ONNX [1,1,128] held as TFLite [1,128].
        List<TensorLayout> squeezed = TensorLayout.fitting(Shape.of(1, 1, 128), Shape.of(1, 128));
        assertEquals(1, squeezed.size());
        assertEquals(TensorLayout.Kind.UNIT_AXES, squeezed.get(0).kind());
        assertTrue(squeezed.get(0).permutation().isIdentity());
    }

    @Test
    void otherDimensionsOfTheSameSizeAreComparedInFlatOrder() {
        List<TensorLayout> flat = TensorLayout.fitting(Shape.of(1, 7, 7, 64), Shape.of(1, 3136));
        assertEquals(List.of(new TensorLayout(Permutation.identity(4), TensorLayout.Kind.FLAT)), flat);
        assertEquals(List.of(), TensorLayout.fitting(Shape.of(1, 8, 8), Shape.of(1, 10, 10)));
    }

    @Test
    void aViewReadsTheCandidateInThePermutedReferenceShapeWithoutCopying() {
        Tensor candidate = Tensor.of(Shape.of(1, 4), 1, 2, 3, 4);
        TensorLayout layout = TensorLayout.fitting(Shape.of(1, 1, 4), Shape.of(1, 4)).get(0);
        Tensor view = layout.view(candidate, Shape.of(1, 1, 4));
        assertEquals(Shape.of(1, 1, 4), view.shape());
        assertTrue(view.data() == candidate.data());
    }

    @Test
    void layoutsAreEqualExactlyWhenPermutationAndKindAre() {
        TensorLayout nhwc = TensorLayout.permuted(Permutation.of(0, 2, 3, 1));
        assertEquals(nhwc, TensorLayout.permuted(Permutation.NCHW_TO_NHWC));
        assertEquals(nhwc.hashCode(), TensorLayout.permuted(Permutation.NCHW_TO_NHWC).hashCode());
        assertNotEquals(nhwc, TensorLayout.permuted(Permutation.of(0, 3, 2, 1)));
        assertNotEquals(nhwc, new TensorLayout(Permutation.NCHW_TO_NHWC, TensorLayout.Kind.UNIT_AXES));
        assertNotEquals(nhwc, Permutation.NCHW_TO_NHWC);
    }
}
