package org.tensorparity.report;

import java.util.ArrayList;
import java.util.List;
import org.tensorparity.compare.ElementPair;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.ValueRange;
import org.tensorparity.result.IsolatedError;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;

/**
 * The drill-down of one compared tensor pair (an output or an aligned layer) for the HTML report: what was
 * compared, the verdict and why, the observed statistics, the worst element located in both layouts, the
 * value ranges of both sides, and the error histogram and per-channel chart.
 *
 * @param anchor the element id the tables and charts link to
 * @param kind {@code Output} or {@code Layer #12}
 * @param pairing how the two tensors were paired, in words
 * @param metrics the observed statistics; empty on a shape mismatch
 * @param worst the worst element, if any
 * @param ranges both sides' value ranges (reference first)
 * @param histogram the error histogram, when there are metrics
 * @param channels the per-channel chart, for tensors with a channel axis
 * @param evidence what supports a layer pairing (empty for outputs)
 * @param outcomes for outputs: how they fared over several input samples, and their task-level checks
 */
record TensorDrill(String anchor, String kind, NameText onnx, String onnxOp, NameText tflite, String tfliteOp,
        String onnxShape, String tfliteShape, String layout, String verdict, String verdictLabel, String rule,
        String reason, String pairing, List<HtmlReportView.Fact> metrics, List<Worst> worst, List<Range> ranges,
        List<HistogramChart> histogram, List<ChannelChart> channels, List<String> evidence, List<String> outcomes) {

    /** The worst element in both layouts. */
    record Worst(String referenceIndex, String candidateIndex, String referenceOffset, String candidateOffset,
            String referenceValue, String candidateValue, String difference) {
    }

    /** One side's values. */
    record Range(String side, String min, String max, String nanCount, String infCount) {
    }

    static TensorDrill ofOutput(String anchor, OutputResult o) {
        return of(anchor, "Output", NameText.whole(o.onnx()), "model output",
                NameText.whole(ModelNames.counterpart(o.tflite())), "model output",
                HtmlReportView.shapeText(o.onnxShape()), HtmlReportView.shapeText(o.tfliteShape()),
                HtmlReportView.layout(o.permutation()), o.verdict().id(), o.verdict().name(),
                o.rule().text(), o.reason(), "bound by " + o.bindRule().label(), o.metrics(), o.rule().allowance(), List.of(),
                OutputOutcomes.lines(o));
    }

    static TensorDrill ofLayer(String anchor, LayerResult l) {
        String pairing = switch (l.pairing()) {
            case "mapping" -> "paired by the mapping file";
            case "transpose" -> "a TFLite transpose of a paired tensor";
            default -> "aligned automatically";
        };
        return of(anchor, "Layer #" + l.index(), NameText.whole(l.onnx()), l.onnxOp(), NameText.whole(l.tflite()),
                l.tfliteOp(), HtmlReportView.shapeText(l.onnxShape()), HtmlReportView.shapeText(l.tfliteShape()),
                HtmlReportView.layout(l.permutation()), l.verdict().id(), l.verdict().name(),
                l.rule().text(), l.reason(), pairing + ", confidence " + NumberText.fixed(l.confidence(), 3),
                l.metrics(), l.rule().allowance(), l.evidence(), isolation(l));
    }

    /** What running the layer's ONNX operators alone on the TFLite values of their inputs showed. */
    private static List<String> isolation(LayerResult l) {
        IsolatedError alone = l.isolated();
        if (alone == null) {
            return List.of();
        }
        if (!alone.isolated()) {
            return List.of("Not run alone: " + alone.reason());
        }
        String ran = "Run alone (" + String.join(", ", alone.onnxOps()) + "; fed " + String.join(", ", alone.fedFrom())
                + "), its operators add " + NumberText.error(alone.metrics().normalizedMaxError()) + " of scale: "
                + alone.reason();
        List<String> lines = new ArrayList<>(List.of(ran));
        if (alone.weights() != null && !alone.weights().differs()) {
            lines.add("Stored weights checked: its " + alone.weights().describe() + ".");
        }
        if (alone.pairingInDoubt()) {
            lines.add("Not counted: the figure measures the pairing or what the operators were fed, not the"
                    + " operators.");
        }
        return lines;
    }

    private static TensorDrill of(String anchor, String kind, NameText onnx, String onnxOp, NameText tflite,
            String tfliteOp, String onnxShape, String tfliteShape, String layout, String verdict, String verdictLabel,
            String rule, String reason, String pairing, ErrorMetrics m, Double allowance, List<String> evidence,
            List<String> outcomes) {
        if (m == null) {
            return new TensorDrill(anchor, kind, onnx, onnxOp, tflite, tfliteOp, onnxShape, tfliteShape, layout, verdict,
                    verdictLabel, rule, reason, pairing, List.of(), List.of(), List.of(), List.of(), List.of(), evidence,
                    outcomes);
        }
        return new TensorDrill(anchor, kind, onnx, onnxOp, tflite, tfliteOp, onnxShape, tfliteShape, layout, verdict,
                verdictLabel, rule, reason, pairing, metrics(m, allowance),
                m.worst() == null ? List.of() : List.of(worst(m.worst())),
                List.of(range("ONNX (reference)", m.reference()), range("TFLite", m.candidate())),
                List.of(HistogramChart.of(m.histogram(), allowance)),
                m.channels() == null || m.channels().maxAbs().isEmpty() ? List.of()
                        : List.of(ChannelChart.of(m.channels(), allowance)),
                evidence, outcomes);
    }

    private static List<HtmlReportView.Fact> metrics(ErrorMetrics m, Double allowance) {
        List<HtmlReportView.Fact> f = new ArrayList<>();
        f.add(new HtmlReportView.Fact("max |a-b|", NumberText.error(m.maxAbs())));
        f.add(new HtmlReportView.Fact("scale (max |ref|)", NumberText.error(m.scale())));
        f.add(new HtmlReportView.Fact("normalized error", NumberText.error(m.normalizedMaxError())));
        if (allowance != null) {
            f.add(new HtmlReportView.Fact("allowed |a-b|", NumberText.error(allowance)));
        }
        f.add(new HtmlReportView.Fact("elements over", NumberText.count(m.violations()) + " of "
                + NumberText.count(m.elementCount())));
        f.add(new HtmlReportView.Fact("mean |a-b|", NumberText.error(m.meanAbs())));
        f.add(new HtmlReportView.Fact("rmse", NumberText.error(m.rmse())));
        f.add(new HtmlReportView.Fact("max relative", NumberText.error(m.maxRel())));
        f.add(new HtmlReportView.Fact("cosine", NumberText.cosine(m.cosine())));
        if (m.matchingNonFinite() > 0 || m.nonFiniteMismatches() > 0) {
            f.add(new HtmlReportView.Fact("NaN/Inf matching", NumberText.count(m.matchingNonFinite())));
            f.add(new HtmlReportView.Fact("NaN/Inf on one side", NumberText.count(m.nonFiniteMismatches())));
        }
        return f;
    }

    private static Worst worst(ElementPair p) {
        return new Worst(indexText(p.referenceIndex()), indexText(p.candidateIndex()),
                NumberText.count(p.referenceFlatIndex()), NumberText.count(p.candidateFlatIndex()),
                NumberText.value(p.referenceValue()), NumberText.value(p.candidateValue()),
                NumberText.error(p.absoluteError()));
    }

    private static Range range(String side, ValueRange r) {
        return new Range(side, NumberText.value(r.min()), NumberText.value(r.max()), NumberText.count(r.nanCount()),
                NumberText.count(r.infCount()));
    }

    private static String indexText(List<Integer> index) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < index.size(); k++) {
            sb.append(k == 0 ? "" : ",").append(index.get(k));
        }
        return sb.append(']').toString();
    }
}
