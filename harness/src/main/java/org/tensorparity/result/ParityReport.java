package org.tensorparity.result;

import java.util.List;
import org.tensorparity.align.UnmatchedTensor;
import org.tensorparity.compare.Verdict;

/**
 * The whole result of comparing one ONNX model with one TFLite model, in named parts: what was decided, what ran,
 * the inputs, the outputs and what comparing layer by layer found. The JSON report is written from it field by
 * field ({@code report.ReportDocument}), under the documented, stable names of
 * {@code docs/schema/report.schema.json} (see docs/json-report.md). That document is flat, and so are the accessors
 * below the components: {@code report.verdict()}, {@code report.layers()}, each named as its field.
 *
 * @param schemaVersion version of this document's shape; bumped on any incompatible change
 * @param decision the verdict, why, and the warnings
 * @param setup what ran, on which inputs, under which rules
 * @param inputs how each ONNX input was bound and fed
 * @param outputs every output comparison, in ONNX output order
 * @param layerFindings what comparing layer by layer found; null with {@code --outputs-only}
 * @param instrumentation whether capturing intermediates changed the outputs; null with {@code --outputs-only}
 * @param timings where the time went
 * @param steps what a streaming run ({@code --steps}) found step by step; null for a run of one step
 */
public record ParityReport(int schemaVersion, Decision decision, RunSetup setup, List<InputRecord> inputs,
        List<OutputResult> outputs, LayerFindings layerFindings, InstrumentationCheck instrumentation,
        Timings timings, StepSeries steps) {
    public static final int SCHEMA_VERSION = 1;

    /** A report of a run of one step. */
    public ParityReport(int schemaVersion, Decision decision, RunSetup setup, List<InputRecord> inputs,
            List<OutputResult> outputs, LayerFindings layerFindings, InstrumentationCheck instrumentation,
            Timings timings) {
        this(schemaVersion, decision, setup, inputs, outputs, layerFindings, instrumentation, timings, null);
    }

    public ParityReport {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public Verdict verdict() {
        return decision.verdict();
    }

    public String summary() {
        return decision.summary();
    }

    public String layerPolicy() {
        return decision.layerPolicy();
    }

    /** Null with {@code --outputs-only}. */
    public Verdict layerVerdict() {
        return decision.layerVerdict();
    }

    public List<VerdictRule> failedBy() {
        return decision.failedBy();
    }

    public List<String> warnings() {
        return decision.warnings();
    }

    public Provenance provenance() {
        return setup.provenance();
    }

    public long seed() {
        return setup.seed();
    }

    public int samples() {
        return setup.samples();
    }

    public PrecisionInfo precision() {
        return setup.precision();
    }

    public String tolerance() {
        return setup.tolerance();
    }

    /** Null with {@code --outputs-only}. */
    public String layerTolerance() {
        return setup.layerTolerance();
    }

    /** Null when no layer was isolated ({@code --outputs-only}, {@code --isolate off}). */
    public String isolationTolerance() {
        return setup.isolationTolerance();
    }

    /** Null with {@code --outputs-only}. */
    public AlignmentSummary alignment() {
        return layerFindings == null ? null : layerFindings.alignment();
    }

    /** Every aligned intermediate pair, judged, in ONNX execution order; empty with {@code --outputs-only}. */
    public List<LayerResult> layers() {
        return layerFindings == null ? List.of() : layerFindings.layers();
    }

    /**
     * Indices into {@link #layers()} of the layers that add the most error themselves ({@link LayerResult#noise()}
     * {@code added}), largest first, at most ten, only layers that add some: where quantization hurts.
     */
    public List<Integer> noiseHotspots() {
        return layerFindings == null ? List.of() : layerFindings.noiseHotspots();
    }

    /** Where the models first part; null when no layer fails or layers were not compared. */
    public FirstDivergence firstDivergence() {
        return layerFindings == null ? null : layerFindings.firstDivergence();
    }

    public List<UnmatchedTensor> unmatched() {
        return layerFindings == null ? List.of() : layerFindings.unmatched();
    }

    public List<LayoutAnomaly> layoutAnomalies() {
        return layerFindings == null ? List.of() : layerFindings.layoutAnomalies();
    }
}
