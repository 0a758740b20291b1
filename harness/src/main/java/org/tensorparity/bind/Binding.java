package org.tensorparity.bind;

import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/**
 * One ONNX tensor paired with one TFLite tensor.
 *
 * @param onnx the ONNX tensor name
 * @param tflite the TFLite tensor name
 * @param rule why they were paired
 * @param onnxShape the ONNX shape in this run
 * @param tfliteShape the TFLite shape in this run
 * @param layout how the TFLite tensor holds the ONNX values (identity, or NCHW to NHWC, possibly with unit
 *     axes reshaped); null for an output pair whose shapes no allowed layout reconciles
 * @param slice where one output is a part of the other model's ({@link BindRule#SPLIT}, {@link BindRule#MERGED}),
 *     which part; the shapes are those of the compared part. Null for whole tensors
 */
public record Binding(String onnx, String tflite, BindRule rule, Shape onnxShape, Shape tfliteShape,
        TensorLayout layout, Slice slice) {
    /** A pair of whole tensors. */
    public Binding(String onnx, String tflite, BindRule rule, Shape onnxShape, Shape tfliteShape, TensorLayout layout) {
        this(onnx, tflite, rule, onnxShape, tfliteShape, layout, null);
    }

    /** The ONNX side's value of this pair: the part the slice names when the ONNX output is cut. */
    public Tensor onnxValue(Tensor output) {
        return slice != null && slice.side() == Slice.Side.ONNX ? slice.of(output) : output;
    }

    /** The TFLite side's value of this pair: the part the slice names when the TFLite output is cut. */
    public Tensor tfliteValue(Tensor output) {
        return slice != null && slice.side() == Slice.Side.TFLITE ? slice.of(output) : output;
    }
}
