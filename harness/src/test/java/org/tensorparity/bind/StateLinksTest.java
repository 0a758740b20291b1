package org.tensorparity.bind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorparity.BadInputException;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;

/** State pairs found in the signatures of the corpus's streaming models, as their ONNX files declare them. */
class StateLinksTest {
    private static TensorSpec f32(String name, int... dims) {
        return new TensorSpec(name, DType.FLOAT32, Shape.of(dims));
    }

    @Test
    void dtlnFeedsItsSecondOutputBackByShapeNeverTheMaskAsTheNextFrame() throws BadInputException {
        // model_2's denoised block has the shape of its input block: the first input is never a state.
        List<StateLink> links = StateLinks.find(List.of(f32("input_4", 1, 1, 512), f32("input_5", 1, 2, 128, 2)),
                Map.of(), List.of(f32("conv1d_3", -1, 1, 512), f32("tf_op_layer_stack_5", -1, 2, 128, 2)), Map.of());
        assertEquals(List.of(new StateLink("tf_op_layer_stack_5", "input_5", "shape")), links);
    }

    @Test
    void sileroFeedsStateNToStateByName() throws BadInputException {
        List<TensorSpec> inputs = List.of(f32("input", -1, -1), f32("state", 2, -1, 128),
                new TensorSpec("sr", DType.INT64, Shape.of()));
        List<StateLink> links = StateLinks.find(inputs, Map.of("input", Shape.of(1, 512), "state", Shape.of(2, 1, 128),
                "sr", Shape.of()), List.of(f32("output", -1, 1), f32("stateN", -1, -1, -1)), Map.of());
        assertEquals(List.of(new StateLink("stateN", "state", "name")), links);
    }

    @Test
    void aNameDecidesBetweenOutputsOfOneShapeAndTwoUnnamedOnesAreLeftToTheFlag() throws BadInputException {
        List<TensorSpec> inputs = List.of(f32("x", 1, 16), f32("h_in", 1, 64), f32("c_in", 1, 64));
        List<StateLink> named = StateLinks.find(inputs, Map.of(), List.of(f32("y", 1, 16), f32("h_out", 1, 64),
                f32("c_out", 1, 64)), Map.of());
        assertEquals(List.of(new StateLink("h_out", "h_in", "name"), new StateLink("c_out", "c_in", "name")), named);

        BadInputException e = assertThrows(BadInputException.class, () -> StateLinks.find(List.of(f32("x", 1, 16),
                f32("s", 1, 64)), Map.of(), List.of(f32("a", 1, 64), f32("b", 1, 64)), Map.of()));
        assertTrue(e.getMessage().contains("fitting more than one output: s"), e.getMessage());
        assertTrue(e.getMessage().contains("--feedback OUTPUT=INPUT"), e.getMessage());
    }

    @Test
    void givenPairsAreTakenAsTheyAreAndMustNameTensorsOfTheModel() throws BadInputException {
        List<TensorSpec> inputs = List.of(f32("x", 1, 16), f32("s", 1, 64));
        List<TensorSpec> outputs = List.of(f32("a", 1, 64), f32("b", 1, 64));
        assertEquals(List.of(new StateLink("b", "s", "flag")), StateLinks.find(inputs, Map.of(), outputs, Map.of("b", "s")));
        BadInputException e = assertThrows(BadInputException.class,
                () -> StateLinks.find(inputs, Map.of(), outputs, Map.of("b", "t")));
        assertEquals("--feedback b=t: the ONNX model has no input 't' (inputs: x, s)", e.getMessage());
    }
}
