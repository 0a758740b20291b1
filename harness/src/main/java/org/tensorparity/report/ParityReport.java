package org.tensorparity.report;

import java.util.List;
import org.tensorparity.align.UnmatchedTensor;
import org.tensorparity.compare.Verdict;

/**
 * The whole result of comparing one ONNX model with one TFLite model. The JSON report is this record;
 * field names are the stable, documented JSON names (see README, "JSON report").
 *
 * @param schemaVersion version of this document's shape; bumped on any incompatible change
 * @param verdict pass when every compared tensor is within tolerance and the graphs aligned
 * @param summary one sentence saying what happened
 * @param provenance what ran, where, with which settings
 * @param seed seed of the generated inputs (sample k uses seed + k)
 * @param samples how many input samples were run; outputs report their worst, layers are compared on it
 * @param tolerance the default tolerance rule, in words
 * @param inputs how each ONNX input was bound and fed
 * @param outputs every output comparison, in ONNX output order
 * @param alignment how the graphs aligned; null with {@code --outputs-only}
 * @param layers every aligned intermediate pair, judged, in ONNX execution order; empty with {@code --outputs-only}
 * @param firstDivergence where the models first part; null when no layer fails or layers were not compared
 * @param unmatched tensors of either model without a partner, with reasons
 * @param layoutAnomalies pairs whose values agree only under a permutation no converter should produce
 * @param instrumentation whether capturing intermediates changed the outputs; null with {@code --outputs-only}
 * @param warnings things the reader should know that did not decide the verdict
 * @param timings where the time went
 */
public record ParityReport(int schemaVersion, Verdict verdict, String summary, Provenance provenance, long seed,
        int samples, String tolerance, List<InputRecord> inputs, List<OutputResult> outputs, AlignmentSummary alignment,
        List<LayerResult> layers, FirstDivergence firstDivergence, List<UnmatchedTensor> unmatched,
        List<LayoutAnomaly> layoutAnomalies, InstrumentationCheck instrumentation, List<String> warnings,
        Timings timings) {
    public static final int SCHEMA_VERSION = 1;

    public ParityReport {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        layers = List.copyOf(layers);
        unmatched = List.copyOf(unmatched);
        layoutAnomalies = List.copyOf(layoutAnomalies);
        warnings = List.copyOf(warnings);
    }
}
