package org.tensorparity.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.tensorparity.align.UnmatchedReason;
import org.tensorparity.align.UnmatchedTensor;
import org.tensorparity.backend.RuntimeInfo;
import org.tensorparity.bind.BindRule;
import org.tensorparity.bind.Slice;
import org.tensorparity.compare.ChannelErrors;
import org.tensorparity.compare.DiagnosisKind;
import org.tensorparity.compare.ElementPair;
import org.tensorparity.compare.ErrorHistogram;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.QuantizationSteps;
import org.tensorparity.compare.QuantizedWeightCheck;
import org.tensorparity.compare.ValueRange;
import org.tensorparity.compare.Verdict;
import org.tensorparity.report.JsonFields.BadDocument;
import org.tensorparity.result.AlignmentSummary;
import org.tensorparity.result.AppliedRule;
import org.tensorparity.result.CheckResult;
import org.tensorparity.result.Decision;
import org.tensorparity.result.Diagnosis;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.InlinedIf;
import org.tensorparity.result.InputRecord;
import org.tensorparity.result.CaptureMemory;
import org.tensorparity.result.InstrumentationCheck;
import org.tensorparity.result.IsolatedError;
import org.tensorparity.result.LayerFindings;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.LayoutAnomaly;
import org.tensorparity.result.ModelInfo;
import org.tensorparity.result.NoiseAttribution;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.Platform;
import org.tensorparity.result.PrecisionInfo;
import org.tensorparity.result.Provenance;
import org.tensorparity.result.RunSetup;
import org.tensorparity.result.SampleSummary;
import org.tensorparity.result.SuitePair;
import org.tensorparity.result.SuiteReport;
import org.tensorparity.result.Timings;
import org.tensorparity.result.ToolInfo;
import org.tensorparity.result.UnrolledLoopSummary;
import org.tensorparity.result.VerdictRule;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.TensorLayout;

/**
 * The JSON documents of a verify report and a suite report ({@code docs/schema/report.schema.json},
 * {@code suite-report.schema.json}), written and read field by field. This is the only place that names a
 * field or an enum value of the documents: the records they are made from are never reflected on, so renaming
 * anything in the result model is a compile error here, not a silent change of a published document. Each
 * object's writer and reader sit side by side, in the schema's field order; a streaming run's {@code streaming} object
 * has its own pair in {@link StepsDocument}.
 *
 * <p>Reading follows the compatibility policy: a schemaVersion 1 document written by an earlier version may
 * lack the fields added since ({@code precision}, {@code noiseHotspots}, a layer's {@code tfliteOrder},
 * {@code onnxNode}, {@code isolated} and {@code diagnosis}, an input's {@code shapeOrigin}, an output's {@code samples}
 * and {@code checks}, the first divergence's {@code locatedBy}, {@code addedError}, {@code inherited} and
 * {@code diagnosis}, the timings' {@code diagnosisMs}); those,
 * and the fields the schema lets be null, read as null or empty when absent. Anything else missing, or of the
 * wrong type, is refused with its place in the document.
 *
 * <p>It stays one class beyond the 400 lines the code base otherwise keeps to: the field names are the published
 * contract, and with every writer beside its reader in one file, a change to the documents is one reviewable diff
 * that cannot update the writing side and forget the reading side.
 */
final class ReportDocument {
    private ReportDocument() {
    }

    // ---- verify report ------------------------------------------------------------------------------------

