package org.tensorparity.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorPermuter;

/**
 * The error histogram and the per-channel maxima the comparator gathers in its pass, checked against a
 * brute-force oracle element by element, on both of the scanner's paths (blocks and exact tail, finite and
 * non-finite data) and across layouts.
 */
class ErrorProfileTest {
    private static final ToleranceRule DEFAULT = ToleranceRule.defaultRule();

    @Test
    void binsArePowersOfTwoClosedAbove() {
        // |d| = 1 is the top of (1/2, 1]; 1.5 and 2 are in (1, 2]; 3 in (2, 4]; 0 is counted apart.
        ErrorHistogram h = metrics(Shape.of(5), new float[] {0, 0, 0, 0, 0}, new float[] {1, -1.5f, 2, 3, 0})
                .histogram();
        assertEquals(1, h.zeros());
        assertEquals(0, h.firstExponent());
        assertEquals(List.of(1L, 2L, 1L), h.counts());
        assertEquals(5, h.total());
    }

    @Test
    void identicalTensorsHaveOnlyZeros() {
        float[] x = random(new Random(1), 1000, 1f);
        ErrorHistogram h = metrics(Shape.of(1000), x, x.clone()).histogram();
        assertEquals(1000, h.zeros());
        assertTrue(h.counts().isEmpty());
    }

    @Test
    void histogramAndChannelsMatchTheOracleOnBlocksAndTail() {
        Random rnd = new Random(3);
        // 3 channels of 37x41: neither the planes nor the tensor are a multiple of the scanner's block.
        Shape shape = Shape.of(1, 3, 37, 41);
        int n = (int) shape.elementCount();
        float[] ref = random(rnd, n, 10f);
        float[] cand = new float[n];
        for (int i = 0; i < n; i++) {
            cand[i] = ref[i] + (float) (rnd.nextGaussian() * Math.pow(10, -rnd.nextInt(9)));
        }
        cand[5] = ref[5]; // an exact match
        ref[n - 1] = 1e-40f; // in the tail: a subnormal difference, counted in the lowest bin
        cand[n - 1] = 0;
        assertProfileIsExact(shape, ref, cand);
    }

    @Test
    void nonFiniteValuesTakeTheExactPathAndMarkTheirChannel() {
        Random rnd = new Random(4);
        Shape shape = Shape.of(2, 4, 16, 16); // whole blocks only: the blocked pass runs, then is discarded
        int n = (int) shape.elementCount();
        float[] ref = random(rnd, n, 1f);
        float[] cand = ref.clone();
        for (int i = 0; i < n; i += 7) {
            cand[i] += 1e-3f;
        }
        int channel2 = 2 * 256 + 10; // batch 0, channel 2
        cand[channel2] = Float.NaN;
        int bothNan = 5 * 256 + 3; // batch 1, channel 1: NaN on both sides agrees
        ref[bothNan] = Float.NaN;
        cand[bothNan] = Float.NaN;
        int overflow = 7 * 256 + 1; // batch 1, channel 3: two finite values whose difference is beyond float32
        ref[overflow] = 3e38f;
        cand[overflow] = -3e38f;
        ErrorMetrics m = assertProfileIsExact(shape, ref, cand);
        List<Float> channels = m.channels().maxAbs();
        assertEquals(Float.POSITIVE_INFINITY, channels.get(2));
        assertEquals(Float.POSITIVE_INFINITY, channels.get(3));
        assertTrue(Float.isFinite(channels.get(1)), "matching NaNs are agreement");
        assertEquals(128, m.histogram().firstExponent() + m.histogram().counts().size() - 1,
                "the overflowing difference is in the top bin");
    }

    @Test
    void oneBrokenChannelStandsOut() {
        Random rnd = new Random(5);
        Shape shape = Shape.of(1, 64, 8, 8);
        int n = (int) shape.elementCount();
        float[] ref = random(rnd, n, 1f);
        float[] cand = new float[n];
        for (int i = 0; i < n; i++) {
            cand[i] = ref[i] * (1 + 1e-7f);
        }
        for (int i = 41 * 64; i < 42 * 64; i++) {
            cand[i] = ref[i] * 1.01f;
        }
        ChannelErrors c = metrics(shape, ref, cand).channels();
        assertEquals(1, c.axis());
        assertEquals(64, c.channels());
        assertEquals(1, c.channelsPerBin());
        int worst = 0;
        for (int k = 1; k < 64; k++) {
            if (c.maxAbs().get(k) > c.maxAbs().get(worst)) {
                worst = k;
            }
        }
        assertEquals(41, worst);
    }

