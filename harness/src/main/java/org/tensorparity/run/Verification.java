package org.tensorparity.run;

import java.util.Map;
import org.tensorparity.result.ParityReport;
import org.tensorparity.tensor.Tensor;

/**
 * A report together with the worst sample's model outputs, for stages that feed one pair's outputs to
 * the next pair.
 *
 * @param report the judged run
 * @param onnxOutputs ONNX outputs by name
 * @param tfliteOutputs TFLite outputs by the name of the ONNX output they were paired with, in the ONNX
 *     layout; an output whose shape the converter broke is absent
 */
public record Verification(ParityReport report, Map<String, Tensor> onnxOutputs, Map<String, Tensor> tfliteOutputs) {
}
