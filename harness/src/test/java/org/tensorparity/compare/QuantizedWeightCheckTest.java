package org.tensorparity.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * When the stored weights of a converted kernel count as mapped onto the reference's: by a quarter of the channels at
 * most off, or, in a kernel of fewer than four channels, by the weights of the channels within a step. The layouts and
 * mutants of real conversions are in {@code StoredWeightsTest} and {@code RealQuantizedMutantsTest}; here, the rule's
 * edges on weights drawn as a converter would store them: int8 codes at one step per channel.
 */
class QuantizedWeightCheckTest {
    private static final float STEP = 0.01f;

    /** {@code channels} channels of {@code perChannel} weights on the int8 grid, most codes small. */
    private static float[] weights(int channels, int perChannel, long seed) {
        Random random = new Random(seed);
        float[] w = new float[channels * perChannel];
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.round(random.nextGaussian() * 30) * STEP;
        }
        return w;
    }

    private static Optional<QuantizedWeightCheck> check(float[] reference, float[] converted, int channels) {
        float[] steps = new float[channels];
        Arrays.fill(steps, STEP);
        int[] shape = {channels, reference.length / channels};
        return QuantizedWeightCheck.of(new WeightDifference.Weights(reference, shape, null),
                new WeightDifference.Weights(converted, shape, null), steps, "int8");
    }

    @Test
    void oneOfTwoChannelsScaledIsFoundOff() {
        float[] reference = weights(2, 72, 1);
        float[] converted = reference.clone();
        for (int i = 72; i < 144; i++) {
            converted[i] *= 1.5f;
        }
        QuantizedWeightCheck found = check(reference, converted, 2).orElseThrow();
        assertEquals(1, found.channelsOff());
        assertEquals(List.of(1), found.firstOff());
        assertTrue(found.differs());
    }

    @Test
    void aSmallKernelReadInAnotherLayoutIsNotConfirmed() {
        // The same weights read transposed within each channel: every channel off, so nothing confirms the layout.
        float[] reference = weights(3, 9, 2);
        float[] converted = new float[reference.length];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    converted[c * 9 + i * 3 + j] = reference[c * 9 + j * 3 + i];
                }
            }
        }
        assertTrue(check(reference, converted, 3).isEmpty());
    }

    @Test
    void aSmallKernelWhoseChannelsWithinAStepHoldFewWeightsIsNotConfirmed() {
        // Two channels of 4 weights: the one within a step holds at most 4 nonzero weights, too few to prove the map.
        float[] reference = weights(2, 4, 3);
        float[] converted = reference.clone();
        for (int i = 4; i < 8; i++) {
            converted[i] = -converted[i] + 5 * STEP;
        }
        assertTrue(check(reference, converted, 2).isEmpty());
    }

    @Test
    void aQuarterOfTheChannelsOffStillConfirmsALargerKernel() {
        float[] reference = weights(8, 16, 4);
        float[] converted = reference.clone();
        for (int i = 0; i < 32; i++) {
            converted[i] += 3 * STEP;
        }
        assertEquals(2, check(reference, converted, 8).orElseThrow().channelsOff());
        for (int i = 32; i < 48; i++) {
            converted[i] += 3 * STEP;
        }
        assertTrue(check(reference, converted, 8).isEmpty(), "three of eight channels off");
    }
}
