package org.tensorparity.report;

import java.util.List;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.QuantizationSteps;
import org.tensorparity.compare.Verdict;

/**
 * The error one aligned pair's converted operator adds by itself. The ONNX operators that compute the pair's
 * ONNX tensor are run alone in ONNX Runtime, fed the TFLite model's own values of their inputs (mapped into
 * ONNX layout, dequantized), and their output is compared with the pair's TFLite tensor: error inherited from
 * upstream is fed to both sides alike and drops out.
 *
 * @param isolated whether the operators could be run alone; when false {@code reason} says why, and the pair
 *     is judged by its accumulated error only
 * @param onnxOps the ONNX operators run alone, in execution order (each as {@code OpType 'node name'})
 * @param verdict the isolated error under the pair's rule; null when not isolated
 * @param reason for a failure the broken bound, for a pass the margin; when not isolated, why not
 * @param metrics the isolated error's statistics; null when not isolated
 * @param steps for a quantized TFLite tensor, the isolated error in its quantization steps; null otherwise
 */
public record IsolatedError(boolean isolated, List<String> onnxOps, Verdict verdict, String reason,
        ErrorMetrics metrics, QuantizationSteps steps) {
    public IsolatedError {
        onnxOps = List.copyOf(onnxOps);
    }

    /** A pair whose operators cannot be run alone, and why. */
    public static IsolatedError notIsolated(String reason) {
        return new IsolatedError(false, List.of(), null, reason, null, null);
    }

    /** True when the operators ran alone and their own error breaks the pair's rule. */
    public boolean fails() {
        return isolated && verdict == Verdict.FAIL;
    }
}
