package org.tensorparity.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * How two layers' weights differ, on seeded random weights of a 3x3 convolution (8 output channels, 4 inputs) and a
 * square 6x6 matrix (no corpus pair has a square fully connected layer to transpose), each changed one way, and the
 * convolution quantized to int8 per channel; the
 * reference side carries float rounding of a BatchNorm fold so that "agrees" is never "equals".
 */
class WeightDifferenceTest {
    private static final int[] CONV = {8, 4, 3, 3};
    private static final Random RANDOM = new Random(33);

    @Test
    void eachChangeIsToldApart() {
        float[] w = random(8 * 4 * 9);
        float[] b = random(8);
        WeightDifference.Weights ref = new WeightDifference.Weights(w, CONV, b);

        assertEquals(DiagnosisKind.OFFSET, kind(ref, new WeightDifference.Weights(noisy(w), CONV, new float[8])));
        assertEquals(DiagnosisKind.SCALE, kind(ref, new WeightDifference.Weights(scaled(w, 3, 1.5f), CONV, b)));
        assertEquals(DiagnosisKind.PERMUTATION, kind(ref, new WeightDifference.Weights(swapped(w, 2, 5), CONV,
                swapped(b, 2, 5, 1))));
        assertEquals(DiagnosisKind.KERNEL_FLIP, kind(ref, new WeightDifference.Weights(
                WeightDifference.flipped(w, CONV), CONV, b)));
        assertEquals(DiagnosisKind.PRECISION, kind(ref, new WeightDifference.Weights(bfloat16(w), CONV, b)));
        float[] subnormal = w.clone();
        subnormal[7] = -8.5502e-41f;
        assertEquals(DiagnosisKind.PRECISION, kind(new WeightDifference.Weights(subnormal, CONV, b),
                new WeightDifference.Weights(bfloat16(subnormal), CONV, b)), "a subnormal weight truncated to zero");
        assertEquals("output channels 2 and 5 swapped (their weights; the bias stays)", WeightDifference.of(ref,
                new WeightDifference.Weights(swapped(w, 2, 5), CONV, b)).detail());
        assertEquals(DiagnosisKind.WEIGHTS_OTHER, kind(ref, new WeightDifference.Weights(random(w.length), CONV, b)));

        float[] m = random(36);
        float[] t = new float[36];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                t[j * 6 + i] = m[i * 6 + j];
            }
        }
        assertEquals(DiagnosisKind.TRANSPOSE, kind(new WeightDifference.Weights(m, new int[] {6, 6}, null),
                new WeightDifference.Weights(t, new int[] {6, 6}, null)));
    }

    @Test
    void theDetailNamesChannelsAndFactors() {
        float[] w = random(8 * 4 * 9);
        WeightDifference.Weights ref = new WeightDifference.Weights(w, CONV, null);
        assertEquals("output channel 3 x1.5 (of 8)",
                WeightDifference.of(ref, new WeightDifference.Weights(scaled(w, 3, 1.5f), CONV, null)).detail());
        assertEquals("output channels 2 and 5 swapped",
                WeightDifference.of(ref, new WeightDifference.Weights(swapped(w, 2, 5), CONV, null)).detail());
    }

    @Test
    void int8CodesAtAnotherScaleAreQuantization() {
        float[] w = random(8 * 4 * 9);
        float[] scales = new float[8];
        float[] real = new float[w.length];
        int n = w.length / 8;
        for (int c = 0; c < 8; c++) {
            float max = 0;
            for (int i = c * n; i < (c + 1) * n; i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            scales[c] = max / 127;
            for (int i = c * n; i < (c + 1) * n; i++) {
                // Channel 6's codes are read at 1.5 times the scale they were made with.
                real[i] = Math.round(w[i] / scales[c]) * scales[c] * (c == 6 ? 1.5f : 1f);
            }
        }
        scales[6] *= 1.5f;
        WeightDifference.Weights ref = new WeightDifference.Weights(w, CONV, null);
        assertEquals("the int8 weight scale of output channel 6 x1.5 what its codes need (of 8)",
                WeightGrids.ofQuantized(ref, real, scales, "int8").orElseThrow().detail());
        scales[6] /= 1.5f;
        for (int i = 6 * n; i < 7 * n; i++) {
            real[i] /= 1.5f;
        }
        assertEquals(java.util.Optional.empty(), WeightGrids.ofQuantized(ref, real, scales, "int8"),
                "codes at the scales they were made with: the quantization is right");
    }

    private static DiagnosisKind kind(WeightDifference.Weights ref, WeightDifference.Weights converted) {
        return WeightDifference.of(ref, converted).kind();
    }

    private static float[] random(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) RANDOM.nextGaussian();
        }
        return v;
    }

    /** The values moved by float32 rounding of a multiply and a divide, as a fold leaves them. */
    private static float[] noisy(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (v[i] * 0.7310586f) / 0.7310586f;
        }
        return out;
    }

    private static float[] scaled(float[] v, int channel, float factor) {
        float[] out = v.clone();
        int n = v.length / CONV[0];
        for (int i = channel * n; i < (channel + 1) * n; i++) {
            out[i] *= factor;
        }
        return out;
    }

    private static float[] swapped(float[] v, int a, int b) {
        return swapped(v, a, b, v.length / CONV[0]);
    }

    private static float[] swapped(float[] v, int a, int b, int n) {
        float[] out = v.clone();
        System.arraycopy(v, a * n, out, b * n, n);
        System.arraycopy(v, b * n, out, a * n, n);
        return out;
    }

    private static float[] bfloat16(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.intBitsToFloat(Float.floatToRawIntBits(v[i]) & 0xffff0000);
        }
        return out;
    }
}
