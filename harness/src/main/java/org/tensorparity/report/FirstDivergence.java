package org.tensorparity.report;

import java.util.List;

/**
 * Where the two models part: the earliest aligned pair that fails while every aligned pair upstream
 * of it passes.
 *
 * @param index the pair's index in {@code layers[]}
 * @param onnx ONNX tensor name
 * @param tflite TFLite tensor name
 * @param onnxOp ONNX producing operator
 * @param tfliteOp TFLite producing operator
 * @param reason why that pair fails
 * @param errorGrowth worst normalized output error divided by this pair's normalized error (how much the
 *     error grew from here to the outputs); null when it cannot be computed (shape mismatch)
 * @param alsoDivergent other failing pairs whose upstream pairs all pass (independent divergences on
 *     parallel branches), by ONNX tensor name
 */
public record FirstDivergence(int index, String onnx, String tflite, String onnxOp, String tfliteOp, String reason,
        Double errorGrowth, List<String> alsoDivergent) {
    public FirstDivergence {
        alsoDivergent = List.copyOf(alsoDivergent);
    }
}