    @Test
    void wideTensorsShareBinsAndLoseNoChannel() {
        Random rnd = new Random(6);
        Shape shape = Shape.of(1, 1300, 3); // 1300 channels: 3 per bin, 434 bins, the last holding one
        int n = (int) shape.elementCount();
        float[] ref = random(rnd, n, 1f);
        float[] cand = ref.clone();
        cand[1299 * 3 + 2] += 0.5f; // the very last channel
        ChannelErrors c = metrics(shape, ref, cand).channels();
        assertEquals(1300, c.channels());
        assertEquals(3, c.channelsPerBin());
        assertEquals(434, c.maxAbs().size());
        assertEquals(Math.abs(ref[n - 1] - cand[n - 1]), c.maxAbs().get(433));
        assertEquals(0f, c.maxAbs().get(432));
        assertTrue(c.maxAbs().size() <= ChannelErrors.MAX_BINS);
    }

    @Test
    void rankOneTensorsHaveNoChannels() {
        assertNull(metrics(Shape.of(300), random(new Random(7), 300, 1f), new float[300]).channels());
    }

    @Test
    void theProfileIsInReferenceLayoutWhateverTheCandidatesLayout() {
        Random rnd = new Random(8);
        Shape shape = Shape.of(1, 5, 19, 23);
        int n = (int) shape.elementCount();
        float[] ref = random(rnd, n, 1f);
        float[] cand = random(rnd, n, 1f);
        Tensor nchw = Tensor.of(shape, cand);
        Tensor nhwc = TensorPermuter.permute(nchw, Permutation.NCHW_TO_NHWC);
        ErrorMetrics direct = TensorComparator.compare(Tensor.of(shape, ref), nchw, DEFAULT).metrics();
        ErrorMetrics permuted = TensorComparator.compare(Tensor.of(shape, ref), nhwc, Permutation.NCHW_TO_NHWC, DEFAULT)
                .metrics();
        assertEquals(direct.histogram(), permuted.histogram());
        assertEquals(direct.channels(), permuted.channels());
    }

    /** Compares and checks every bin and every channel against {@link #oracle}. */
    private static ErrorMetrics assertProfileIsExact(Shape shape, float[] ref, float[] cand) {
        ErrorMetrics m = metrics(shape, ref, cand);
        long[] expected = new long[257]; // by exponent + 127; [0] = zeros
        int channels = shape.dim(1);
        int perBin = (channels + ChannelErrors.MAX_BINS - 1) / ChannelErrors.MAX_BINS;
        float[] channelMax = new float[(channels + perBin - 1) / perBin];
        long plane = shape.elementCount() / shape.dim(0) / channels;
        for (int i = 0; i < ref.length; i++) {
            int bin = (int) ((i / plane) % channels) / perBin;
            float a = ref[i];
            float b = cand[i];
            if (Float.isFinite(a) && Float.isFinite(b)) {
                float f = Math.abs(a - b);
                if (!Float.isFinite(f)) {
                    expected[255]++;
                    channelMax[bin] = Float.POSITIVE_INFINITY;
                } else {
                    expected[oracle(f)]++;
                    channelMax[bin] = Math.max(channelMax[bin], f);
                }
            } else if (!(Float.isNaN(a) && Float.isNaN(b)) && a != b) {
                channelMax[bin] = Float.POSITIVE_INFINITY;
            }
        }
        ErrorHistogram h = m.histogram();
        assertEquals(expected[0], h.zeros());
        for (int slot = 1; slot < 257; slot++) {
            int k = slot - 127 - h.firstExponent();
            long actual = k >= 0 && k < h.counts().size() ? h.counts().get(k) : 0;
            assertEquals(expected[slot], actual, "bin 2^" + (slot - 127));
        }
        assertEquals(m.finiteCount(), h.total());
        List<Float> expectedChannels = new ArrayList<>();
        for (float v : channelMax) {
            expectedChannels.add(v);
        }
        assertEquals(expectedChannels, m.channels().maxAbs());
        return m;
    }

    /** 127 + e for the bin (2^(e-1), 2^e] holding |d| = f > 0, by exact arithmetic; 0 for f == 0. */
    private static int oracle(float f) {
        if (f == 0) {
            return 0;
        }
        if (f < Float.MIN_NORMAL) {
            return 1; // subnormals go with (2^-127, 2^-126]
        }
        int e = Math.getExponent(f);
        boolean powerOfTwo = f == Math.scalb(1f, e);
        return 127 + (powerOfTwo ? e : e + 1);
    }

    private static ErrorMetrics metrics(Shape shape, float[] ref, float[] cand) {
        return TensorComparator.compare(Tensor.of(shape, ref), Tensor.of(shape, cand), DEFAULT).metrics();
    }

    private static float[] random(Random rnd, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * scale);
        }
        return x;
    }
}
