package org.tensorparity.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorPermuter;

/**
 * The default and FP16 profiles against what they must tell apart: float32 rounding noise of a correct
 * conversion at any magnitude, versus a weight error in one channel: 1% in a tensor of 16 channels, 5%
 * in one of 192 channels deep in a network (1% there moves the layer by 4.9e-4 of its scale, below the
 * default's 1e-3: finer than that is float drift on the real corpus).
 */
class DefaultToleranceTest {
    private static final Shape NCHW = Shape.of(1, 16, 32, 32);

    /** Activations at {@code scale}, about half of them zero (after a ReLU). */
    private static float[] activations(Random rnd, double scale) {
        float[] x = new float[(int) NCHW.elementCount()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (Math.max(0, rnd.nextGaussian()) * scale);
        }
        return x;
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e-9, 1, 1e4})
    void passesFloat32NoiseAndFailsAOnePercentChannelErrorAtEveryScale(double scale) {
        Random rnd = new Random(17);
        float[] ref = activations(rnd, scale);
        // a correct conversion: a few float32 ulps on each value plus reordered-sum noise of 1e-6 of the scale
        float[] ok = new float[ref.length];
        for (int i = 0; i < ref.length; i++) {
            ok[i] = (float) (ref[i] * (1 + 4e-7 * rnd.nextGaussian()) + (ref[i] != 0 ? 1e-6 * scale * rnd.nextGaussian() : 0));
        }
        Tensor reference = Tensor.of(NCHW, ref);
        Tensor good = TensorPermuter.permute(Tensor.of(NCHW, ok), Permutation.NCHW_TO_NHWC);
        Comparison pass = TensorComparator.compare(reference, good, Permutation.NCHW_TO_NHWC, ToleranceRule.defaultRule());
        assertEquals(Verdict.PASS, pass.verdict(), pass.reason());
        assertTrue(pass.metrics().normalizedMaxError() < 2e-5, pass.reason());

        // channel 5 computed with weights 1% off
        float[] broken = ok.clone();
        int plane = 32 * 32;
        for (int i = 5 * plane; i < 6 * plane; i++) {
            broken[i] *= 1.01f;
        }
        Tensor bad = TensorPermuter.permute(Tensor.of(NCHW, broken), Permutation.NCHW_TO_NHWC);
        Comparison fail = TensorComparator.compare(reference, bad, Permutation.NCHW_TO_NHWC, ToleranceRule.defaultRule());
        assertEquals(Verdict.FAIL, fail.verdict());
        assertEquals(5, fail.metrics().worst().referenceIndex().get(1));
        assertEquals(5, fail.metrics().worst().candidateIndex().get(3));
        assertTrue(fail.metrics().normalizedMaxError() > 1e-3, fail.reason());
        // FP16 is too loose to see it: that is why it is a separate, opt-in profile
        assertEquals(Verdict.PASS, TensorComparator.compare(reference, bad, Permutation.NCHW_TO_NHWC,
                ToleranceProfile.FP16.rule()).verdict());
    }

    @ParameterizedTest
    @ValueSource(doubles = {1e-9, 1, 1e3})
    void aDeepNetConvertedCorrectlyPassesAtEveryLayerAndABrokenChannelFailsFromItsLayerOn(double inputScale) {
        Net net = new Net(new Random(99), 8, 192);
        float[] input = new float[net.width * Net.POSITIONS];
        Random rnd = new Random(5);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) (rnd.nextGaussian() * inputScale);
        }
        List<float[]> reference = net.run(input, inputScale, Net.Variant.REFERENCE, -1);
        List<float[]> converted = net.run(input, inputScale, Net.Variant.CONVERTED, -1);
        List<float[]> fp16 = net.run(input, inputScale, Net.Variant.FP16_WEIGHTS, -1);
        List<float[]> broken = net.run(input, inputScale, Net.Variant.CONVERTED, 3);

        double worst = 0;
        for (int layer = 0; layer < net.depth; layer++) {
            Tensor ref = Tensor.of(Shape.of(net.width, Net.POSITIONS), reference.get(layer));
            Comparison c = TensorComparator.compare(ref, Tensor.of(ref.shape(), converted.get(layer)), ToleranceRule.defaultRule());
            assertEquals(Verdict.PASS, c.verdict(), "layer " + layer + ": " + c.reason());
            worst = Math.max(worst, c.metrics().normalizedMaxError());

            Comparison half = TensorComparator.compare(ref, Tensor.of(ref.shape(), fp16.get(layer)), ToleranceProfile.FP16.rule());
            assertEquals(Verdict.PASS, half.verdict(), "fp16 layer " + layer + ": " + half.reason());

            Comparison bad = TensorComparator.compare(ref, Tensor.of(ref.shape(), broken.get(layer)), ToleranceRule.defaultRule());
            assertEquals(layer >= 3 ? Verdict.FAIL : Verdict.PASS, bad.verdict(), "broken layer " + layer + ": " + bad.reason());
        }
        // observed about 1e-6 at depth 8: a margin of more than 100x below the default tolerance
        assertTrue(worst < 1e-5, "float32 reordering noise reached " + worst);
        // float16 weights move this net by 8e-4 at depth 8, far above float32 noise: a float16 model is
        // judged by its own profile, which the default alone would not tell apart from a subtle bug
        Tensor last = Tensor.of(Shape.of(net.width, Net.POSITIONS), reference.get(net.depth - 1));
        double half = TensorComparator.compare(last, Tensor.of(last.shape(), fp16.get(net.depth - 1)),
                ToleranceRule.defaultRule()).metrics().normalizedMaxError();
        assertTrue(half > 100 * worst, "float16 weights moved the last layer by " + half);
    }

    /**
     * A stack of 1x1 convolutions with batch-norm and ReLU, computed the way ONNX Runtime would (sum in
     * channel order, then batch-norm) and the way a converter emits it (batch-norm folded into the weights,
     * sums in eight interleaved partial accumulators like a SIMD kernel). Homogeneous: scaling the input
     * scales every activation.
     */
    static final class Net {
        static final int POSITIONS = 48;

        enum Variant { REFERENCE, CONVERTED, FP16_WEIGHTS }

        final int depth;
        final int width;
        private final float[][] weights; // [layer][out * width + in]
        private final float[][] bias;
        private final float[][] gamma;
        private final float[][] beta;
        private final float[][] mean;
        private final float[][] var;

        Net(Random rnd, int depth, int width) {
            this.depth = depth;
            this.width = width;
            weights = new float[depth][width * width];
            bias = new float[depth][width];
            gamma = new float[depth][width];
            beta = new float[depth][width];
            mean = new float[depth][width];
            var = new float[depth][width];
            double std = Math.sqrt(2.0 / width);
            for (int l = 0; l < depth; l++) {
                for (int i = 0; i < width * width; i++) {
                    weights[l][i] = (float) (rnd.nextGaussian() * std);
                }
                for (int o = 0; o < width; o++) {
                    bias[l][o] = (float) (rnd.nextGaussian() * 0.1);
                    gamma[l][o] = (float) (0.5 + rnd.nextDouble());
                    beta[l][o] = (float) (rnd.nextGaussian() * 0.1);
                    mean[l][o] = (float) (rnd.nextGaussian() * 0.1);
                    var[l][o] = (float) (0.5 + rnd.nextDouble());
                }
            }
        }

        /** Every layer's output, [width][POSITIONS]; {@code brokenLayer} gets channel 17's weights 5% off. */
        List<float[]> run(float[] input, double scale, Variant variant, int brokenLayer) {
            List<float[]> outputs = new ArrayList<>();
            float[] x = input;
            float eps = 1e-5f;
            for (int l = 0; l < depth; l++) {
                float[] y = new float[width * POSITIONS];
                for (int o = 0; o < width; o++) {
                    // biases, BN shifts and means scale with the input so the network stays homogeneous
                    float b = (float) (bias[l][o] * scale);
                    float m = (float) (mean[l][o] * scale);
                    float be = (float) (beta[l][o] * scale);
                    float inv = (float) (gamma[l][o] / Math.sqrt(var[l][o] + eps));
                    float[] w = new float[width];
                    for (int i = 0; i < width; i++) {
                        w[i] = weights[l][o * width + i];
                        if (l == brokenLayer && o == 17) {
                            w[i] *= 1.05f;
                        }
                    }
                    if (variant != Variant.REFERENCE) {
                        for (int i = 0; i < width; i++) {
                            w[i] = variant == Variant.FP16_WEIGHTS ? toHalfPrecision(w[i] * inv) : w[i] * inv;
                        }
                    }
                    float foldedBias = (b - m) * inv + be;
                    for (int p = 0; p < POSITIONS; p++) {
                        float v;
                        if (variant == Variant.REFERENCE) {
                            float s = 0;
                            for (int i = 0; i < width; i++) {
                                s += w[i] * x[i * POSITIONS + p];
                            }
                            v = (s + b - m) * inv + be;
                        } else {
                            float[] acc = new float[8];
                            for (int i = 0; i < width; i++) {
                                acc[i & 7] += w[i] * x[i * POSITIONS + p];
                            }
                            float s = ((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]));
                            v = s + foldedBias;
                        }
                        y[o * POSITIONS + p] = Math.max(0f, v);
                    }
                }
                outputs.add(y);
                x = y;
            }
            return outputs;
        }

        /** Rounds to the nearest float16 value (10 mantissa bits, ties to even); weights stay in its normal range. */
        static float toHalfPrecision(float v) {
            int bits = Float.floatToRawIntBits(v);
            int lsb = (bits >> 13) & 1;
            bits += 0xFFF + lsb;
            return Float.intBitsToFloat(bits & ~0x1FFF);
        }
    }
}
