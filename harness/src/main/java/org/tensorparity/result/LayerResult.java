package org.tensorparity.result;

import java.util.List;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.QuantizationSteps;
import org.tensorparity.compare.Verdict;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.TensorLayout;

/**
 * One aligned pair of intermediate tensors, judged.
 *
 * @param index position in ONNX execution order among the aligned pairs (the depth axis of error-vs-depth)
 * @param tfliteOrder position of the TFLite tensor's producing operator in the TFLite graph's execution order
 *     (-1 for a model input): the order in which a change made to the TFLite file spreads; null in reports
 *     written before it was recorded
 * @param onnxNode name of the ONNX node that produces {@code onnx}, how graph viewers such as Model Explorer
 *     key ONNX nodes; null for a model input, a node without a name, and reports written before it was recorded
 * @param onnx ONNX tensor name
 * @param tflite TFLite tensor name
 * @param onnxOp ONNX producing operator
 * @param tfliteOp TFLite producing operator
 * @param onnxShape ONNX shape
 * @param tfliteShape TFLite shape
 * @param permutation ONNX layout to TFLite layout the values were compared under; null on a shape mismatch
 * @param layoutKind how the TFLite shape relates to the permuted ONNX shape: the same ({@code PERMUTED}), with
 *     unit axes added or removed ({@code UNIT_AXES}), or the same values in row-major order ({@code FLAT});
 *     null on a shape mismatch
 * @param confidence 0..1, how sure alignment is that these two are the same value
 * @param evidence what supports the pairing
 * @param pairing how the pair was found: {@code auto} (alignment), {@code mapping} (a mapping file) or
 *     {@code transpose} (a TFLite transpose of a paired tensor or of a model input)
 * @param agreement relative RMS difference of sampled values under the pair's best layout, when alignment
 *     found the pair by its values; null when it paired them by structure, by transpose or from a mapping
 * @param verdict pass or fail under {@code rule}
 * @param rule the tolerance rule applied
 * @param reason why it failed, or empty
 * @param metrics observed error statistics; null on a shape mismatch
 * @param steps for a quantized TFLite tensor, the errors in its quantization steps and the share of its values
 *     clipped at its code range; null otherwise
 * @param noise how much of this layer's error it adds itself and how much it inherits, estimated from SQNR; null
 *     without metrics
 * @param isolated the error this pair's converted operator adds by itself, measured by running its ONNX
 *     operators alone on the TFLite values of their inputs; null when the pair was not isolated (see
 *     {@code --isolate})
 * @param diagnosis what the converter likely did at this layer, proven by reproducing it: set on a failing run's
 *     root causes and on layers asked for by name ({@code --diagnose}); null otherwise
 */
public record LayerResult(int index, Integer tfliteOrder, String onnxNode, String onnx, String tflite, String onnxOp, String tfliteOp, Shape onnxShape,
        Shape tfliteShape, Permutation permutation, TensorLayout.Kind layoutKind, double confidence, List<String> evidence,
        String pairing, Double agreement, Verdict verdict, AppliedRule rule, String reason, ErrorMetrics metrics,
        QuantizationSteps steps, NoiseAttribution noise, IsolatedError isolated, Diagnosis diagnosis) {
    public LayerResult {
        evidence = List.copyOf(evidence);
    }

    /** This layer with {@code isolated} in place of its isolated error. */
    public LayerResult withIsolated(IsolatedError isolated) {
        return new LayerResult(index, tfliteOrder, onnxNode, onnx, tflite, onnxOp, tfliteOp, onnxShape, tfliteShape, permutation,
                layoutKind, confidence, evidence, pairing, agreement, verdict, rule, reason, metrics, steps, noise, isolated,
                diagnosis);
    }

    /** This layer with {@code diagnosis} as its diagnosis. */
    public LayerResult withDiagnosis(Diagnosis diagnosis) {
        return new LayerResult(index, tfliteOrder, onnxNode, onnx, tflite, onnxOp, tfliteOp, onnxShape, tfliteShape, permutation,
                layoutKind, confidence, evidence, pairing, agreement, verdict, rule, reason, metrics, steps, noise, isolated,
                diagnosis);
    }
}
