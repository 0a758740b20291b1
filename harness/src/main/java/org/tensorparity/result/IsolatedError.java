package org.tensorparity.result;

import java.util.List;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.QuantizationSteps;
import org.tensorparity.compare.QuantizedWeightCheck;
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
 * @param fedFrom where each of their inputs came from, one line per input: {@code x <- TFLite 'y'} (an aligned
 *     tensor's TFLite value), {@code x <- model input} or {@code x <- ONNX} (an integer tensor, exact on both sides)
 * @param verdict the isolated error under the pair's isolation rule; null when not isolated
 * @param rule the isolation rule, in words; null when not isolated
 * @param reason for a failure the broken bound, for a pass the margin; when not isolated, why not
 * @param metrics the isolated error's statistics; null when not isolated
 * @param steps for a quantized TFLite tensor, the isolated error in its quantization steps; null otherwise
 * @param pairingInDoubt true when the figure measures the pairing or the feeds rather than an operator, so that the
 *     pair is neither a root cause nor ranked: it fails in isolation downstream of the root cause, where values no
 *     longer confirm pairings (the TFLite tensor may not be this ONNX tensor's counterpart at all), or it fails in
 *     isolation although its accumulated error meets the isolation rule ({@link #unconfirmed})
 * @param decisive true when the failure is established: credible, and the pair confidently aligned. Under the
 *     {@code isolated} and {@code fail} layer policies such a pair fails the run although every output agrees
 * @param weights the converted operator's stored integer weights against the ONNX operator's, where they map
 *     ({@link QuantizedWeightCheck}); null otherwise. Weights that differ fail the pair whatever its isolated error
 */
public record IsolatedError(boolean isolated, List<String> onnxOps, List<String> fedFrom, Verdict verdict, String rule,
        String reason, ErrorMetrics metrics, QuantizationSteps steps, boolean pairingInDoubt, boolean decisive,
        QuantizedWeightCheck weights) {
    public IsolatedError {
        onnxOps = onnxOps == null ? List.of() : List.copyOf(onnxOps);
        fedFrom = fedFrom == null ? List.of() : List.copyOf(fedFrom);
    }

    /** Why a pairing past the root cause is in doubt. */
    static final String IN_DOUBT = "in doubt: past the root cause, values no longer confirm pairings, so this TFLite"
            + " tensor may not be this ONNX tensor's counterpart";

    /** A pair whose operators cannot be run alone, and why. */
    public static IsolatedError notIsolated(String reason) {
        return new IsolatedError(false, List.of(), List.of(), null, null, reason, null, null, false, false, null);
    }

    /** The same figures, with the pairing marked as in doubt (which never decides) and {@link #IN_DOUBT} in the reason. */
    public IsolatedError inDoubt() {
        return new IsolatedError(isolated, onnxOps, fedFrom, verdict, rule, reason + "; " + IN_DOUBT, metrics, steps,
                true, false, weights);
    }

    /** The same figures, marked as {@link #decisive()}. */
    public IsolatedError asDecisive() {
        return new IsolatedError(isolated, onnxOps, fedFrom, verdict, rule, reason, metrics, steps, pairingInDoubt,
                true, weights);
    }

    /**
     * The same figures, marked as measuring what the operators were fed rather than the operators: the pair's
     * accumulated error meets the isolation rule, so an isolated error beyond it cannot be the operator's (at a root
     * cause the inputs agree and the two are alike). Like a pairing in doubt, it is neither a root cause nor ranked;
     * {@code why} says so.
     */
    public IsolatedError unconfirmed(String why) {
        return new IsolatedError(isolated, onnxOps, fedFrom, verdict, rule, why, metrics, steps, true, false, weights);
    }

    /**
     * The same figures with the stored weights' check: weights that differ fail the pair, credibly, whatever its
     * isolated error measured (they are what the operator computes with, on any input); the reason says so first.
     */
    public IsolatedError withWeights(QuantizedWeightCheck check) {
        if (!check.differs()) {
            return new IsolatedError(isolated, onnxOps, fedFrom, verdict, rule, reason, metrics, steps, pairingInDoubt,
                    decisive, check);
        }
        return new IsolatedError(isolated, onnxOps, fedFrom, Verdict.FAIL, rule,
                "its " + check.describe() + "; its values alone: " + reason, metrics, steps, false, decisive, check);
    }

    /** True when the error is a credible measure of the operators: they ran alone and the pairing is not in doubt. */
    public boolean credible() {
        return isolated && !pairingInDoubt;
    }

    /** True when the operators ran alone and their own error breaks the pair's rule. */
    public boolean fails() {
        return isolated && verdict == Verdict.FAIL;
    }
}
