package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.BadInputException;
import org.tensorparity.result.ParityReport;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.WritesInvalidReports;

/** Reading JSON reports back: exact round trips of real runs, and one clear error for every bad file. */
class JsonReportReaderTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final JsonReportReader reader = new JsonReportReader();

    @Test
    void aReportReadsBackEqualToWhatWasWritten() throws Exception {
        for (ParityReport report : new ParityReport[] {ReportRuns.fixture("template-127-onnxtf-conv-weight-early"),
                ReportRuns.fixture("template-127-onnx2tf-same-padding"), ReportRuns.hostile()}) {
            Path json = FixturePairs.scratch("json").resolve("run.json");
            new JsonReportWriter().write(report, json);
            ParityReport back = reader.read(json);
            assertEquals(report, back, "every record, enum, shape, permutation and error profile survives");
        }
    }

    @Test
    void nonFiniteNumbersRoundTrip() throws Exception {
        String json = new JsonReportWriter().toJson(ReportRuns.fixture("template-127-onnxtf-conv-weight-early"))
                .replaceFirst("\"maxRel\" : [^,]+", "\"maxRel\" : \"NaN\"")
                .replaceFirst("\"scale\" : [^,]+", "\"scale\" : \"Infinity\"");
        ParityReport back = reader.read(write(json));
        assertTrue(back.outputs().stream().anyMatch(o -> Double.isNaN(o.metrics().maxRel())));
        assertTrue(back.outputs().stream().anyMatch(o -> o.metrics().scale() == Double.POSITIVE_INFINITY));
    }

    @Test
    @WritesInvalidReports(value = "r.json", reason = "a stub claiming schemaVersion 2, which must be refused unread")
    void aNewerSchemaVersionIsRefusedBeforeItsContentIsRead() throws Exception {
        Path json = write("{\"schemaVersion\": 2, \"verdict\": \"pass\", \"provenance\": {}, \"shape\": \"whatever\"}");
        BadInputException e = assertThrows(BadInputException.class, () -> reader.read(json));
        assertEquals(json + " has schemaVersion 2, newer than this tool reads (1); use a newer tensor-parity",
                e.getMessage());
    }

    @Test
    @WritesInvalidReports(value = "r.json", reason = "empty, truncated, mistyped and edited reports, each to be refused")
    void everyBadFileIsOneLineNamingIt() throws Exception {
        Path dir = FixturePairs.scratch("bad-json");
        assertBad(dir.resolve("missing.json"), ": no such file");
        assertBad(dir, ": cannot be read (it is a directory)");
        assertBad(write(""), " is not a tensor-parity report (no schemaVersion, verdict and provenance)");
        assertBad(write("{\"schemaVersion\": 1, \"pairs\": []}"), " is not a tensor-parity report");
        assertBad(write("[1, 2]"), " is not a tensor-parity report");
        assertBad(write("{\"schemaVersion\": \"1\", \"verdict\": \"pass\", \"provenance\": {}}"), " is not a tensor-parity report (schemaVersion \"1\")");
        assertBad(write("{\"schemaVersion\": 1, \"verdict\""), " is not a tensor-parity report (not JSON at line 1");
        String good = new JsonReportWriter().toJson(ReportRuns.fixture("template-127-onnxtf-conv-weight-early"));
        assertBad(write(good.substring(0, good.length() / 2)), " is not a tensor-parity report (not JSON at line ");
        assertBad(write(good.replaceFirst("\"verdict\" : \"fail\"", "\"verdict\" : \"maybe\"")),
                " is not a valid tensor-parity report at verdict: ");
        assertBad(write(good.replaceFirst("\"onnxShape\" : \\[", "\"onnxShape\" : [ -7,")),
                " is not a valid tensor-parity report at inputs[0].onnxShape: ");
        assertBad(write(good.replaceFirst("\"outputs\" : \\[", "\"outputs\" : null, \"x\" : [")),
                " is not a valid tensor-parity report");
    }

    /** A baseline written before precision, noise and TFLite order were recorded is still read and diffed. */
    @Test
    @WritesInvalidReports(value = "r.json", reason = "a report as written before precision, noise and TFLite order existed")
    void aReportWithoutTheQuantizationFieldsIsReadAndDiffedInOnnxOrder() throws Exception {
        ParityReport report = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        String old = new JsonReportWriter().toJson(report).replaceAll("\"tfliteOrder\" : -?\\d+,", "")
                .replaceFirst("\"noiseHotspots\" : \\[[^\\]]*\\],", "")
                .replaceFirst("(?s)\"precision\" : \\{.*?\\},", "");
        assertTrue(!old.contains("tfliteOrder") && !old.contains("noiseHotspots") && !old.contains("\"precision\""));
        ParityReport back = reader.read(write(old));
        assertEquals(org.tensorparity.result.PrecisionInfo.UNRECORDED, back.precision());
        assertTrue(back.noiseHotspots().isEmpty());
        assertTrue(back.layers().stream().allMatch(l -> l.tfliteOrder() == null));
        org.tensorparity.diff.RunDiff d = new org.tensorparity.diff.RunDiffer(0.25, 1e-5).diff(back, report);
        assertTrue(d.changes().stream().noneMatch(c -> c.ratio() != 1.0), "the same run");
        HtmlReportWriterTest.render(back);
    }

    @Test
    @WritesInvalidReports(value = "r.json", reason = "a report as written before isolation existed")
    void aReportWrittenBeforeIsolationIsReadRenderedAndDiffed() throws Exception {
        ParityReport report = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        ObjectNode tree = tree(report);
        tree.get("layers").forEach(l -> ((ObjectNode) l).remove("isolated"));
        ((ObjectNode) tree.get("firstDivergence")).remove(List.of("locatedBy", "addedError", "inherited"));
        tree.remove(List.of("isolationTolerance", "failedBy"));
        tree.put("layerPolicy", "warn");
        String old = MAPPER.writeValueAsString(tree);
        assertTrue(!old.contains("\"isolated\"") && !old.contains("locatedBy"));
        ParityReport back = reader.read(write(old));
        assertTrue(back.layers().stream().allMatch(l -> l.isolated() == null));
        assertTrue(back.firstDivergence().inherited().isEmpty());
        assertTrue(report.layers().stream().anyMatch(l -> l.isolated() != null), "the fresh run was isolated");
        HtmlReportWriterTest.render(back);
        new org.tensorparity.diff.RunDiffer(0.25, 1e-5).diff(back, report);
    }

    /** Every field added since schemaVersion 1 was published may be absent; every other field is required where it is. */
    @Test
    @WritesInvalidReports(value = "r.json", reason = "reports with fields removed, as older versions wrote them or damaged")
    void fieldsAddedSinceTheFirstVersionMayBeAbsentAndNoOtherMay() throws Exception {
        ParityReport report = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        ObjectNode tree = tree(report);
        tree.remove(List.of("precision", "noiseHotspots"));
        tree.get("inputs").forEach(i -> ((ObjectNode) i).remove("shapeOrigin"));
        tree.get("outputs").forEach(o -> ((ObjectNode) o).remove(List.of("samples", "checks")));
        tree.get("layers").forEach(l -> ((ObjectNode) l).remove(List.of("tfliteOrder",
                "onnxNode", "isolated")));
        ((ObjectNode) tree.get("firstDivergence")).remove(List.of("locatedBy", "addedError",
                "inherited"));
        ParityReport back = reader.read(write(MAPPER.writeValueAsString(tree)));
        assertEquals(report.layers().size(), back.layers().size());
        assertTrue(back.outputs().stream().allMatch(o -> o.samples() == null && o.checks().isEmpty()));
        assertTrue(back.layers().stream().allMatch(l -> l.onnxNode() == null && l.isolated() == null));

        ObjectNode damaged = tree(report);
        ((ObjectNode) damaged.get("layers").get(2).get("metrics")).remove("scale");
        assertBad(write(MAPPER.writeValueAsString(damaged)), " is not a valid tensor-parity report at layers[2].metrics.scale: missing");
        damaged = tree(report);
        ((ObjectNode) damaged.get("outputs").get(0)).put("reason", 7);
        assertBad(write(MAPPER.writeValueAsString(damaged)),
                " is not a valid tensor-parity report at outputs[0].reason: expected a string, found 7");
        damaged = tree(report);
        ((ObjectNode) damaged.get("unmatched").get(0)).put("reason", "folded");
        assertBad(write(MAPPER.writeValueAsString(damaged)), " is not a valid tensor-parity report at unmatched[0].reason: \"folded\""
                + " is not one of [fused_into_neighbour, layout_only, duplicate_values, constant_folded, converter_inserted,"
                + " no_counterpart]");
    }

    @Test
    void aHotspotThatIsNoLayerIsBadInput() throws Exception {
        String good = new JsonReportWriter().toJson(ReportRuns.fixture("template-127-onnxtf-conv-weight-early"));
        assertBad(write(good.replaceFirst("\"noiseHotspots\" : \\[[^\\]]*\\]", "\"noiseHotspots\" : [ 100000 ]")),
                " is not a valid tensor-parity report: noiseHotspots holds 100000, not an index into the ");
    }

    /** The report's JSON document as a tree to edit. */
    private static ObjectNode tree(ParityReport report) throws Exception {
        return (ObjectNode) MAPPER.readTree(new JsonReportWriter().toJson(report));
    }

    private void assertBad(Path file, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> reader.read(file), file::toString);
        assertTrue(e.getMessage().startsWith(file + expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    private static Path write(String content) throws Exception {
        return Files.writeString(FixturePairs.scratch("json").resolve("r.json"), content);
    }
}
