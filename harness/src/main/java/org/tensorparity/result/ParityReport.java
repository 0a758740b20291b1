package org.tensorparity.result;

import java.util.List;
import org.tensorparity.align.UnmatchedTensor;
import org.tensorparity.compare.Verdict;

/**
 * The whole result of comparing one ONNX model with one TFLite model. The JSON report is written from it
 * field by field ({@code report.ReportDocument}), under the documented, stable names of
 * {@code docs/schema/report.schema.json} (see docs/json-report.md); its components mostly carry those names,
 * but renaming one does not rename a field of the document.
 *
 * @param schemaVersion version of this document's shape; bumped on any incompatible change
 * @param verdict the run's verdict: pass when every output (and its task checks) agrees within tolerance, no
 *     confidently paired layer breaks its isolation rule by itself (unless {@code layerPolicy} is warn) and, under
 *     {@code layerPolicy} fail, no layer diverges confidently
 * @param summary one sentence saying what happened
 * @param provenance what ran, where, with which settings
 * @param seed seed of the generated inputs (sample k uses seed + k)
 * @param samples how many input samples were run; outputs report their worst, layers are compared on it
 * @param precision what the TFLite model computes in, and the tolerance profile chosen for it
 * @param tolerance the default tolerance rule for outputs, in words
 * @param layerTolerance the default tolerance rule for intermediate layers, in words; null with {@code --outputs-only}
 * @param isolationTolerance the default rule for the error a layer's operators add by themselves, in words; null
 *     when no layer was isolated ({@code --outputs-only}, {@code --isolate off})
 * @param layerPolicy what a layer that disagrees does when every output agrees: {@code warn} (a warning),
 *     {@code isolated} (the default: a layer that breaks its isolation rule by itself fails the run) or {@code fail}
 *     ({@code --fail-on-layers}: any confident layer divergence fails the run)
 * @param layerVerdict pass when every aligned layer agrees, no layer fails decisively in isolation and the graphs
 *     align; null with {@code --outputs-only}
 * @param failedBy the rules that failed the run, in {@link VerdictRule} order; empty when it passes
 * @param inputs how each ONNX input was bound and fed
 * @param outputs every output comparison, in ONNX output order
 * @param alignment how the graphs aligned; null with {@code --outputs-only}
 * @param layers every aligned intermediate pair, judged, in ONNX execution order; empty with {@code --outputs-only}
 * @param noiseHotspots indices into {@code layers} of the layers that add the most error themselves
 *     ({@link LayerResult#noise()} {@code added}), largest first, at most ten, only layers that add some:
 *     where quantization hurts
 * @param firstDivergence where the models first part; null when no layer fails or layers were not compared
 * @param unmatched tensors of either model without a partner, with reasons
 * @param layoutAnomalies pairs whose values agree only under a permutation no converter should produce
 * @param instrumentation whether capturing intermediates changed the outputs; null with {@code --outputs-only}
 * @param warnings things the reader should know that did not decide the verdict
 * @param timings where the time went
 */
public record ParityReport(int schemaVersion, Verdict verdict, String summary, Provenance provenance, long seed,
        int samples, PrecisionInfo precision, String tolerance, String layerTolerance, String isolationTolerance,
        String layerPolicy, Verdict layerVerdict, List<VerdictRule> failedBy, List<InputRecord> inputs, List<OutputResult> outputs, AlignmentSummary alignment,
        List<LayerResult> layers, List<Integer> noiseHotspots, FirstDivergence firstDivergence, List<UnmatchedTensor> unmatched,
        List<LayoutAnomaly> layoutAnomalies, InstrumentationCheck instrumentation, List<String> warnings,
        Timings timings) {
    public static final int SCHEMA_VERSION = 1;

    public ParityReport {
        failedBy = failedBy == null ? List.of() : List.copyOf(failedBy);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        layers = List.copyOf(layers);
        // Reports written before precision and noise were recorded are still read (and diffed as baselines).
        precision = precision == null ? PrecisionInfo.UNRECORDED : precision;
        noiseHotspots = noiseHotspots == null ? List.of() : List.copyOf(noiseHotspots);
        for (int i : noiseHotspots) {
            if (i < 0 || i >= layers.size()) {
                throw new IllegalArgumentException("noiseHotspots holds " + i + ", not an index into the "
                        + layers.size() + " layers");
            }
        }
        unmatched = List.copyOf(unmatched);
        layoutAnomalies = List.copyOf(layoutAnomalies);
        warnings = List.copyOf(warnings);
    }
}
