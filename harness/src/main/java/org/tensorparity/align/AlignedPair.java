package org.tensorparity.align;

import java.util.List;
import java.util.Objects;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.TensorLayout;

/**
 * An ONNX activation and the TFLite activation alignment holds to be the same value.
 *
 * @param onnx ONNX tensor name
 * @param tflite TFLite tensor name
 * @param onnxOp ONNX producing operator
 * @param tfliteOp TFLite producing operator
 * @param onnxShape ONNX shape
 * @param tfliteShape TFLite shape; may differ in more than layout when a converter broke a shape
 * @param layout the layout the TFLite tensor should hold the ONNX values in, as the graphs explain it;
 *     null when no layout fits the shapes (a shape mismatch)
 * @param otherLayouts the other layouts that fit the shapes (square tensors have several); agreement under
 *     one of them instead of {@code layout} is a layout anomaly
 * @param agreement the relative RMS difference of the two tensors' sampled values under their best layout
 *     ({@link ValueSampler}), or NaN when the pair was not found by its values
 * @param confidence 0..1: how sure alignment is of this pair, from the evidence
 * @param evidence what supports the pair, in words
 * @param source {@code auto}, {@code transpose} (a TFLite transpose of a paired tensor or of an input), or
 *     {@code mapping} when a mapping file named the pair
 */
public record AlignedPair(String onnx, String tflite, String onnxOp, String tfliteOp, Shape onnxShape,
        Shape tfliteShape, TensorLayout layout, List<TensorLayout> otherLayouts, double agreement, double confidence,
        List<String> evidence, String source) {
    public AlignedPair {
        otherLayouts = List.copyOf(otherLayouts);
        evidence = List.copyOf(evidence);
    }

    /**
     * Over every component, as the generated one; written out rather than generated, as {@code TensorLayout#equals}
     * says why. Pairs key maps of their judgements, where a pair is looked up by itself: {@code HashMap} compares
     * keys by identity before {@code equals}, so the generated {@code equals} is not called there.
     */
    @Override
    public int hashCode() {
        return Objects.hash(onnx, tflite, onnxOp, tfliteOp, onnxShape, tfliteShape, layout, otherLayouts, agreement,
                confidence, evidence, source);
    }

    /** True when the values showed the pair (rather than structure alone). */
    public boolean foundByValues() {
        return !Double.isNaN(agreement);
    }
}
