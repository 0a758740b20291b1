package org.tensorparity.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * A scale rule judged from a comparison's figures alone agrees with the comparison run under it: isolation screens
 * layers and several samples are judged again this way, without comparing the tensors twice.
 */
class ScaleRuleAdmitsTest {

    @Test
    void judgingTheFiguresAgreesWithComparingTheTensors() {
        SplittableRandom r = new SplittableRandom(7);
        ScaleRule[] rules = {ScaleRule.of(1e-3), ScaleRule.of(5e-3), ScaleRule.withSqnr(5e-3, 40),
                ScaleRule.withSqnr(1, 5), ScaleRule.of(1e-3).withMinimumScale(1)};
        int disagreements = 0;
        for (int trial = 0; trial < 400; trial++) {
            float[] ref = new float[256];
            float[] cand = new float[256];
            double scale = Math.pow(10, r.nextDouble(-4, 3));
            double noise = Math.pow(10, r.nextDouble(-7, 0));
            for (int i = 0; i < ref.length; i++) {
                ref[i] = (float) (scale * r.nextDouble(-1, 1));
                cand[i] = (float) (ref[i] + scale * noise * r.nextDouble(-1, 1));
            }
            if (trial % 50 == 0) {
                cand[trial % 256] = Float.NaN;
            }
            Tensor a = Tensor.of(Shape.of(1, 256), ref);
            Tensor b = Tensor.of(Shape.of(1, 256), cand);
            ErrorMetrics m = TensorComparator.compare(a, b, Permutation.identity(2), rules[0]).metrics();
            for (ScaleRule rule : rules) {
                boolean compared = TensorComparator.compare(a, b, Permutation.identity(2), rule).passed();
                if (compared != rule.admits(m)) {
                    disagreements++;
                }
            }
        }
        assertEquals(0, disagreements);
    }
}
