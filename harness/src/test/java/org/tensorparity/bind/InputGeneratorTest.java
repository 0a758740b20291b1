package org.tensorparity.bind;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

class InputGeneratorTest {
    private final Shape shape = Shape.of(1, 3, 16, 16);

    @Test
    void sameSeedSameValuesOtherSeedOtherValues() {
        Tensor a = new InputGenerator(7, InputDistribution.DEFAULT).generate("x", DType.FLOAT32, shape);
        Tensor b = new InputGenerator(7, InputDistribution.DEFAULT).generate("x", DType.FLOAT32, shape);
        Tensor c = new InputGenerator(8, InputDistribution.DEFAULT).generate("x", DType.FLOAT32, shape);
        assertArrayEquals(a.data(), b.data());
        assertFalse(Arrays.equals(a.data(), c.data()));
    }

    @Test
    void eachInputHasItsOwnStream() {
        InputGenerator g = new InputGenerator(7, InputDistribution.DEFAULT);
        assertFalse(Arrays.equals(g.generate("x", DType.FLOAT32, shape).data(), g.generate("k", DType.FLOAT32, shape).data()));
    }

    @Test
    void uniformValuesStayInRangeAndCoverIt() {
        Tensor t = new InputGenerator(1, new InputDistribution.Uniform(2, 3)).generate("x", DType.FLOAT32, shape);
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (float v : t.data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= 2 && min < 2.05, "min " + min);
        assertTrue(max < 3 && max > 2.95, "max " + max);
    }

    @Test
    void normalValuesHaveTheRequestedMoments() {
        Tensor t = new InputGenerator(1, new InputDistribution.Normal(5, 2)).generate("x", DType.FLOAT32, Shape.of(100_000));
        double sum = 0;
        double sq = 0;
        for (float v : t.data()) {
            sum += v;
            sq += v * v;
        }
        double mean = sum / t.size();
        double std = Math.sqrt(sq / t.size() - mean * mean);
        assertEquals(5, mean, 0.05);
        assertEquals(2, std, 0.05);
    }

    @Test
    void integerInputsGetWholeNumbers() {
        Tensor t = new InputGenerator(1, new InputDistribution.Uniform(0, 10)).generate("ids", DType.INT64, Shape.of(50));
        for (float v : t.data()) {
            assertEquals(Math.rint(v), v);
        }
    }

    @Test
    void distributionTextRoundTripsAndRejectsNonsense() {
        assertEquals(new InputDistribution.Normal(0, 1), InputDistribution.parse("normal:0,1"));
        assertEquals(new InputDistribution.Uniform(-2, 2), InputDistribution.parse(new InputDistribution.Uniform(-2, 2).describe()));
        assertThrows(IllegalArgumentException.class, () -> InputDistribution.parse("uniform:1"));
        assertThrows(IllegalArgumentException.class, () -> InputDistribution.parse("uniform:2,1"));
        assertThrows(IllegalArgumentException.class, () -> InputDistribution.parse("gamma:1,2"));
    }
}
