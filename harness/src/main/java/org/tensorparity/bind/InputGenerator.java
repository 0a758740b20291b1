package org.tensorparity.bind;

import java.util.SplittableRandom;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Seeded input values. Each input gets its own stream, derived from the run's seed and the input's
 * name, so adding or reordering inputs never changes the values of the others.
 */
public final class InputGenerator {
    private final long seed;
    private final InputDistribution distribution;

    public InputGenerator(long seed, InputDistribution distribution) {
        this.seed = seed;
        this.distribution = distribution;
    }

    public Tensor generate(String inputName, DType dtype, Shape shape) {
        SplittableRandom random = random(inputName);
        float[] values = new float[Math.toIntExact(shape.elementCount())];
        if (dtype == DType.BOOL) {
            for (int i = 0; i < values.length; i++) {
                values[i] = random.nextBoolean() ? 1f : 0f;
            }
        } else {
            for (int i = 0; i < values.length; i++) {
                double v = distribution.sample(random);
                values[i] = dtype.isFloatingPoint() ? (float) v : (float) Math.rint(v);
            }
        }
        return Tensor.wrap(dtype, shape, values);
    }

    /** Integers drawn uniformly from [{@code low}, {@code high}], whatever the distribution. */
    public Tensor integers(String inputName, DType dtype, Shape shape, long low, long high) {
        SplittableRandom random = random(inputName);
        float[] values = new float[Math.toIntExact(shape.elementCount())];
        for (int i = 0; i < values.length; i++) {
            values[i] = low == high ? low : random.nextLong(low, high + 1);
        }
        return Tensor.wrap(dtype, shape, values);
    }

    private SplittableRandom random(String inputName) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + inputName.hashCode());
    }
}
