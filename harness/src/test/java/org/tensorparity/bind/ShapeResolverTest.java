package org.tensorparity.bind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorparity.BadInputException;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;

class ShapeResolverTest {
    private final List<TensorSpec> dynamic = List.of(
            new TensorSpec("x", DType.FLOAT32, Shape.of(Shape.DYNAMIC, 3, Shape.DYNAMIC, Shape.DYNAMIC)));

    @Test
    void openDimensionsComeFromTheTfliteCounterpartInItsLayout() throws Exception {
        List<TensorSpec> tflite = List.of(new TensorSpec("serving_default_x:0", DType.FLOAT32, Shape.of(1, 64, 48, 3)));
        ShapeResolver.InputShape s = ShapeResolver.resolve(dynamic, Map.of(), tflite).get("x");
        assertEquals(Shape.of(1, 3, 64, 48), s.shape());
        assertFalse(s.assumed());
        assertTrue(s.origin().contains("taken from TFLite input 'serving_default_x:0'"), s.origin());
    }

    @Test
    void dimensionsOpenOnBothSidesAreOneAndSaySo() throws Exception {
        // tf2onnx's symbolic batch against TFLite's shape signature [-1,42].
        List<TensorSpec> onnx = List.of(new TensorSpec("input", DType.FLOAT32, Shape.of(Shape.DYNAMIC, 42)));
        List<TensorSpec> tflite = List.of(new TensorSpec("input_1", DType.FLOAT32, Shape.of(Shape.DYNAMIC, 42)));
        ShapeResolver.InputShape s = ShapeResolver.resolve(onnx, Map.of(), tflite).get("input");
        assertEquals(Shape.of(1, 42), s.shape());
        assertTrue(s.assumed());
        assertTrue(s.origin().contains("set to 1"), s.origin());
        // Before, this batch of 1 warned on every batch-dynamic model; any user would choose it.
        assertFalse(s.guessed(), "an open batch set to 1 is no guess");
    }

    @Test
    void anOpenLengthSetToOneIsAGuess() throws Exception {
        List<TensorSpec> onnx = List.of(new TensorSpec("audio", DType.FLOAT32, Shape.of(1, Shape.DYNAMIC)),
                new TensorSpec("samples", DType.FLOAT32, Shape.of(Shape.DYNAMIC)));
        List<TensorSpec> tflite = List.of(new TensorSpec("audio", DType.FLOAT32, Shape.of(1, Shape.DYNAMIC)),
                new TensorSpec("samples", DType.FLOAT32, Shape.of(Shape.DYNAMIC)));
        Map<String, ShapeResolver.InputShape> s = ShapeResolver.resolve(onnx, Map.of(), tflite);
        assertEquals(List.of(1), s.get("audio").setToOne());
        assertTrue(s.get("audio").guessed(), "the length of a batch-1 input");
        assertEquals(List.of(0), s.get("samples").setToOne());
        assertTrue(s.get("samples").guessed(), "the only axis of a rank-1 input is no batch");
    }

    @Test
    void aGivenShapeIsUsed() throws Exception {
        assertEquals(Shape.of(1, 3, 127, 127),
                ShapeResolver.resolve(dynamic, Map.of("x", Shape.of(1, 3, 127, 127)), List.of()).get("x").shape());
    }

    @Test
    void aShapeThatContradictsTheStaticDimensionsIsRejected() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ShapeResolver.resolve(dynamic, Map.of("x", Shape.of(1, 4, 127, 127)), List.of()));
        assertEquals("shape x=1x4x127x127 does not fit ONNX input 'x' declared as [?,3,?,?]", e.getMessage());
    }

    @Test
    void aShapeForAnUnknownInputIsRejected() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ShapeResolver.resolve(dynamic, Map.of("y", Shape.of(1)), List.of()));
        assertEquals("shape y=...: the ONNX model has no input 'y' (inputs: x)", e.getMessage());
    }
}
