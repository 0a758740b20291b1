package org.tensorparity.report;

import java.util.List;
import org.tensorparity.compare.QuantizationSteps;
import org.tensorparity.result.IsolatedError;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.NoiseAttribution;
import org.tensorparity.result.ParityReport;

/**
 * "Where quantization hurts": the report's {@link ParityReport#noiseHotspots()} as rows every format prints
 * the same way. The main view of integer models, whose error is meant to be there and whose question is
 * which layer's quantization costs the most.
 */
final class QuantizationHotspots {
    /**
     * One layer that adds error, formatted: {@code added} is the noise it adds (a share of the signal's RMS),
     * {@code sqnrIn} the SQNR it inherits and {@code sqnrOut} its own; {@code aloneRmseSteps} and
     * {@code aloneMaxSteps} the error its operator adds when run alone, in quantization steps ("-" when not isolated).
     */
    record Row(int index, String anchor, String onnx, String onnxOp, String tflite, String tfliteOp, String added,
            String sqnrIn, String sqnrOut, String rmseSteps, String clipped, String aloneRmseSteps, String aloneMaxSteps) {
    }

    private QuantizationHotspots() {
    }

    /** True when the list is the report's main view: the TFLite model has integer activations. */
    static boolean leads(ParityReport r) {
        return r.precision().kind().startsWith("integer") && !r.noiseHotspots().isEmpty();
    }

    static List<Row> rows(ParityReport r) {
        return r.noiseHotspots().stream().map(i -> row(r.layers().get(i))).toList();
    }

    private static Row row(LayerResult l) {
        NoiseAttribution n = l.noise();
        IsolatedError alone = l.isolated();
        QuantizationSteps aloneSteps = alone == null || !alone.credible() ? null : alone.steps();
        return new Row(l.index(), HtmlReportView.layerAnchor(l.index()), l.onnx(), l.onnxOp(), l.tflite(), l.tfliteOp(),
                n == null ? "-" : NumberText.error(n.added()), n == null ? "-" : NumberText.decibels(sqnr(n.inherited())),
                n == null ? "-" : NumberText.decibels(sqnr(n.noise())),
                l.steps() == null ? "-" : NumberText.error(l.steps().rmseSteps()),
                l.steps() == null ? "-" : NumberText.percent(l.steps().clippedShare()),
                aloneSteps == null ? "-" : NumberText.error(aloneSteps.rmseSteps()),
                aloneSteps == null ? "-" : NumberText.error(aloneSteps.maxAbsSteps()));
    }

    private static double sqnr(double noise) {
        return noise == 0 ? Double.POSITIVE_INFINITY : -20 * Math.log10(noise);
    }
}
