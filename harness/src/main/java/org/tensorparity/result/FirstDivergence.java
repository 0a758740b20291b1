package org.tensorparity.result;

import java.util.List;

/**
 * Where the two models part: the root cause. With isolated errors ({@link IsolatedError}), the earliest aligned
 * pair whose converted operator breaks the rule by itself; where pairs could not be isolated, the earliest
 * failing pair whose upstream pairs all pass.
 *
 * @param index the pair's index in {@code layers[]}
 * @param onnx ONNX tensor name
 * @param tflite TFLite tensor name
 * @param onnxOp ONNX producing operator
 * @param tfliteOp TFLite producing operator
 * @param reason why that pair fails (its accumulated error; {@code layers[index].isolated.reason} has the isolated one)
 * @param errorGrowth worst normalized output error divided by this pair's normalized error (how much the
 *     error grew from here to the outputs); null when it cannot be computed (shape mismatch)
 * @param alsoDivergent other root causes (independent divergences on parallel branches), by ONNX tensor name
 * @param locatedBy {@code isolated} when the pair was chosen by the error its operator adds alone,
 *     {@code accumulated} when by accumulated error (isolation off, or the pair could not be isolated),
 *     {@code output_rule} when no pair fails but an output does and this is the first pair upstream of it whose
 *     accumulated error breaks the outputs' rule
 * @param addedError the normalized max error the pair's operator adds by itself; null unless isolated
 * @param inherited failing pairs downstream of this one whose own operators pass in isolation: they inherit
 *     its error, by ONNX tensor name
 * @param diagnosis what the converter likely did there, proven by reproducing it; null when the run passed, the
 *     layer passes alone, or it was not diagnosed
 */
public record FirstDivergence(int index, String onnx, String tflite, String onnxOp, String tfliteOp, String reason,
        Double errorGrowth, List<String> alsoDivergent, String locatedBy, Double addedError, List<String> inherited,
        Diagnosis diagnosis) {
    public FirstDivergence {
        alsoDivergent = List.copyOf(alsoDivergent);
        // Reports written before isolation have no list: read back, they inherit nothing.
        inherited = inherited == null ? List.of() : List.copyOf(inherited);
    }

    /** A first divergence without a diagnosis. */
    public FirstDivergence(int index, String onnx, String tflite, String onnxOp, String tfliteOp, String reason,
            Double errorGrowth, List<String> alsoDivergent, String locatedBy, Double addedError, List<String> inherited) {
        this(index, onnx, tflite, onnxOp, tfliteOp, reason, errorGrowth, alsoDivergent, locatedBy, addedError, inherited,
                null);
    }

    /** The same first divergence with {@code d} as its diagnosis. */
    public FirstDivergence withDiagnosis(Diagnosis d) {
        return new FirstDivergence(index, onnx, tflite, onnxOp, tfliteOp, reason, errorGrowth, alsoDivergent, locatedBy,
                addedError, inherited, d);
    }
}
