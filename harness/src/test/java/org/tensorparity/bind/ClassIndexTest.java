package org.tensorparity.bind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

class ClassIndexTest {

    @Test
    void integerIdsAgainstScoresWithOneAxisMoreAreAnArgmax() {
        // tf2onnx + ArgMax: int64 [1] against TFLite's softmax [1,3].
        assertEquals(Optional.of(new ClassIndex(true, 1)),
                ClassIndex.between(Shape.of(1), DType.INT64, Shape.of(1, 3), DType.FLOAT32));
        assertEquals(Optional.of(new ClassIndex(false, 1)),
                ClassIndex.between(Shape.of(2, 5), DType.FLOAT32, Shape.of(2), DType.INT32));
        assertEquals(Optional.of(new ClassIndex(true, 1)),
                ClassIndex.between(Shape.of(1, 1), DType.INT64, Shape.of(1, 3), DType.FLOAT32), "keepdims");
    }

    @Test
    void floatsOnBothSidesOrUnrelatedShapesAreNoArgmax() {
        assertEquals(Optional.empty(), ClassIndex.between(Shape.of(1), DType.FLOAT32, Shape.of(1, 3), DType.FLOAT32));
        assertEquals(Optional.empty(), ClassIndex.between(Shape.of(4), DType.INT64, Shape.of(1, 3), DType.FLOAT32));
    }

    @Test
    void theArgmaxTakesTheFirstOfEqualMaxima() {
        Tensor scores = Tensor.of(Shape.of(2, 3), 0.1f, 0.7f, 0.2f, 0.4f, 0.1f, 0.4f);
        Tensor ids = new ClassIndex(true, 1).argmax(scores, Shape.of(2));
        assertArrayEquals(new float[] {1, 0}, ids.data());
        assertEquals(DType.INT64, ids.dtype());
    }
}
