package org.tensorparity.run;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorparity.backend.RunResult;
import org.tensorparity.result.InstrumentationCheck;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.text.ShortNumber;

/**
 * Instrumenting must not change the answer. Exposing intermediates stops ONNX Runtime from fusing
 * Conv+BatchNormalization, so its outputs move by float rounding; that is recorded, and becomes a
 * warning only when it reaches 1e-5 of the outputs' scale, ten times float32 rounding.
 */
final class InstrumentationChecker {
    /** Relative output change from instrumenting that deserves a warning: ten times float32 rounding of a correct conversion (1e-6). */
    private static final double MATERIAL_INSTRUMENTATION_CHANGE = 1e-5;

    private InstrumentationChecker() {
    }

    /**
     * @param onnxInstrumented true when the reference ran once, instrumented (layers on one sample): only the
     *     converted model's two runs can then be compared
     * @param plainOnnx the reference's outputs as deployed (instrumented when {@code onnxInstrumented})
     * @param plainTflite the converted model's outputs as deployed
     * @param capturedOnnx the reference's instrumented outputs
     * @param capturedTflite the converted model's instrumented outputs
     * @param warnings where a change that matters is added
     */
    static InstrumentationCheck check(boolean onnxInstrumented, RunResult plainOnnx, RunResult plainTflite,
            RunResult capturedOnnx, RunResult capturedTflite, List<String> warnings) {
        if (onnxInstrumented) {
            double tfliteDiff = maxDifference(plainTflite.outputs(), capturedTflite.outputs());
            double scale = Math.max(maxMagnitude(plainOnnx.outputs()), Float.MIN_NORMAL);
            String reference = "the reference ran once, with every intermediate exposed (ONNX Runtime cannot fuse"
                    + " Conv+BatchNormalization then: its outputs move by float rounding, about 1e-6 of scale)";
            if (tfliteDiff == 0) {
                return new InstrumentationCheck(null, 0, true, reference + "; capturing every TFLite intermediate left its"
                        + " outputs bit-identical");
            }
            String note = String.format(Locale.ROOT, "%s; capturing every TFLite intermediate moved its outputs by %s at"
                    + " output scale %s", reference, ShortNumber.format(tfliteDiff), ShortNumber.format(scale));
            if (tfliteDiff / scale >= MATERIAL_INSTRUMENTATION_CHANGE) {
                note += ": layer verdicts may not reflect the deployed run";
                warnings.add(note);
            }
            return new InstrumentationCheck(null, tfliteDiff, false, note);
        }
        double onnxDiff = maxDifference(plainOnnx.outputs(), capturedOnnx.outputs());
        double tfliteDiff = maxDifference(plainTflite.outputs(), capturedTflite.outputs());
        double scale = Math.max(maxMagnitude(plainOnnx.outputs()), Float.MIN_NORMAL);
        double relative = Math.max(onnxDiff, tfliteDiff) / scale;
        boolean identical = onnxDiff == 0 && tfliteDiff == 0;
        String numbers = String.format(Locale.ROOT, "ONNX max |plain - instrumented| %s, TFLite %s, at output scale %s",
                ShortNumber.format(onnxDiff), ShortNumber.format(tfliteDiff), ShortNumber.format(scale));
        String note;
        if (identical) {
            note = "capturing every intermediate left all outputs bit-identical";
        } else if (relative < MATERIAL_INSTRUMENTATION_CHANGE) {
            note = "capturing intermediates moved the outputs by float rounding only (" + numbers + ")";
        } else {
            note = "capturing intermediates changed the outputs (" + numbers
                    + "): layer verdicts may not reflect the deployed run";
            warnings.add(note);
        }
        return new InstrumentationCheck(onnxDiff, tfliteDiff, identical, note);
    }

    private static double maxMagnitude(Map<String, Tensor> tensors) {
        double max = 0;
        for (Tensor t : tensors.values()) {
            for (float v : t.data()) {
                if (Float.isFinite(v)) {
                    max = Math.max(max, Math.abs(v));
                }
            }
        }
        return max;
    }

    /** Largest |plain - instrumented| over all outputs; infinite when they differ in shape or NaN-ness. */
    private static double maxDifference(Map<String, Tensor> plain, Map<String, Tensor> instrumented) {
        double max = 0;
        for (Map.Entry<String, Tensor> e : plain.entrySet()) {
            Tensor other = instrumented.get(e.getKey());
            if (other == null || !other.shape().equals(e.getValue().shape())) {
                return Double.POSITIVE_INFINITY;
            }
            float[] a = e.getValue().data();
            float[] b = other.data();
            for (int i = 0; i < a.length; i++) {
                if (a[i] == b[i] || (Float.isNaN(a[i]) && Float.isNaN(b[i]))) {
                    continue;
                }
                double d = Math.abs((double) a[i] - b[i]);
                max = Double.isNaN(d) ? Double.POSITIVE_INFINITY : Math.max(max, d);
            }
        }
        return max;
    }
}
