package org.tensorparity.bind;

import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Tensor;

/**
 * What an integer TFLite input receives: the float values quantized with the input's own scale and zero
 * point. The ONNX model is then fed the real values of those same codes, so both models see identical
 * numbers and the comparison measures the conversion, not the rounding of the input.
 *
 * @param codes the stored codes, in the TFLite input's layout and type
 * @param real their real values, {@code scale * (code - zeroPoint)}, in the same layout
 * @param clipped how many values lay beyond the codes' range and were clipped to its ends
 */
public record QuantizedFeed(Tensor codes, Tensor real, long clipped) {

    /** Quantizes {@code values} (in the TFLite input's layout) with {@code q}. */
    public static QuantizedFeed of(Tensor values, Quantization q) {
        float[] v = values.data();
        float[] codes = q.quantize(v, values.shape());
        long clipped = 0;
        for (int i = 0; i < v.length; i++) {
            int c = q.channelOf(i, values.shape());
            double unclamped = Math.round(v[i] / (double) q.scale(c)) + (double) q.zeroPoint(c);
            if (unclamped < q.minCode() || unclamped > q.maxCode()) {
                clipped++;
            }
        }
        Tensor stored = Tensor.wrap(q.storage(), values.shape(), codes);
        Tensor real = Tensor.fromCodes(values.shape(), codes.clone(), q);
        return new QuantizedFeed(stored, real, clipped);
    }

    /** The share of values clipped, 0..1. */
    public double clippedShare() {
        return codes.size() == 0 ? 0 : (double) clipped / codes.size();
    }
}
