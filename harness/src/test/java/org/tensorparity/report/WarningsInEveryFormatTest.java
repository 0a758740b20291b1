package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.AppliedRule;
import org.tensorparity.result.Decision;
import org.tensorparity.result.LayerFindings;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.SampleSummary;
import org.tensorparity.tensor.Shape;

/**
 * A run that passes while a layer disagrees shows that as a warning in every format, and JUnit reporters
 * do not count it as a failure; an ONNX output without a TFLite counterpart renders everywhere.
 */
class WarningsInEveryFormatTest {
    private static final String WARNING = "1 of 17 aligned layers disagree beyond the layer tolerance";

    /** A passing report with one failing layer, one warning, and an output the TFLite model lacks. */
    private static ParityReport passingWithADisagreeingLayer() {
        ParityReport r = ReportRuns.fixture("detection-271-onnxtf");
        List<LayerResult> layers = new ArrayList<>(r.layers());
        LayerResult l = layers.get(0);
        layers.set(0, new LayerResult(l.index(), l.tfliteOrder(), l.onnxNode(), l.onnx(), l.tflite(), l.onnxOp(), l.tfliteOp(), l.onnxShape(),
                l.tfliteShape(), l.permutation(), l.layoutKind(), l.confidence(), l.evidence(), l.pairing(), l.agreement(),
                Verdict.FAIL, l.rule(), "max |a-b| 1 > 0.005 x scale 1", l.metrics(), l.steps(), l.noise(), l.isolated(), null));
        List<OutputResult> outputs = new ArrayList<>(r.outputs());
        outputs.add(new OutputResult("extra", null, org.tensorparity.bind.BindRule.UNBOUND, Shape.of(1, 4), null, null, Verdict.FAIL, AppliedRule.NONE,
                "no TFLite output corresponds to it", null, new SampleSummary(1, 0, 1, Double.NaN, Double.NaN), List.of(), null));
        LayerFindings f = r.layerFindings();
        return new ParityReport(r.schemaVersion(), new Decision(Verdict.PASS, r.summary(), r.layerPolicy(), Verdict.FAIL,
                r.failedBy(), List.of(WARNING)), r.setup(), r.inputs(), outputs, new LayerFindings(f.alignment(), layers,
                f.noiseHotspots(), f.firstDivergence(), f.unmatched(), f.layoutAnomalies()), r.instrumentation(),
                r.timings());
    }

    @Test
    void everyFormatShowsTheWarningAndRendersAMissingCounterpart() throws Exception {
        ParityReport r = passingWithADisagreeingLayer();
        String html = HtmlReportWriterTest.render(r);
        assertTrue(html.indexOf("id=\"warnings\"") < html.indexOf("id=\"outputs\""), "warnings come before the tables");
        assertTrue(html.contains(WARNING));
        assertTrue(new MarkdownSummaryWriter().render(r).contains("**Warning:** " + WARNING));
        StringWriter text = new StringWriter();
        new TextSummaryWriter().write(r, new PrintWriter(text, true));
        assertTrue(text.toString().contains("warning: " + WARNING), text::toString);
        assertTrue(text.toString().contains("extra"), text::toString);
        assertTrue(new JsonReportWriter().toJson(r).contains("\"layerVerdict\" : \"fail\""));
    }

    @Test
    void junitReportersSeeTheDisagreeingLayerAsSkippedNotFailed() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JUnitXmlWriter().write(List.of(passingWithADisagreeingLayer()), out);
        String xml = out.toString(StandardCharsets.UTF_8);
        assertTrue(xml.contains("<skipped message=\"warning (this layer does not decide the verdict): max |a-b| 1"), xml);
        // The missing output is a failure of its own.
        assertTrue(xml.contains("failures=\"1\""), xml);
        assertEquals(1, xml.split("<failure ", -1).length - 1, xml);
    }
}
