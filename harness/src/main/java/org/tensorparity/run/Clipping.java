package org.tensorparity.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;

/** Quantized tensors whose reference values lie beyond what their codes can hold, in one warning. */
final class Clipping {
    /**
     * Share of a quantized tensor's values clipped at its quantized range that deserves a warning: a model run
     * in the domain it was calibrated on clips almost nothing (calibration sets the range from the data).
     */
    static final double WARNING_SHARE = 0.01;

    private Clipping() {
    }

    /** Quantized outputs and layers that clip more than {@link #WARNING_SHARE} of their values, worst first. */
    static Optional<String> warning(List<OutputResult> outputs, List<LayerResult> layers) {
        Map<String, Double> clipped = new LinkedHashMap<>();
        for (OutputResult o : outputs) {
            if (o.steps() != null && o.steps().clippedShare() > WARNING_SHARE) {
                clipped.merge("output '" + o.onnx() + "'", o.steps().clippedShare(), Math::max);
            }
        }
        for (LayerResult l : layers) {
            if (l.steps() != null && l.steps().clippedShare() > WARNING_SHARE) {
                clipped.merge("'" + l.onnx() + "' (" + l.tfliteOp() + ")", l.steps().clippedShare(), Math::max);
            }
        }
        if (clipped.isEmpty()) {
            return Optional.empty();
        }
        List<String> worst = clipped.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(5)
                .map(e -> String.format(Locale.ROOT, "%s %.1f%%", e.getKey(), 100 * e.getValue())).toList();
        return Optional.of(clipped.size() + " quantized tensor" + (clipped.size() == 1 ? "" : "s")
                + " clip more than 1% of the reference's values at their quantized range: " + String.join(", ", worst)
                + (clipped.size() > 5 ? ", ..." : "") + ". The model meets values beyond the range it was quantized for"
                + " (inputs unlike its calibration data, or an operator's fixed output range imposed on other values)");
    }
}