    static void write(JsonGenerator g, ParityReport r) throws IOException {
        g.writeStartObject();
        g.writeNumberField("schemaVersion", r.schemaVersion());
        g.writeStringField("verdict", verdictId(r.verdict()));
        g.writeStringField("summary", r.summary());
        writeField(g, "provenance", r.provenance(), ReportDocument::writeProvenance);
        g.writeNumberField("seed", r.seed());
        g.writeNumberField("samples", r.samples());
        writeField(g, "precision", r.precision(), ReportDocument::writePrecision);
        g.writeStringField("tolerance", r.tolerance());
        g.writeStringField("layerTolerance", r.layerTolerance());
        g.writeStringField("isolationTolerance", r.isolationTolerance());
        g.writeStringField("layerPolicy", r.layerPolicy());
        g.writeStringField("layerVerdict", r.layerVerdict() == null ? null : verdictId(r.layerVerdict()));
        writeTexts(g, "failedBy", r.failedBy().stream().map(VerdictRule::id).toList());
        g.writeArrayFieldStart("inputs");
        for (InputRecord input : r.inputs()) {
            writeInput(g, input);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("outputs");
        for (OutputResult output : r.outputs()) {
            writeOutput(g, output);
        }
        g.writeEndArray();
        writeField(g, "alignment", r.alignment(), ReportDocument::writeAlignment);
        g.writeArrayFieldStart("layers");
        for (LayerResult layer : r.layers()) {
            writeLayer(g, layer);
        }
        g.writeEndArray();
        writeInts(g, "noiseHotspots", r.noiseHotspots());
        writeField(g, "firstDivergence", r.firstDivergence(), ReportDocument::writeFirstDivergence);
        g.writeArrayFieldStart("unmatched");
        for (UnmatchedTensor u : r.unmatched()) {
            writeUnmatched(g, u);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("layoutAnomalies");
        for (LayoutAnomaly a : r.layoutAnomalies()) {
            writeLayoutAnomaly(g, a);
        }
        g.writeEndArray();
        writeField(g, "instrumentation", r.instrumentation(), ReportDocument::writeInstrumentation);
        writeTexts(g, "warnings", r.warnings());
        writeField(g, "timings", r.timings(), ReportDocument::writeTimings);
        if (r.steps() != null) {
            writeField(g, "streaming", r.steps(), StepsDocument::write);
        }
        g.writeEndObject();
    }

    static ParityReport read(JsonFields f) throws BadDocument {
        Decision decision = new Decision(f.requiredEnum("verdict", Verdict.values(), ReportDocument::verdictId),
                f.requiredText("summary"), f.requiredText("layerPolicy"),
                f.optionalEnum("layerVerdict", Verdict.values(), ReportDocument::verdictId),
                f.optionalEnums("failedBy", VerdictRule.values(), VerdictRule::id), f.requiredTexts("warnings"));
        RunSetup setup = new RunSetup(f.required("provenance", ReportDocument::readProvenance), f.requiredLong("seed"),
                f.requiredInt("samples"), f.optional("precision", ReportDocument::readPrecision),
                f.requiredText("tolerance"), f.optionalText("layerTolerance"), f.optionalText("isolationTolerance"));
        AlignmentSummary alignment = f.optional("alignment", ReportDocument::readAlignment);
        // The layers' fields are there with --outputs-only too, empty; the alignment alone tells.
        LayerFindings findings = alignment == null ? null : new LayerFindings(alignment,
                f.requiredList("layers", ReportDocument::readLayer), f.optionalInts("noiseHotspots"),
                f.optional("firstDivergence", ReportDocument::readFirstDivergence),
                f.requiredList("unmatched", ReportDocument::readUnmatched),
                f.requiredList("layoutAnomalies", ReportDocument::readLayoutAnomaly));
        return new ParityReport(f.requiredInt("schemaVersion"), decision, setup,
                f.requiredList("inputs", ReportDocument::readInput), f.requiredList("outputs", ReportDocument::readOutput),
                findings, f.optional("instrumentation", ReportDocument::readInstrumentation),
                f.required("timings", ReportDocument::readTimings), f.optional("streaming", StepsDocument::read));
    }

    // ---- suite report -------------------------------------------------------------------------------------

    static void writeSuite(JsonGenerator g, SuiteReport s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("schemaVersion", s.schemaVersion());
        g.writeStringField("kind", s.kind());
        g.writeStringField("verdict", verdictId(s.verdict()));
        g.writeStringField("summary", s.summary());
        g.writeStringField("suite", s.suite());
        g.writeStringField("shard", s.shard());
        g.writeArrayFieldStart("pairs");
        for (SuitePair p : s.pairs()) {
            g.writeStartObject();
            g.writeStringField("name", p.name());
            writeTexts(g, "stagedFrom", p.stagedFrom());
            writeField(g, "report", p.report(), ReportDocument::write);
            g.writeStringField("notRun", p.notRun());
            g.writeNumberField("exitCode", p.exitCode());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    static SuiteReport readSuite(JsonFields f) throws BadDocument {
        return new SuiteReport(f.requiredInt("schemaVersion"), f.requiredText("kind"),
                f.requiredEnum("verdict", Verdict.values(), ReportDocument::verdictId), f.requiredText("summary"),
                f.requiredText("suite"), f.optionalText("shard"),
                f.requiredList("pairs", ReportDocument::readSuitePair));
    }

    private static SuitePair readSuitePair(JsonFields p) throws BadDocument {
        ParityReport report = p.optional("report", ReportDocument::read);
        Integer exitCode = p.optionalInt("exitCode");
        // A suite document written before pairs had exit codes: a pair with a report by its verdict, else 1.
        int code = exitCode != null ? exitCode : report == null || report.verdict() == Verdict.FAIL ? 1 : 0;
        return new SuitePair(p.requiredText("name"), p.requiredTexts("stagedFrom"), report, p.optionalText("notRun"), code);
    }

    // ---- provenance ---------------------------------------------------------------------------------------

    private static void writeProvenance(JsonGenerator g, Provenance p) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("tool");
        g.writeStringField("name", p.tool().name());
        g.writeStringField("version", p.tool().version());
        g.writeEndObject();
        g.writeStringField("createdAt", p.createdAt());
        writeTexts(g, "command", p.command());
        writeTexts(g, "rerun", p.rerun());
        g.writeObjectFieldStart("platform");
        g.writeStringField("java", p.platform().java());
        g.writeStringField("os", p.platform().os());
        g.writeStringField("arch", p.platform().arch());
        g.writeNumberField("cpus", p.platform().cpus());
        g.writeEndObject();
        writeRuntime(g, "onnxRuntime", p.onnxRuntime());
        writeRuntime(g, "tfliteRuntime", p.tfliteRuntime());
        writeModel(g, "onnxModel", p.onnxModel());
        writeModel(g, "tfliteModel", p.tfliteModel());
        g.writeStringField("runId", p.runId());
        g.writeEndObject();
    }

    private static Provenance readProvenance(JsonFields f) throws BadDocument {
        return new Provenance(f.required("tool", t -> new ToolInfo(t.requiredText("name"), t.requiredText("version"))),
                f.requiredText("createdAt"), f.requiredTexts("command"), f.requiredTexts("rerun"),
                f.required("platform", p -> new Platform(p.requiredText("java"), p.requiredText("os"), p.requiredText("arch"),
                        p.requiredInt("cpus"))),
                f.required("onnxRuntime", ReportDocument::readRuntime), f.required("tfliteRuntime", ReportDocument::readRuntime),
                f.required("onnxModel", ReportDocument::readModel), f.required("tfliteModel", ReportDocument::readModel),
                f.optionalText("runId"));
    }

    private static void writeRuntime(JsonGenerator g, String name, RuntimeInfo r) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("runtime", r.runtime());
        g.writeStringField("version", r.version());
        g.writeObjectFieldStart("settings");
        for (Map.Entry<String, String> e : r.settings().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static RuntimeInfo readRuntime(JsonFields f) throws BadDocument {
        return new RuntimeInfo(f.requiredText("runtime"), f.requiredText("version"), f.requiredTextMap("settings"));
    }

    private static void writeModel(JsonGenerator g, String name, ModelInfo m) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("path", m.path());
        g.writeNumberField("sizeBytes", m.sizeBytes());
        g.writeStringField("sha256", m.sha256());
        g.writeEndObject();
    }

    private static ModelInfo readModel(JsonFields f) throws BadDocument {
        return new ModelInfo(f.requiredText("path"), f.requiredLong("sizeBytes"), f.requiredText("sha256"));
    }

    private static void writePrecision(JsonGenerator g, PrecisionInfo p) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", p.kind());
        g.writeStringField("description", p.description());
        g.writeStringField("toleranceProfile", p.toleranceProfile());
        g.writeStringField("profileChosen", p.profileChosen());
        g.writeEndObject();
    }

    private static PrecisionInfo readPrecision(JsonFields f) throws BadDocument {
        return new PrecisionInfo(f.requiredText("kind"), f.requiredText("description"), f.requiredText("toleranceProfile"),
                f.requiredText("profileChosen"));
    }

    // ---- inputs and outputs -------------------------------------------------------------------------------

    private static void writeInput(JsonGenerator g, InputRecord i) throws IOException {
        g.writeStartObject();
        g.writeStringField("onnx", i.onnx());
        g.writeStringField("tflite", i.tflite());
        g.writeStringField("bindRule", bindRuleId(i.bindRule()));
        g.writeStringField("dtype", dtypeId(i.dtype()));
        writeShape(g, "onnxShape", i.onnxShape());
        writeShape(g, "tfliteShape", i.tfliteShape());
        writePermutation(g, "permutation", i.permutation());
        g.writeStringField("source", i.source());
        g.writeStringField("shapeOrigin", i.shapeOrigin());
        g.writeStringField("quantization", i.quantization());
        writeReal(g, "clippedShare", i.clippedShare());
        g.writeEndObject();
    }

    private static InputRecord readInput(JsonFields f) throws BadDocument {
        return new InputRecord(f.requiredText("onnx"), f.requiredText("tflite"),
                f.requiredEnum("bindRule", BindRule.values(), ReportDocument::bindRuleId),
                f.requiredEnum("dtype", DType.values(), ReportDocument::dtypeId), f.requiredAxes("onnxShape", Shape::of),
                f.requiredAxes("tfliteShape", Shape::of), f.requiredAxes("permutation", Permutation::of),
                f.requiredText("source"), f.optionalText("shapeOrigin"), f.optionalText("quantization"),
                f.optionalReal("clippedShare"));
    }

    private static void writeOutput(JsonGenerator g, OutputResult o) throws IOException {
        g.writeStartObject();
        g.writeStringField("onnx", o.onnx());
        g.writeStringField("tflite", o.tflite());
        g.writeStringField("bindRule", bindRuleId(o.bindRule()));
        writeShape(g, "onnxShape", o.onnxShape());
        writeShape(g, "tfliteShape", o.tfliteShape());
        writePermutation(g, "permutation", o.permutation());
        g.writeStringField("verdict", verdictId(o.verdict()));
        writeRule(g, o.rule());
        g.writeStringField("reason", o.reason());
        writeField(g, "metrics", o.metrics(), ReportDocument::writeMetrics);
        writeField(g, "samples", o.samples(), ReportDocument::writeSamples);
        g.writeArrayFieldStart("checks");
        for (CheckResult c : o.checks()) {
            g.writeStartObject();
            g.writeStringField("check", c.check());
            g.writeBooleanField("agrees", c.agrees());
            g.writeNumberField("rows", c.rows());
            g.writeNumberField("disagreeingRows", c.disagreeingRows());
            writeInts(g, "onnxTop", c.onnxTop());
            writeInts(g, "tfliteTop", c.tfliteTop());
            g.writeEndObject();
        }
        g.writeEndArray();
        writeField(g, "steps", o.steps(), ReportDocument::writeSteps);
        writeField(g, "slice", o.slice(), ReportDocument::writeSlice);
        g.writeEndObject();
    }

    private static void writeSlice(JsonGenerator g, Slice s) throws IOException {
        g.writeStartObject();
        g.writeStringField("of", s.side().id());
        g.writeNumberField("axis", s.axis());
        g.writeNumberField("start", s.start());
        g.writeNumberField("end", s.end());
        g.writeEndObject();
    }

    private static Slice readSlice(JsonFields f) throws BadDocument {
        return new Slice(f.requiredEnum("of", Slice.Side.values(), Slice.Side::id), f.requiredInt("axis"),
                f.requiredInt("start"), f.requiredInt("end"));
    }

    private static OutputResult readOutput(JsonFields f) throws BadDocument {
        return new OutputResult(f.requiredText("onnx"), f.optionalText("tflite"),
                f.requiredEnum("bindRule", BindRule.values(), ReportDocument::bindRuleId),
                f.requiredAxes("onnxShape", Shape::of), f.optionalAxes("tfliteShape", Shape::of),
                f.optionalAxes("permutation", Permutation::of),
                f.requiredEnum("verdict", Verdict.values(), ReportDocument::verdictId), readRule(f),
                f.requiredText("reason"), f.optional("metrics", ReportDocument::readMetrics),
                f.optional("samples", ReportDocument::readSamples),
                f.optionalList("checks", c -> new CheckResult(c.requiredText("check"), c.requiredBoolean("agrees"),
                        c.requiredInt("rows"), c.requiredInt("disagreeingRows"), c.requiredInts("onnxTop"),
                        c.requiredInts("tfliteTop"))),
                f.optional("steps", ReportDocument::readSteps), f.optional("slice", ReportDocument::readSlice));
    }

    private static void writeSamples(JsonGenerator g, SampleSummary s) throws IOException {
        g.writeStartObject();
        g.writeNumberField("count", s.count());
        g.writeNumberField("worstSample", s.worstSample());
        g.writeNumberField("failingSamples", s.failingSamples());
        g.writeNumberField("meanMaxAbs", s.meanMaxAbs());
        g.writeNumberField("meanNormalizedMaxError", s.meanNormalizedMaxError());
        g.writeEndObject();
    }

    private static SampleSummary readSamples(JsonFields f) throws BadDocument {
        return new SampleSummary(f.requiredInt("count"), f.requiredInt("worstSample"), f.requiredInt("failingSamples"),
                f.requiredReal("meanMaxAbs"), f.requiredReal("meanNormalizedMaxError"));
    }

    // ---- alignment and layers -----------------------------------------------------------------------------

    private static void writeAlignment(JsonGenerator g, AlignmentSummary a) throws IOException {
        g.writeStartObject();
        g.writeNumberField("onnxCandidates", a.onnxCandidates());
        g.writeNumberField("tfliteCandidates", a.tfliteCandidates());
        g.writeNumberField("pairs", a.pairs());
        g.writeStringField("failure", a.failure());
        writeTexts(g, "notes", a.notes());
        g.writeArrayFieldStart("inlinedIfs");
        for (InlinedIf i : a.inlinedIfs()) {
            g.writeStartObject();
            g.writeStringField("node", i.node());
            g.writeNumberField("depth", i.depth());
            g.writeStringField("branch", i.branch());
            g.writeStringField("condition", i.condition());
            g.writeBooleanField("conditionValue", i.conditionValue());
            g.writeNumberField("nodes", i.nodes());
            g.writeNumberField("activations", i.activations());
            g.writeNumberField("paired", i.paired());
            g.writeNumberField("accounted", i.accounted());
            g.writeNumberField("noCounterpart", i.noCounterpart());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("unrolledLoops");
        for (UnrolledLoopSummary l : a.unrolledLoops()) {
            g.writeStartObject();
            g.writeStringField("op", l.op());
            g.writeStringField("node", l.node());
            g.writeNumberField("iterations", l.iterations());
            g.writeNumberField("bodyNodes", l.bodyNodes());
            g.writeNumberField("comparedIteration", l.comparedIteration());
            g.writeNumberField("activations", l.activations());
            g.writeNumberField("paired", l.paired());
            g.writeNumberField("accounted", l.accounted());
            g.writeNumberField("noCounterpart", l.noCounterpart());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static AlignmentSummary readAlignment(JsonFields f) throws BadDocument {
        return new AlignmentSummary(f.requiredInt("onnxCandidates"), f.requiredInt("tfliteCandidates"),
                f.requiredInt("pairs"), f.optionalText("failure"), f.requiredTexts("notes"), f.optionalList("inlinedIfs",
                        i -> new InlinedIf(i.requiredText("node"), i.requiredInt("depth"), i.requiredText("branch"), i.requiredText("condition"),
                                i.requiredBoolean("conditionValue"), i.requiredInt("nodes"), i.requiredInt("activations"),
                                i.requiredInt("paired"), i.requiredInt("accounted"), i.requiredInt("noCounterpart"))),
                f.optionalList("unrolledLoops", l -> new UnrolledLoopSummary(
                        l.optionalText("op") == null ? "Loop" : l.optionalText("op"), l.requiredText("node"),
                        l.requiredInt("iterations"), l.requiredInt("bodyNodes"), l.requiredInt("comparedIteration"),
                        l.requiredInt("activations"), l.requiredInt("paired"), l.requiredInt("accounted"),
                        l.requiredInt("noCounterpart"))));
    }

    private static void writeLayer(JsonGenerator g, LayerResult l) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", l.index());
        writeInt(g, "tfliteOrder", l.tfliteOrder());
        g.writeStringField("onnxNode", l.onnxNode());
        g.writeStringField("onnx", l.onnx());
        g.writeStringField("tflite", l.tflite());
        g.writeStringField("onnxOp", l.onnxOp());
        g.writeStringField("tfliteOp", l.tfliteOp());
        writeShape(g, "onnxShape", l.onnxShape());
        writeShape(g, "tfliteShape", l.tfliteShape());
        writePermutation(g, "permutation", l.permutation());
        g.writeStringField("layoutKind", l.layoutKind() == null ? null : layoutKindId(l.layoutKind()));
        g.writeNumberField("confidence", l.confidence());
        writeTexts(g, "evidence", l.evidence());
        g.writeStringField("pairing", l.pairing());
        writeReal(g, "agreement", l.agreement());
        g.writeStringField("verdict", verdictId(l.verdict()));
        writeRule(g, l.rule());
        g.writeStringField("reason", l.reason());
        writeField(g, "metrics", l.metrics(), ReportDocument::writeMetrics);
        writeField(g, "steps", l.steps(), ReportDocument::writeSteps);
        writeField(g, "noise", l.noise(), ReportDocument::writeNoise);
        writeField(g, "isolated", l.isolated(), ReportDocument::writeIsolated);
        writeField(g, "diagnosis", l.diagnosis(), ReportDocument::writeDiagnosis);
        g.writeEndObject();
    }

    private static LayerResult readLayer(JsonFields f) throws BadDocument {
        return new LayerResult(f.requiredInt("index"), f.optionalInt("tfliteOrder"), f.optionalText("onnxNode"),
                f.requiredText("onnx"), f.requiredText("tflite"), f.requiredText("onnxOp"), f.requiredText("tfliteOp"),
                f.requiredAxes("onnxShape", Shape::of), f.requiredAxes("tfliteShape", Shape::of),
                f.optionalAxes("permutation", Permutation::of),
                f.optionalEnum("layoutKind", TensorLayout.Kind.values(), ReportDocument::layoutKindId),
                f.requiredReal("confidence"), f.requiredTexts("evidence"), f.requiredText("pairing"), f.optionalReal("agreement"),
                f.requiredEnum("verdict", Verdict.values(), ReportDocument::verdictId), readRule(f),
                f.requiredText("reason"), f.optional("metrics", ReportDocument::readMetrics),
                f.optional("steps", ReportDocument::readSteps), f.optional("noise", ReportDocument::readNoise),
                f.optional("isolated", ReportDocument::readIsolated), f.optional("diagnosis", ReportDocument::readDiagnosis));
    }

    private static void writeNoise(JsonGenerator g, NoiseAttribution n) throws IOException {
        g.writeStartObject();
        g.writeNumberField("noise", n.noise());
        g.writeNumberField("inherited", n.inherited());
        g.writeNumberField("added", n.added());
        g.writeEndObject();
    }

    private static NoiseAttribution readNoise(JsonFields f) throws BadDocument {
        return new NoiseAttribution(f.requiredReal("noise"), f.requiredReal("inherited"), f.requiredReal("added"));
    }

    private static void writeIsolated(JsonGenerator g, IsolatedError i) throws IOException {
        g.writeStartObject();
        g.writeBooleanField("isolated", i.isolated());
        writeTexts(g, "onnxOps", i.onnxOps());
        writeTexts(g, "fedFrom", i.fedFrom());
        g.writeStringField("verdict", i.verdict() == null ? null : verdictId(i.verdict()));
        g.writeStringField("rule", i.rule());
        g.writeStringField("reason", i.reason());
        writeField(g, "metrics", i.metrics(), ReportDocument::writeMetrics);
        writeField(g, "steps", i.steps(), ReportDocument::writeSteps);
        g.writeBooleanField("pairingInDoubt", i.pairingInDoubt());
        g.writeBooleanField("decisive", i.decisive());
        writeField(g, "weights", i.weights(), ReportDocument::writeWeightCheck);
        g.writeEndObject();
    }

    private static void writeWeightCheck(JsonGenerator g, QuantizedWeightCheck w) throws IOException {
        g.writeStartObject();
        g.writeStringField("storage", w.storage());
        g.writeNumberField("channels", w.channels());
        g.writeNumberField("channelsOff", w.channelsOff());
        g.writeArrayFieldStart("firstOff");
        for (int c : w.firstOff()) {
            g.writeNumber(c);
        }
        g.writeEndArray();
        g.writeNumberField("worstSteps", w.worstSteps());
        g.writeNumberField("biasOff", w.biasOff());
        g.writeBooleanField("reordered", w.reordered());
        g.writeEndObject();
    }

    private static QuantizedWeightCheck readWeightCheck(JsonFields f) throws BadDocument {
        return new QuantizedWeightCheck(f.requiredText("storage"), f.requiredInt("channels"),
                f.requiredInt("channelsOff"), f.requiredInts("firstOff"), f.requiredReal("worstSteps"),
                f.requiredInt("biasOff"), f.optionalBoolean("reordered", false));
    }

    private static IsolatedError readIsolated(JsonFields f) throws BadDocument {
        return new IsolatedError(f.requiredBoolean("isolated"), f.optionalTexts("onnxOps"), f.optionalTexts("fedFrom"),
                f.optionalEnum("verdict", Verdict.values(), ReportDocument::verdictId), f.optionalText("rule"),
                f.requiredText("reason"), f.optional("metrics", ReportDocument::readMetrics),
                f.optional("steps", ReportDocument::readSteps), f.requiredBoolean("pairingInDoubt"),
                f.optionalBoolean("decisive", false), f.optional("weights", ReportDocument::readWeightCheck));
    }

    private static void writeFirstDivergence(JsonGenerator g, FirstDivergence d) throws IOException {
        g.writeStartObject();
        g.writeNumberField("index", d.index());
        g.writeStringField("onnx", d.onnx());
        g.writeStringField("tflite", d.tflite());
        g.writeStringField("onnxOp", d.onnxOp());
        g.writeStringField("tfliteOp", d.tfliteOp());
        g.writeStringField("reason", d.reason());
        writeReal(g, "errorGrowth", d.errorGrowth());
        writeTexts(g, "alsoDivergent", d.alsoDivergent());
        g.writeStringField("locatedBy", d.locatedBy());
        writeReal(g, "addedError", d.addedError());
        writeTexts(g, "inherited", d.inherited());
        writeField(g, "diagnosis", d.diagnosis(), ReportDocument::writeDiagnosis);
        g.writeEndObject();
    }

    private static void writeDiagnosis(JsonGenerator g, Diagnosis d) throws IOException {
        g.writeStartObject();
        g.writeStringField("kind", d.kind().id());
        g.writeStringField("detail", d.detail());
        writeReal(g, "reproducedError", d.reproducedError());
        writeTexts(g, "tested", d.tested());
        g.writeArrayFieldStart("alternatives");
        for (Diagnosis.Attempt a : d.alternatives()) {
            g.writeStartObject();
            g.writeStringField("hypothesis", a.hypothesis());
            g.writeNumberField("error", a.error());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static Diagnosis readDiagnosis(JsonFields f) throws BadDocument {
        return new Diagnosis(f.requiredEnum("kind", DiagnosisKind.values(), DiagnosisKind::id), f.requiredText("detail"),
                f.optionalReal("reproducedError"), f.requiredTexts("tested"), f.requiredList("alternatives",
                        a -> new Diagnosis.Attempt(a.requiredText("hypothesis"), a.requiredReal("error"))));
    }

    private static FirstDivergence readFirstDivergence(JsonFields f) throws BadDocument {
        return new FirstDivergence(f.requiredInt("index"), f.requiredText("onnx"), f.requiredText("tflite"),
                f.requiredText("onnxOp"), f.requiredText("tfliteOp"), f.requiredText("reason"), f.optionalReal("errorGrowth"),
                f.requiredTexts("alsoDivergent"), f.optionalText("locatedBy"), f.optionalReal("addedError"),
                f.optionalTexts("inherited"), f.optional("diagnosis", ReportDocument::readDiagnosis));
    }

    private static void writeUnmatched(JsonGenerator g, UnmatchedTensor u) throws IOException {
        g.writeStartObject();
        g.writeStringField("model", u.model());
        g.writeStringField("name", u.name());
        g.writeStringField("opType", u.opType());
        g.writeStringField("reason", unmatchedReasonId(u.reason()));
        g.writeStringField("detail", u.detail());
        g.writeEndObject();
    }

    private static UnmatchedTensor readUnmatched(JsonFields f) throws BadDocument {
        return new UnmatchedTensor(f.requiredText("model"), f.requiredText("name"), f.requiredText("opType"),
                f.requiredEnum("reason", UnmatchedReason.values(), ReportDocument::unmatchedReasonId), f.requiredText("detail"));
    }

    private static void writeLayoutAnomaly(JsonGenerator g, LayoutAnomaly a) throws IOException {
        g.writeStartObject();
        g.writeStringField("onnx", a.onnx());
        g.writeStringField("tflite", a.tflite());
        writePermutation(g, "expected", a.expected());
        writePermutation(g, "observed", a.observed());
        g.writeStringField("description", a.description());
        g.writeEndObject();
    }

    private static LayoutAnomaly readLayoutAnomaly(JsonFields f) throws BadDocument {
        return new LayoutAnomaly(f.requiredText("onnx"), f.requiredText("tflite"), f.requiredAxes("expected", Permutation::of),
                f.requiredAxes("observed", Permutation::of), f.requiredText("description"));
    }

    private static void writeInstrumentation(JsonGenerator g, InstrumentationCheck i) throws IOException {
        g.writeStartObject();
        writeReal(g, "onnxMaxAbsDiff", i.onnxMaxAbsDiff());
        g.writeNumberField("tfliteMaxAbsDiff", i.tfliteMaxAbsDiff());
        g.writeBooleanField("identical", i.identical());
        g.writeStringField("note", i.note());
        if (i.memory() != null) {
            CaptureMemory m = i.memory();
            g.writeObjectFieldStart("memory");
            g.writeNumberField("budgetBytes", m.budgetBytes());
            g.writeStringField("budgetFrom", m.budgetFrom());
            if (m.estimatedBytes() == null) {
                g.writeNullField("estimatedBytes");
            } else {
                g.writeNumberField("estimatedBytes", m.estimatedBytes());
            }
            g.writeNumberField("passBytes", m.passBytes());
            g.writeNumberField("onnxPasses", m.onnxPasses());
            g.writeNumberField("tflitePasses", m.tflitePasses());
            g.writeNumberField("spilledBytes", m.spilledBytes());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static InstrumentationCheck readInstrumentation(JsonFields f) throws BadDocument {
        return new InstrumentationCheck(f.optionalReal("onnxMaxAbsDiff"), f.requiredReal("tfliteMaxAbsDiff"),
                f.requiredBoolean("identical"), f.requiredText("note"), f.optional("memory", ReportDocument::readMemory));
    }

    private static CaptureMemory readMemory(JsonFields f) throws BadDocument {
        return new CaptureMemory(f.requiredLong("budgetBytes"), f.requiredText("budgetFrom"),
                f.optionalLong("estimatedBytes"), f.requiredLong("passBytes"), f.requiredInt("onnxPasses"),
                f.requiredInt("tflitePasses"), f.requiredLong("spilledBytes"));
    }

    private static void writeTimings(JsonGenerator g, Timings t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("loadMs", t.loadMs());
        g.writeNumberField("onnxInferenceMs", t.onnxInferenceMs());
        g.writeNumberField("tfliteInferenceMs", t.tfliteInferenceMs());
        g.writeNumberField("compareMs", t.compareMs());
        g.writeNumberField("diagnosisMs", t.diagnosisMs());
        g.writeNumberField("totalMs", t.totalMs());
        g.writeEndObject();
    }

    private static Timings readTimings(JsonFields f) throws BadDocument {
        return new Timings(f.requiredReal("loadMs"), f.requiredReal("onnxInferenceMs"), f.requiredReal("tfliteInferenceMs"),
                f.requiredReal("compareMs"), orZero(f.optionalReal("diagnosisMs")), f.requiredReal("totalMs"));
    }

    /** A field added after reports were first written: 0 in older reports. */
    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    // ---- error metrics ------------------------------------------------------------------------------------

    private static void writeMetrics(JsonGenerator g, ErrorMetrics m) throws IOException {
        g.writeStartObject();
        g.writeNumberField("elementCount", m.elementCount());
        g.writeNumberField("finiteCount", m.finiteCount());
        g.writeNumberField("maxAbs", m.maxAbs());
        g.writeNumberField("meanAbs", m.meanAbs());
        g.writeNumberField("maxRel", m.maxRel());
        g.writeNumberField("rmse", m.rmse());
        g.writeNumberField("cosine", m.cosine());
        g.writeNumberField("sqnrDb", m.sqnrDb());
        g.writeNumberField("scale", m.scale());
        g.writeNumberField("normalizedMaxError", m.normalizedMaxError());
        writeRange(g, "reference", m.reference());
        writeRange(g, "candidate", m.candidate());
        g.writeNumberField("matchingNonFinite", m.matchingNonFinite());
        g.writeNumberField("nonFiniteMismatches", m.nonFiniteMismatches());
        g.writeNumberField("violations", m.violations());
        writeField(g, "worst", m.worst(), ReportDocument::writeWorst);
        ErrorHistogram h = m.histogram();
        g.writeObjectFieldStart("histogram");
        g.writeNumberField("zeros", h.zeros());
        g.writeNumberField("firstExponent", h.firstExponent());
        g.writeArrayFieldStart("counts");
        for (long count : h.counts()) {
            g.writeNumber(count);
        }
        g.writeEndArray();
        g.writeEndObject();
        writeField(g, "channels", m.channels(), ReportDocument::writeChannels);
        g.writeEndObject();
    }

    private static void writeChannels(JsonGenerator g, ChannelErrors c) throws IOException {
        g.writeStartObject();
        g.writeNumberField("axis", c.axis());
        g.writeNumberField("channels", c.channels());
        g.writeNumberField("channelsPerBin", c.channelsPerBin());
        g.writeArrayFieldStart("maxAbs");
        for (float v : c.maxAbs()) {
            g.writeNumber(v);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static ErrorMetrics readMetrics(JsonFields f) throws BadDocument {
        return new ErrorMetrics(f.requiredLong("elementCount"), f.requiredLong("finiteCount"), f.requiredReal("maxAbs"),
                f.requiredReal("meanAbs"), f.requiredReal("maxRel"), f.requiredReal("rmse"), f.requiredReal("cosine"),
                f.requiredReal("sqnrDb"), f.requiredReal("scale"), f.requiredReal("normalizedMaxError"),
                f.required("reference", ReportDocument::readRange), f.required("candidate", ReportDocument::readRange),
                f.requiredLong("matchingNonFinite"), f.requiredLong("nonFiniteMismatches"), f.requiredLong("violations"),
                f.optional("worst", ReportDocument::readWorst),
                f.required("histogram", h -> new ErrorHistogram(h.requiredLong("zeros"), h.requiredInt("firstExponent"),
                        h.requiredLongs("counts"))),
                f.optional("channels", c -> new ChannelErrors(c.requiredInt("axis"), c.requiredInt("channels"),
                        c.requiredInt("channelsPerBin"), c.requiredFloats("maxAbs"))));
    }

    private static void writeRange(JsonGenerator g, String name, ValueRange r) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeNumberField("min", r.min());
        g.writeNumberField("max", r.max());
        g.writeNumberField("nanCount", r.nanCount());
        g.writeNumberField("infCount", r.infCount());
        g.writeEndObject();
    }

    private static ValueRange readRange(JsonFields f) throws BadDocument {
        return new ValueRange(f.requiredReal("min"), f.requiredReal("max"), f.requiredLong("nanCount"),
                f.requiredLong("infCount"));
    }

    private static void writeWorst(JsonGenerator g, ElementPair w) throws IOException {
        g.writeStartObject();
        g.writeNumberField("referenceFlatIndex", w.referenceFlatIndex());
        writeInts(g, "referenceIndex", w.referenceIndex());
        g.writeNumberField("candidateFlatIndex", w.candidateFlatIndex());
        writeInts(g, "candidateIndex", w.candidateIndex());
        g.writeNumberField("referenceValue", w.referenceValue());
        g.writeNumberField("candidateValue", w.candidateValue());
        g.writeEndObject();
    }

    private static ElementPair readWorst(JsonFields f) throws BadDocument {
        return new ElementPair(f.requiredLong("referenceFlatIndex"), f.requiredInts("referenceIndex"),
                f.requiredLong("candidateFlatIndex"), f.requiredInts("candidateIndex"), (float) f.requiredReal("referenceValue"),
                (float) f.requiredReal("candidateValue"));
    }

    private static void writeSteps(JsonGenerator g, QuantizationSteps s) throws IOException {
        g.writeStartObject();
        g.writeStringField("quantization", s.quantization());
        g.writeNumberField("step", s.step());
        g.writeNumberField("maxAbsSteps", s.maxAbsSteps());
        g.writeNumberField("rmseSteps", s.rmseSteps());
        g.writeNumberField("clippedShare", s.clippedShare());
        g.writeEndObject();
    }

    private static QuantizationSteps readSteps(JsonFields f) throws BadDocument {
        return new QuantizationSteps(f.requiredText("quantization"), f.requiredReal("step"), f.requiredReal("maxAbsSteps"),
                f.requiredReal("rmseSteps"), f.requiredReal("clippedShare"));
    }

    // ---- values -------------------------------------------------------------------------------------------

    /** Writes one object of the document. */
    @FunctionalInterface
    private interface ObjectWriter<T> {
        void write(JsonGenerator g, T value) throws IOException;
    }

    /** The field {@code name}: {@code value} written by {@code writer}, or null. */
    private static <T> void writeField(JsonGenerator g, String name, T value, ObjectWriter<T> writer) throws IOException {
        g.writeFieldName(name);
        if (value == null) {
            g.writeNull();
        } else {
            writer.write(g, value);
        }
    }

    private static void writeShape(JsonGenerator g, String name, Shape shape) throws IOException {
        writeField(g, name, shape, (out, s) -> out.writeArray(s.dims(), 0, s.rank()));
    }

    private static void writePermutation(JsonGenerator g, String name, Permutation p) throws IOException {
        writeField(g, name, p, (out, axes) -> out.writeArray(axes.axes(), 0, axes.rank()));
    }

    private static void writeTexts(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private static void writeInts(JsonGenerator g, String name, List<Integer> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (int v : values) {
            g.writeNumber(v);
        }
        g.writeEndArray();
    }

    private static void writeInt(JsonGenerator g, String name, Integer value) throws IOException {
        writeField(g, name, value, (out, v) -> out.writeNumber(v));
    }

    /** A tensor's rule: its words under {@code rule}, and beside them the figures charts draw. */
    private static void writeRule(JsonGenerator g, AppliedRule rule) throws IOException {
        g.writeStringField("rule", rule.text());
        writeReal(g, "allowance", rule.allowance());
        writeReal(g, "tolerance", rule.tolerance());
    }

    /** Reports written before the figures were recorded have the words only. */
    private static AppliedRule readRule(JsonFields f) throws BadDocument {
        return new AppliedRule(f.requiredText("rule"), f.optionalReal("allowance"), f.optionalReal("tolerance"));
    }

    private static void writeReal(JsonGenerator g, String name, Double value) throws IOException {
        writeField(g, name, value, (out, v) -> out.writeNumber(v));
    }

    // ---- enum values as the documents name them -----------------------------------------------------------

    private static String verdictId(Verdict v) {
        return switch (v) {
            case PASS -> "pass";
            case FAIL -> "fail";
        };
    }

    private static String bindRuleId(BindRule r) {
        return switch (r) {
            case OVERRIDE -> "override";
            case EXACT_NAME -> "exact_name";
            case NORMALIZED_NAME -> "normalized_name";
            case SHAPE -> "shape";
            case VALUES -> "values";
            case ORDER -> "order";
            case SPLIT -> "split";
            case MERGED -> "merged";
            case UNBOUND -> "unbound";
        };
    }

    private static String dtypeId(DType t) {
        return switch (t) {
            case FLOAT32 -> "float32";
            case FLOAT16 -> "float16";
            case FLOAT64 -> "float64";
            case INT8 -> "int8";
            case UINT8 -> "uint8";
            case INT16 -> "int16";
            case INT32 -> "int32";
            case INT64 -> "int64";
            case BOOL -> "bool";
        };
    }

    private static String layoutKindId(TensorLayout.Kind k) {
        return switch (k) {
            case PERMUTED -> "permuted";
            case UNIT_AXES -> "unit_axes";
            case FLAT -> "flat";
        };
    }

    private static String unmatchedReasonId(UnmatchedReason r) {
        return switch (r) {
            case FUSED_INTO_NEIGHBOUR -> "fused_into_neighbour";
            case LAYOUT_ONLY -> "layout_only";
            case DUPLICATE_VALUES -> "duplicate_values";
            case CONSTANT_FOLDED -> "constant_folded";
            case CONVERTER_INSERTED -> "converter_inserted";
            case NO_COUNTERPART -> "no_counterpart";
        };
    }
}
