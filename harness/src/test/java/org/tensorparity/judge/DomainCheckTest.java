package org.tensorparity.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tensorparity.compare.Comparison;
import org.tensorparity.compare.TensorComparator;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.result.AppliedRule;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.SampleSummary;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

class DomainCheckTest {
    private static OutputResult output(String name, float... reference) {
        Tensor r = Tensor.of(Shape.of(reference.length), reference);
        Comparison c = TensorComparator.compare(r, r, ToleranceRule.defaultRule());
        return new OutputResult(name, name, null, r.shape(), r.shape(), null, c.verdict(), AppliedRule.of(c.ruleDescription(), c),
                c.reason(), c.metrics(), new SampleSummary(1, 0, 0, 0, 0), List.of(), null);
    }

    @Test
    void aReferenceThatOverflowsPointsAtTheInputs() {
        Optional<String> w = DomainCheck.warning(List.of(output("ok", 1, 2), output("149", 1, 2.7e16f)), List.of());
        assertTrue(w.isPresent());
        assertTrue(w.get().startsWith("ONNX tensor '149' reaches 2.7e16"), w.get());
        assertTrue(w.get().contains("--dist or --input"), w.get());
        Optional<String> inf = DomainCheck.warning(List.of(output("y", 1, Float.POSITIVE_INFINITY)), List.of());
        assertTrue(inf.get().contains("holds 1 infinite values"), inf.get());
    }

    @Test
    void largeButFiniteActivationsAreNoOverflow() {
        // Audio front ends reach 1e4 in their domain.
        assertEquals(Optional.empty(), DomainCheck.warning(List.of(output("spectrum", 3e4f, -2e4f)), List.of()));
    }
}
