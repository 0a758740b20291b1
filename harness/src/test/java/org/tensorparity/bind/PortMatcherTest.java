package org.tensorparity.bind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorparity.BadInputException;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.TensorLayout;

class PortMatcherTest {
    private final PortMatcher inputs = PortMatcher.forInputs();

    @Test
    void bindsByNormalizedNameAndFindsTheNhwcLayout() throws Exception {
        List<Binding> b = inputs.match(
                List.of(new Port("x", Shape.of(1, 3, 127, 127))),
                List.of(new Port("serving_default_x:0", Shape.of(1, 127, 127, 3))), Map.of()).pairs();
        assertEquals(1, b.size());
        assertEquals("serving_default_x:0", b.get(0).tflite());
        assertEquals(BindRule.NORMALIZED_NAME, b.get(0).rule());
        assertEquals(Permutation.NCHW_TO_NHWC, b.get(0).layout().permutation());
        assertEquals(Shape.of(1, 127, 127, 3), b.get(0).tfliteShape());
    }

    @Test
    void prefersIdentityWhenBothLayoutsFit() throws Exception {
        List<Binding> b = inputs.match(List.of(new Port("a", Shape.of(1, 4, 4, 4))),
                List.of(new Port("a", Shape.of(1, 4, 4, 4))), Map.of()).pairs();
        assertEquals(BindRule.EXACT_NAME, b.get(0).rule());
        assertTrue(b.get(0).layout().isIdentity());
    }

    @Test
    void unrelatedNamesAreBoundByShapeNotByOrder() throws Exception {
        // The converter wrote the outputs in the other order: only shapes can pair them.
        List<Binding> b = PortMatcher.forOutputs().match(
                List.of(new Port("r1_kernel_raw", Shape.of(1, 5120, 4, 4)), new Port("cls1_kernel_raw", Shape.of(1, 2560, 4, 4))),
                List.of(new Port("transpose_24", Shape.of(1, 2560, 4, 4)), new Port("transpose_21", Shape.of(1, 5120, 4, 4))),
                Map.of()).pairs();
        assertEquals("transpose_21", b.get(0).tflite());
        assertEquals("transpose_24", b.get(1).tflite());
        assertEquals(BindRule.SHAPE, b.get(0).rule());
    }

    @Test
    void equalShapesFallBackToOrder() throws Exception {
        List<Binding> b = inputs.match(
                List.of(new Port("a", Shape.of(1, 8)), new Port("b", Shape.of(1, 8))),
                List.of(new Port("p", Shape.of(1, 8)), new Port("q", Shape.of(1, 8))), Map.of()).pairs();
        assertEquals("p", b.get(0).tflite());
        assertEquals("q", b.get(1).tflite());
        assertEquals(BindRule.ORDER, b.get(1).rule());
    }

    @Test
    void overrideWinsOverNameAndOrder() throws Exception {
        List<Binding> b = inputs.match(
                List.of(new Port("a", Shape.of(1, 8)), new Port("b", Shape.of(1, 8))),
                List.of(new Port("a", Shape.of(1, 8)), new Port("b", Shape.of(1, 8))), Map.of("a", "b")).pairs();
        assertEquals("b", b.get(0).tflite());
        assertEquals(BindRule.OVERRIDE, b.get(0).rule());
        assertEquals("a", b.get(1).tflite());
    }

    @Test
    void dynamicTfliteDimensionsAcceptTheOnnxShape() throws Exception {
        List<Binding> b = inputs.match(List.of(new Port("x", Shape.of(1, 3, 64, 64))),
                List.of(new Port("input", Shape.of(1, Shape.DYNAMIC, Shape.DYNAMIC, 3))), Map.of()).pairs();
        assertEquals(Shape.of(1, 64, 64, 3), b.get(0).tfliteShape());
    }

    @Test
    void aTensorMissingOnOneSideIsLeftOverNotPairedByPosition() throws Exception {
        PortBinding b = inputs.match(
                List.of(new Port("k", Shape.of(1, 2)), new Port("x", Shape.of(1, 3))),
                List.of(new Port("image", Shape.of(1, 3))), Map.of());
        assertEquals(1, b.pairs().size());
        assertEquals("x", b.pairs().get(0).onnx());
        assertEquals(List.of(new Port("k", Shape.of(1, 2))), b.onnxOnly());
        assertEquals(List.of(), b.tfliteOnly());
    }

    @Test
    void unitAxesMayDifferAtABoundaryButNotTheAxisOrder() throws Exception {
        PortBinding b = inputs.match(List.of(new Port("state", Shape.of(1, 1, 128))),
                List.of(new Port("state", Shape.of(1, 128))), Map.of());
        assertEquals(TensorLayout.Kind.UNIT_AXES, b.pairs().get(0).layout().kind());
        assertEquals(Shape.of(1, 128), b.pairs().get(0).tfliteShape());
        // [1,15,1,1] held as [1,1,1,15] is channels last, with unit axes moved.
        PortBinding hist = inputs.match(List.of(new Port("h", Shape.of(1, 15, 1, 1))),
                List.of(new Port("h", Shape.of(1, 15))), Map.of());
        assertEquals(Shape.of(1, 15), hist.pairs().get(0).tfliteShape());
    }

    @Test
    void incompatibleShapesAreBadInput() {
        BadInputException e = assertThrows(BadInputException.class, () -> inputs.match(
                List.of(new Port("x", Shape.of(1, 3, 127, 127))),
                List.of(new Port("x", Shape.of(1, 3, 64, 64))), Map.of()));
        assertTrue(e.getMessage().contains("incompatible shapes"), e.getMessage());
    }

    @Test
    void aSwappedHeightAndWidthIsNeverALegalBoundaryLayout() {
        // (0,3,2,1) would make these fit; binding must not absorb a layout bug at the boundary.
        assertThrows(BadInputException.class, () -> inputs.match(
                List.of(new Port("x", Shape.of(1, 3, 20, 10))),
                List.of(new Port("x", Shape.of(1, 10, 20, 3))), Map.of()));
    }
}
