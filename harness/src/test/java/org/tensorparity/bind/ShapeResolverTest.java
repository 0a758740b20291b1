package org.tensorparity.bind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void aDynamicInputWithoutShapeNamesTheInputAndTheFlag() {
        BadInputException e = assertThrows(BadInputException.class, () -> ShapeResolver.resolve(dynamic, Map.of()));
        assertEquals("ONNX input 'x' has a dynamic shape [?,3,?,?]; give it with --shape x=Nx3xNxN", e.getMessage());
    }

    @Test
    void aGivenShapeIsUsed() throws Exception {
        assertEquals(Shape.of(1, 3, 127, 127),
                ShapeResolver.resolve(dynamic, Map.of("x", Shape.of(1, 3, 127, 127))).get("x"));
    }

    @Test
    void aShapeThatContradictsTheStaticDimensionsIsRejected() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ShapeResolver.resolve(dynamic, Map.of("x", Shape.of(1, 4, 127, 127))));
        assertEquals("--shape x=1x4x127x127 does not fit ONNX input 'x' declared as [?,3,?,?]", e.getMessage());
    }

    @Test
    void aShapeForAnUnknownInputIsRejected() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> ShapeResolver.resolve(dynamic, Map.of("y", Shape.of(1))));
        assertEquals("--shape y=...: the ONNX model has no input 'y' (inputs: x)", e.getMessage());
    }
}
