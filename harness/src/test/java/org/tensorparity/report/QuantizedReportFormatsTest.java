package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * The corpus's int8 YOLOX conversion (onnx-tf, then TFLiteConverter with int8 activations) in every
 * format: the precision and its profile are named, the layers that add the most quantization noise lead,
 * the clipping at the head's fixed [0, 1) range is a warning, and a detection-level check is shown beside
 * the tolerance. A float model's report has no quantization view.
 */
class QuantizedReportFormatsTest {
    private static final Path DIR = FixturePairs.scratch("quantized-formats");
    private static CliRun run;
    private static ParityReport report;

    @BeforeAll
    static void verifyTheInt8Yolox() throws Exception {
        Expectation pair = RealPairs.expectations().stream().filter(e -> e.name().equals("yolox-nano-int8"))
                .findFirst().orElseThrow();
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", pair.onnxPath().toString(), "--tflite",
                pair.tflitePath().toString(), "--check", "output=top-rows:10@4", "--json", json().toString(),
                "--html", DIR.resolve("r.html").toString(), "--markdown", DIR.resolve("r.md").toString(),
                "--junit", DIR.resolve("r.xml").toString()));
        argv.addAll(pair.resolvedArgs());
        run = CliRun.of(argv.toArray());
        report = new JsonReportReader().read(json());
    }

    private static Path json() {
        return DIR.resolve("r.json");
    }

    @Test
    void theTextSummaryNamesThePrecisionTheHotspotsAndTheCheck() {
        assertEquals(1, run.exitCode(), run::toString);
        String out = run.out();
        assertTrue(out.contains("precision  full integer (int8 weights and activations, float I/O); tolerance profile"
                + " integer (auto)"), out);
        int section = out.indexOf("where quantization hurts");
        assertTrue(section > 0, out);
        assertTrue(out.substring(section).lines().skip(1).findFirst().orElseThrow().contains("Concat -> CONCATENATION"),
                "the worst layer is one of the head's concatenations: " + out);
        assertTrue(out.contains("check top-rows:10@4: agrees"), out);
        // Before: "adds -6.66 (-17.7 dB -> -0.0 dB)", a negative addition and a negative zero.
        String hotspots = out.substring(section);
        assertFalse(hotspots.contains("adds -") || hotspots.contains("-0.0 dB"), hotspots);
        assertTrue(out.contains("clip more than 1% of the reference's values"), out);
    }

    @Test
    void theJsonListsHotspotsThatAddTheMostNoiseAndClip() {
        assertEquals("integer", report.precision().kind());
        assertEquals("integer", report.precision().toleranceProfile());
        assertFalse(report.noiseHotspots().isEmpty());
        double previous = Double.POSITIVE_INFINITY;
        for (int i : report.noiseHotspots()) {
            LayerResult l = report.layers().get(i);
            assertEquals(i, l.index());
            assertTrue(l.noise().added() <= previous, "worst first");
            previous = l.noise().added();
        }
        LayerResult worst = report.layers().get(report.noiseHotspots().get(0));
        assertEquals("CONCATENATION", worst.tfliteOp());
        assertTrue(worst.steps().clippedShare() > 0.01, () -> "clipped " + worst.steps().clippedShare());
        assertTrue(worst.noise().added() > 0.3 && worst.noise().inherited() < 0.01,
                () -> "the concatenation makes the error itself: " + worst.noise());
        long aboveOneStep = report.layers().stream().filter(l -> l.steps() != null)
                .filter(l -> l.steps().rmseSteps() > 1).count();
        assertTrue(aboveOneStep > 0, "the clipped tensors are judged in steps");
    }

    @Test
    void htmlLeadsWithWhereQuantizationHurts() throws Exception {
        String html = Files.readString(DIR.resolve("r.html"));
        int card = html.indexOf("id=\"quantization\"");
        assertTrue(card > 0);
        assertTrue(card < html.indexOf("id=\"outputs\""), "the main view for an integer model");
        String worst = report.layers().get(report.noiseHotspots().get(0)).onnx();
        assertTrue(html.indexOf(worst, card) > card, "lists the worst layer " + worst);

        String floatHtml = HtmlReportWriterTest.render(ReportRuns.fixture("detection-271-onnxtf"));
        assertFalse(floatHtml.contains("id=\"quantization\""), "a float model has no quantization view");
    }

    @Test
    void markdownAndJunitCarryThePrecisionAndTheCheck() throws Exception {
        String md = Files.readString(DIR.resolve("r.md"));
        assertTrue(md.contains("**Where quantization hurts**"), md);
        // The zero-width space keeps "@4" from reading as a mention on GitHub.
        assertTrue(md.contains("check top-rows:10@\u200B4: agrees"), md);
        String xml = Files.readString(DIR.resolve("r.xml"));
        assertTrue(xml.contains("name=\"tflite.precision\" value=\"integer\""), xml);
        assertTrue(xml.contains("name=\"tolerance.profile\" value=\"integer\""), xml);
    }
}
