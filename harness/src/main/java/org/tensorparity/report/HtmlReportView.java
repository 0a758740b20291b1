package org.tensorparity.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorparity.align.UnmatchedTensor;
import org.tensorparity.backend.RuntimeInfo;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.AlignmentSummary;
import org.tensorparity.result.InlinedIf;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.InputRecord;
import org.tensorparity.result.InstrumentationCheck;
import org.tensorparity.result.IsolatedError;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.LayoutAnomaly;
import org.tensorparity.result.ModelInfo;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.Provenance;
import org.tensorparity.result.Timings;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.text.ShortNumber;

/**
 * What the HTML template shows, as plain strings, flags and lists: every number is formatted and every
 * chart laid out here, so the template only places text and never decides anything. Strings are raw
 * (model-derived ones included); the template engine escapes them. Optional parts are lists of zero or
 * one element, which is how Mustache expresses "if present".
 */
record HtmlReportView(String documentTitle, String verdict, String verdictLabel, String heading,
        String subheading, String summary, List<Fact> facts, List<Divergence> divergence,
        List<String> alignmentFailure, List<HotspotRow> hotspots, List<OutputRow> outputs, boolean layered,
        List<LayerRow> layers, String layerCount, List<DepthChart> chart, List<TensorDrill> drills,
        List<AlignmentView> alignment, List<UnmatchedRow> unmatched, List<AnomalyRow> anomalies,
        List<InstrumentationView> instrumentation, List<String> warnings, List<Fact> provenance, String command,
        List<ModelRow> models, List<RuntimeRow> runtimes, List<InputRow> inputs, List<Fact> timings, String generator,
        String runId) {
    /**
     * The characters of a tensor name a table shows: two lines of a name column at its widest (report.css caps it at
     * 250 pixels, about 30 characters of the monospace font), so no row grows taller than a few lines.
     */
    static final int TABLE_NAME_WIDTH = 60;

    /** A label and its value. */
    record Fact(String label, String value) {
    }

    /** The first divergence, with a link to its drill-down; {@code rootCause} says what isolation found. */
    record Divergence(String anchor, String index, NameText onnx, String onnxOp, NameText tflite, String tfliteOp,
            String reason, List<String> rootCause, List<String> growth, List<NameText> alsoDivergent,
            List<DiagnosisView> diagnosis) {
    }

    /** A row of "Where quantization hurts": the numbers every format prints, and the names as this table cuts them. */
    record HotspotRow(QuantizationHotspots.Row values, NameText onnx, NameText tflite) {
    }

    record OutputRow(String anchor, NameText onnx, NameText tflite, String bindRule, String onnxShape,
            String tfliteShape, String layout, String maxAbs, String scale, String normalized, String cosine,
            String verdict, String verdictLabel, String reason) {
    }

    /**
     * One row of the layer table. The {@code sort*} fields are plain numbers for the table's sort (a layer
     * without metrics sorts as the worst, one not isolated below every isolated one); the search matches the full
     * names the row carries. {@code isolated} is the normalized error the layer adds by itself, with its verdict as
     * {@code isolatedVerdict} and, as {@code isolatedNote}, the reason or why it was not isolated.
     */
    record LayerRow(String index, String anchor, String verdict, String verdictLabel, boolean first, NameText onnx,
            String onnxOp, NameText tflite, String tfliteOp, String shape, String layout, String confidence,
            String maxAbs, String normalized, String isolated, String isolatedVerdict, String isolatedNote, String cosine,
            String sortMaxAbs, String sortNormalized, String sortIsolated, String sortCosine,
            String sortConfidence) {
    }

    /** Alignment counts and notes. */
    record AlignmentView(String onnxCandidates, String tfliteCandidates, String pairs, List<String> notes) {
    }

    record UnmatchedRow(String model, NameText name, String opType, String reason, NameText detail) {
    }

    record AnomalyRow(String anchor, NameText onnx, NameText tflite, String expected, String observed,
            String description) {
    }

    record InstrumentationView(String verdict, String onnxDiff, String tfliteDiff, String note) {
    }

    record ModelRow(String role, NameText path, String size, String sha256) {
    }

    record RuntimeRow(String role, String name, List<Fact> settings) {
    }

    record InputRow(NameText onnx, NameText tflite, String bindRule, String dtype, String onnxShape, String tfliteShape,
            String layout, NameText source) {
    }

    /**
     * What the converter likely did at a diagnosed layer, and every hypothesis tested for it; {@code at} names the
     * layer when it is another root than the first divergence (empty for the first divergence itself).
     */
    record DiagnosisView(List<String> at, String kind, String likelyCause, List<String> tested) {
    }

    static HtmlReportView of(ParityReport r) {
        Provenance p = r.provenance();
        String tfliteName = ModelNames.fileName(p.tfliteModel().path());
        String verdict = r.verdict().id();
        List<LayerResult> layers = r.layers();
        FirstDivergence d = r.firstDivergence();
        List<TensorDrill> drills = new ArrayList<>();
        List<OutputRow> outputs = new ArrayList<>();
        for (int i = 0; i < r.outputs().size(); i++) {
            OutputResult o = r.outputs().get(i);
            outputs.add(outputRow(outputAnchor(i), o));
            drills.add(TensorDrill.ofOutput(outputAnchor(i), o));
        }
        List<LayerRow> layerRows = new ArrayList<>();
        for (LayerResult l : layers) {
            layerRows.add(layerRow(l, d != null && d.index() == l.index()));
            drills.add(TensorDrill.ofLayer(layerAnchor(l.index()), l));
        }
        boolean layered = r.alignment() != null;
        return new HtmlReportView(
                r.verdict().name() + " · " + tfliteName + " · tensor-parity",
                verdict,
                r.verdict().name(),
                tfliteName,
                "converted from " + ModelNames.fileName(p.onnxModel().path()),
                r.summary(),
                facts(r),
                d == null ? List.of() : List.of(divergence(d, layers)),
                layered && r.alignment().failure() != null ? List.of(r.alignment().failure()) : List.of(),
                QuantizationHotspots.leads(r)
                        ? QuantizationHotspots.rows(r).stream().map(HtmlReportView::hotspotRow).toList() : List.of(),
                outputs,
                layered,
                layerRows,
                NumberText.count(layers.size()),
                layers.isEmpty() ? List.of() : List.of(DepthChart.of(layers, d == null ? null : d.index(), commonTolerance(r))),
                drills,
                layered ? List.of(alignment(r.alignment())) : List.of(),
                r.unmatched().stream().map(HtmlReportView::unmatchedRow).toList(),
                r.layoutAnomalies().stream().map(a -> anomalyRow(a, layers)).toList(),
                r.instrumentation() == null ? List.of() : List.of(instrumentation(r.instrumentation())),
                r.warnings(),
                provenance(r),
                ShellQuoting.join(p.rerun()),
                List.of(model("ONNX (reference)", p.onnxModel()), model("TFLite (converted)", p.tfliteModel())),
                List.of(runtime("ONNX", p.onnxRuntime()), runtime("TFLite", p.tfliteRuntime())),
                r.inputs().stream().map(HtmlReportView::inputRow).toList(),
                timings(r.timings()),
                p.tool().name() + " " + p.tool().version(),
                p.runId() == null ? "" : p.runId());
    }

    static String layerAnchor(int index) {
        return "layer-" + index;
    }

    static String outputAnchor(int index) {
        return "output-" + index;
    }

    static String layout(Permutation p) {
        if (p == null) {
            return "-";
        }
        if (p.isIdentity()) {
            return "same";
        }
        return p.equals(Permutation.NCHW_TO_NHWC) ? "NCHW→NHWC" : p.toString();
    }

    static String shapeText(Object shape) {
        return shape == null ? "-" : shape.toString();
    }

    private static List<Fact> facts(ParityReport r) {
        List<Fact> facts = new ArrayList<>();
        if (!r.failedBy().isEmpty()) {
            facts.add(new Fact("failed by", FailedBy.describe(r)));
        }
        long failedOutputs = r.outputs().stream().filter(o -> o.verdict() == Verdict.FAIL).count();
        facts.add(new Fact("outputs", failedOutputs == 0 ? "all " + r.outputs().size() + " pass"
                : failedOutputs + " of " + r.outputs().size() + " fail"));
        if (r.alignment() != null) {
            long failedLayers = r.layers().stream().filter(l -> l.verdict() == Verdict.FAIL).count();
            facts.add(new Fact("aligned layers", failedLayers == 0 ? "all " + r.layers().size() + " pass"
                    : failedLayers + " of " + r.layers().size() + " fail"));
            facts.add(new Fact("unmatched tensors", Integer.toString(r.unmatched().size())));
            if (!r.layoutAnomalies().isEmpty()) {
                facts.add(new Fact("layout anomalies", Integer.toString(r.layoutAnomalies().size())));
            }
        } else {
            facts.add(new Fact("layers", "not compared (--outputs-only)"));
        }
        if (r.instrumentation() != null) {
            facts.add(new Fact("instrumentation", r.instrumentation().identical() ? "outputs bit-identical"
                    : "changed outputs (see below)"));
            if (r.instrumentation().memory() != null && r.instrumentation().memory().inPasses()) {
                facts.add(new Fact("memory", r.instrumentation().memory().describe()));
            }
        }
        if (r.samples() > 1) {
            facts.add(new Fact("input samples", r.samples() + " (outputs show their worst)"));
        }
        facts.add(new Fact("TFLite precision", r.precision().description()));
        facts.add(new Fact("tolerance", r.tolerance() + " (profile " + r.precision().toleranceProfile() + ", "
                + r.precision().profileChosen() + ")"));
        if (r.isolationTolerance() != null) {
            facts.add(new Fact("a layer by itself", r.isolationTolerance()));
        }
        return facts;
    }

    private static Divergence divergence(FirstDivergence d, List<LayerResult> layers) {
        List<DiagnosisView> diagnoses = new ArrayList<>();
        if (d.diagnosis() != null) {
            diagnoses.add(new DiagnosisView(List.of(), d.diagnosis().kind().id(), DiagnosisText.finding(d.diagnosis()),
                    d.diagnosis().tested()));
        }
        for (LayerResult l : layers) {
            if (l.diagnosis() != null && l.index() != d.index()) {
                diagnoses.add(new DiagnosisView(List.of(l.onnx()), l.diagnosis().kind().id(),
                        DiagnosisText.finding(l.diagnosis()), l.diagnosis().tested()));
            }
        }
        return new Divergence(layerAnchor(d.index()), "#" + d.index(), NameText.whole(d.onnx()), d.onnxOp(),
                NameText.whole(d.tflite()), d.tfliteOp(), d.reason(), rootCause(d, layers.get(d.index())),
                d.errorGrowth() == null ? List.of() : List.of(ShortNumber.growth(d.errorGrowth())),
                d.alsoDivergent().stream().map(NameText::whole).toList(), diagnoses);
    }

    private static List<String> rootCause(FirstDivergence d, LayerResult layer) {
        if ("output_rule".equals(d.locatedBy())) {
            return List.of("Located by the outputs' rule: every layer meets the layers' looser rule, but an output"
                    + " fails, and this is the first layer upstream of it whose error breaks the outputs' rule.");
        }
        if (d.addedError() == null) {
            return List.of(layer.isolated() == null ? "Located by accumulated error: isolation was off (--isolate)."
                    : "Located by accumulated error: this layer's operators could not be run alone (" + layer.isolated().reason()
                    + ").");
        }
        String s = "The root cause: its operators, run alone on the TFLite values of their inputs, add "
                + NumberText.error(d.addedError()) + " of scale by themselves.";
        if (!d.inherited().isEmpty()) {
            s += " " + d.inherited().size() + (d.inherited().size() == 1 ? " failing layer downstream inherits"
                    : " failing layers downstream inherit") + " its error and add"
                    + (d.inherited().size() == 1 ? "s" : "") + " little of their own: "
                    + String.join(", ", d.inherited().subList(0, Math.min(5, d.inherited().size())))
                    + (d.inherited().size() > 5 ? ", ..." : "") + ".";
        }
        return List.of(s);
    }

    private static OutputRow outputRow(String anchor, OutputResult o) {
        ErrorMetrics m = o.metrics();
        return new OutputRow(anchor, tableName(o.onnx()), tableName(ModelNames.counterpart(o.tflite())),
                o.bindingText().substring("by ".length()), shapeText(o.onnxShape()),
                shapeText(o.tfliteShape()), layout(o.permutation()), m == null ? "-" : NumberText.error(m.maxAbs()),
                m == null ? "-" : NumberText.error(m.scale()), m == null ? "-" : NumberText.error(m.normalizedMaxError()),
                m == null ? "-" : NumberText.cosine(m.cosine()), o.verdict().id(), o.verdict().name(), o.reason());
    }

    private static LayerRow layerRow(LayerResult l, boolean first) {
        ErrorMetrics m = l.metrics();
        IsolatedError alone = l.isolated();
        // The layout column says how the TFLite shape follows from the ONNX one; without a layout it does not.
        String shape = l.permutation() != null ? shapeText(l.onnxShape())
                : shapeText(l.onnxShape()) + " / " + shapeText(l.tfliteShape());
        return new LayerRow(Integer.toString(l.index()), layerAnchor(l.index()), l.verdict().id(),
                l.verdict().name(), first, tableName(l.onnx()), l.onnxOp(), tableName(l.tflite()), l.tfliteOp(), shape,
                layout(l.permutation()), NumberText.fixed(l.confidence(), 2),
                m == null ? "-" : NumberText.error(m.maxAbs()),
                m == null ? "-" : NumberText.error(m.normalizedMaxError()), alone == null || !alone.isolated() ? "-"
                        : NumberText.error(alone.metrics().normalizedMaxError()),
                alone == null || !alone.isolated() ? "" : alone.pairingInDoubt() ? "doubt" : alone.verdict().id(),
                alone == null ? "not isolated (--isolate)" : !alone.isolated() ? "not isolated: " + alone.reason()
                        : alone.reason(),
                m == null ? "-" : NumberText.cosine(m.cosine()),
                sortKey(m == null ? Double.POSITIVE_INFINITY : m.maxAbs()),
                sortKey(m == null ? Double.POSITIVE_INFINITY : m.normalizedMaxError()),
                sortKey(alone == null || !alone.isolated() ? -1 : alone.metrics().normalizedMaxError()),
                sortKey(m == null || Double.isNaN(m.cosine()) ? Double.NEGATIVE_INFINITY : m.cosine()),
                sortKey(l.confidence()));
    }

    private static HotspotRow hotspotRow(QuantizationHotspots.Row row) {
        return new HotspotRow(row, tableName(row.onnx()), tableName(row.tflite()));
    }

    /** A tensor name as the tables show it: cut in the middle to {@link #TABLE_NAME_WIDTH}, the full name on hover. */
    private static NameText tableName(String name) {
        return NameText.shortened(name, TABLE_NAME_WIDTH);
    }

    /** A number as JavaScript's {@code Number()} reads it. */
    private static String sortKey(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        return Double.isInfinite(v) ? (v > 0 ? "Infinity" : "-Infinity") : Double.toString(v);
    }

    /** The tolerance as a share of the scale of every layer, when they all were judged by one scale rule. */
    private static Double commonTolerance(ParityReport r) {
        boolean oneRule = r.layers().stream().map(l -> l.rule().text()).distinct().count() == 1;
        return oneRule ? r.layers().get(0).rule().tolerance() : null;
    }

    private static AlignmentView alignment(AlignmentSummary a) {
        return new AlignmentView(NumberText.count(a.onnxCandidates()), NumberText.count(a.tfliteCandidates()),
                NumberText.count(a.pairs()), java.util.stream.Stream.of(a.inlinedIfs().stream().map(InlinedIf::describe),
                        a.unrolledLoops().stream().map(org.tensorparity.result.UnrolledLoopSummary::describe),
                        a.notes().stream()).flatMap(s -> s).toList());
    }

    private static UnmatchedRow unmatchedRow(UnmatchedTensor u) {
        return new UnmatchedRow(u.model().equals("onnx") ? "ONNX" : "TFLite", tableName(u.name()), u.opType(),
                u.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '), NameText.whole(u.detail()));
    }

    private static AnomalyRow anomalyRow(LayoutAnomaly a, List<LayerResult> layers) {
        String anchor = layers.stream().filter(l -> l.onnx().equals(a.onnx()) && l.tflite().equals(a.tflite()))
                .findFirst().map(l -> layerAnchor(l.index())).orElse("layers");
        return new AnomalyRow(anchor, tableName(a.onnx()), tableName(a.tflite()),
                a.expected() == null ? "-" : a.expected().toString(),
                a.observed() == null ? "-" : a.observed().toString(), a.description());
    }

    private static InstrumentationView instrumentation(InstrumentationCheck c) {
        return new InstrumentationView(c.identical() ? "pass" : "warn", c.onnxMaxAbsDiff() == null ? "- (ran once, instrumented)"
                : NumberText.error(c.onnxMaxAbsDiff()), NumberText.error(c.tfliteMaxAbsDiff()), c.note());
    }

    private static List<Fact> provenance(ParityReport r) {
        Provenance p = r.provenance();
        List<Fact> facts = new ArrayList<>(List.of(
                new Fact("tool", p.tool().name() + " " + p.tool().version()),
                new Fact("created", p.createdAt()),
                new Fact("platform", p.platform().java() + " · " + p.platform().os() + " · " + p.platform().arch() + " · "
                        + p.platform().cpus() + " CPUs"),
                new Fact("seed", r.samples() > 1 ? r.seed() + " (sample k uses seed + k)" : Long.toString(r.seed())),
                new Fact("samples", Integer.toString(r.samples())),
                new Fact("default tolerance", r.tolerance())));
        if (!p.rerun().equals(p.command())) {
            facts.add(new Fact("original command", ShellQuoting.join(p.command())));
        }
        return facts;
    }

    private static ModelRow model(String role, ModelInfo m) {
        return new ModelRow(role, NameText.whole(m.path()),
                NumberText.bytes(m.sizeBytes()) + " (" + NumberText.count(m.sizeBytes()) + " bytes)", m.sha256());
    }

    private static RuntimeRow runtime(String role, RuntimeInfo r) {
        List<Fact> settings = new ArrayList<>();
        for (Map.Entry<String, String> e : r.settings().entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
            settings.add(new Fact(e.getKey(), e.getValue()));
        }
        return new RuntimeRow(role, r.runtime() + " " + r.version(), settings);
    }

    private static InputRow inputRow(InputRecord in) {
        return new InputRow(tableName(in.onnx()), tableName(in.tflite()), in.bindRule().label(),
                in.dtype().name().toLowerCase(Locale.ROOT), shapeText(in.onnxShape()), shapeText(in.tfliteShape()),
                layout(in.permutation()), NameText.whole(in.source()));
    }

    private static List<Fact> timings(Timings t) {
        return List.of(new Fact("load", NumberText.millis(t.loadMs())),
                new Fact("ONNX inference", NumberText.millis(t.onnxInferenceMs())),
                new Fact("TFLite inference", NumberText.millis(t.tfliteInferenceMs())),
                new Fact("compare", NumberText.millis(t.compareMs())),
                new Fact("total", NumberText.millis(t.totalMs())));
    }
}
