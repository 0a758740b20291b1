package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.SuitePair;
import org.tensorparity.result.SuiteReport;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.ReportSchema;
import org.tensorparity.testing.ReportSchema.Kind;
import org.tensorparity.testing.ReportSchema.Violation;

/**
 * The published schemas (docs/schema) against what the writer produces, and the guard they are: a renamed field or
 * another schemaVersion no longer conforms. ReportSchemaExtension checks every report the other tests write.
 */
class ReportSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theSchemasAreDraft202012Schemas() throws Exception {
        // The meta-schema ships with the validator; nothing is fetched.
        var meta = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        for (String name : List.of("report.schema.json", "suite-report.schema.json")) {
            JsonNode schema = JSON.readTree(ReportSchema.FOLDER.resolve(name).toFile());
            assertEquals(List.of(), meta.validate(schema), name);
            assertEquals(ParityReport.SCHEMA_VERSION, schema.at("/properties/schemaVersion/const").asInt(), name);
        }
    }

    @Test
    void freshVerifyReportsConform() throws Exception {
        // A failing run with a root cause and isolated layers, and one with non-finite values.
        for (ParityReport report : List.of(ReportRuns.fixture("template-127-onnxtf-conv-weight-early"), ReportRuns.hostile())) {
            JsonNode written = written(report);
            assertEquals(Kind.REPORT, Kind.of(written));
            assertEquals(List.of(), ReportSchema.validate(Kind.REPORT, written), report.summary());
        }
    }

    @Test
    void aFreshSuiteReportConforms() throws Exception {
        JsonNode suite = writtenSuite();
        assertEquals(Kind.SUITE, Kind.of(suite));
        assertEquals(List.of(), ReportSchema.validate(Kind.SUITE, suite));
    }

    @Test
    void aRenamedFieldBreaksTheSchema() throws Exception {
        ObjectNode report = (ObjectNode) written(ReportRuns.fixture("template-127-onnxtf-conv-weight-early"));
        ObjectNode metrics = (ObjectNode) report.at("/layers/0/metrics");
        metrics.set("maxAbsolute", metrics.remove("maxAbs"));
        List<Violation> violations = ReportSchema.validate(Kind.REPORT, report);
        assertTrue(violations.contains(new Violation("/layers/0/metrics", "required property 'maxAbs' not found")),
                violations::toString);
        assertTrue(violations.contains(new Violation("/layers/0/metrics", "property 'maxAbsolute' is not defined in the"
                + " schema and the schema does not allow additional properties")), violations::toString);

        report.set("rootCause", report.remove("firstDivergence"));
        List<Violation> atTheTop = ReportSchema.validate(Kind.REPORT, report).stream().filter(v -> v.pointer().isEmpty())
                .toList();
        assertTrue(atTheTop.stream().anyMatch(v -> v.message().contains("'firstDivergence'"))
                && atTheTop.stream().anyMatch(v -> v.message().contains("'rootCause'")), atTheTop::toString);
    }

    @Test
    void aFieldRenamedInsideASuitesPairReportBreaksTheSuiteSchema() throws Exception {
        ObjectNode suite = (ObjectNode) writtenSuite();
        ObjectNode timings = (ObjectNode) suite.at("/pairs/0/report/timings");
        timings.set("total", timings.remove("totalMs"));
        List<Violation> violations = ReportSchema.validate(Kind.SUITE, suite);
        assertTrue(violations.contains(new Violation("/pairs/0/report/timings", "required property 'totalMs' not found")),
                violations::toString);
    }

    @Test
    void anotherSchemaVersionBreaksTheSchema() throws Exception {
        ObjectNode report = (ObjectNode) written(ReportRuns.fixture("template-127-onnxtf-conv-weight-early"));
        report.put("schemaVersion", ParityReport.SCHEMA_VERSION + 1);
        assertEquals(List.of(new Violation("/schemaVersion", "must be the constant value '1'")),
                ReportSchema.validate(Kind.REPORT, report));

        ObjectNode suite = (ObjectNode) writtenSuite();
        suite.put("schemaVersion", ParityReport.SCHEMA_VERSION + 1);
        assertEquals(List.of(new Violation("/schemaVersion", "must be the constant value '1'")),
                ReportSchema.validate(Kind.SUITE, suite));
    }

    @Test
    void enumsAreLowerCaseAndNonFiniteNumbersAreTheirStrings() throws Exception {
        ObjectNode report = (ObjectNode) written(ReportRuns.fixture("template-127-onnxtf-conv-weight-early"));
        ObjectNode metrics = (ObjectNode) report.at("/outputs/0/metrics");
        metrics.put("sqnrDb", "Infinity");
        metrics.put("cosine", "NaN");
        assertEquals(List.of(), ReportSchema.validate(Kind.REPORT, report), "non-finite numbers as strings");
        metrics.put("maxRel", "nan");
        report.put("verdict", "FAIL");
        List<String> pointers = ReportSchema.validate(Kind.REPORT, report).stream().map(Violation::pointer).toList();
        assertTrue(pointers.contains("/verdict") && pointers.contains("/outputs/0/metrics/maxRel"), pointers::toString);
    }

    /** {@code report} as the JSON writer writes it to a file. */
    private static JsonNode written(ParityReport report) throws Exception {
        Path file = FixturePairs.scratch("schema").resolve("report.json");
        new JsonReportWriter().write(report, file);
        return JSON.readTree(Files.readString(file));
    }

    /** A suite report of two real runs as the JSON writer writes it: a shard with a pair that ran and one that did not. */
    private static JsonNode writtenSuite() throws Exception {
        ParityReport ran = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        SuiteReport suite = new SuiteReport(ParityReport.SCHEMA_VERSION, "suite", Verdict.FAIL, "1 of 2 pairs fails.",
                "dasiamrpn.suite.yaml", "1/2", List.of(
                        SuitePair.verified("template-127", List.of(), ran),
                        new SuitePair("detection-271", List.of("r1_kernel <- template-127.r1_kernel_raw"), null,
                                "its input r1_kernel comes from template-127, which failed", 1)));
        Path file = FixturePairs.scratch("schema").resolve("suite.json");
        new JsonReportWriter().writeSuite(suite, file);
        return JSON.readTree(Files.readString(file));
    }
}
