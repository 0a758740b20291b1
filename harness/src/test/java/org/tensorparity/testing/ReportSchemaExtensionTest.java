package org.tensorparity.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The suite-wide report check fails the test that writes a bad report, with the file, the JSON pointer and the
 * message, and spares exactly the files a test exempts. The tests it judges here are the nested classes below, run
 * by a launcher of their own (the build's test scan skips nested classes), with the suite's configuration.
 */
class ReportSchemaExtensionTest {

    @Test
    void aTestWritingABrokenReportFailsNamingTheFilePointerAndMessage() {
        Map<String, TestExecutionResult> results = run(WritesReports.class);
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("aConformingReport()").getStatus());
        String renamed = failure(results.get("aRenamedField()"));
        assertTrue(renamed.contains(TargetTempDirFactory.FOLDER.toString()) && renamed.contains("renamed.json breaks "
                + ReportSchema.REPORT_ID) && renamed.contains("/timings: required property 'totalMs' not found"), renamed);
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("anExemptRenamedField()").getStatus(),
                "@WritesInvalidReports spares the file it names");
        String truncated = failure(results.get("aTruncatedReport()"));
        assertTrue(truncated.contains("truncated.json is not JSON"), truncated);
    }

    @Test
    void aReportWrittenAfterAllFailsTheClass() {
        Map<String, TestExecutionResult> results = run(WritesAfterAll.class);
        assertEquals(TestExecutionResult.Status.SUCCESSFUL, results.get("aTest()").getStatus());
        String failure = failure(results.get(WritesAfterAll.class.getSimpleName()));
        assertTrue(failure.contains("after-all.json breaks " + ReportSchema.REPORT_ID) && failure.contains("/schemaVersion"),
                failure);
    }

    private static Map<String, TestExecutionResult> run(Class<?> testClass) {
        Map<String, TestExecutionResult> results = new HashMap<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(testClass)).build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        // Tests by method display name, classes by simple name.
                        results.put(test.getSource().filter(ClassSource.class::isInstance)
                                .map(s -> ((ClassSource) s).getJavaClass().getSimpleName()).orElse(test.getDisplayName()), result);
                    }
                });
        return results;
    }

    private static String failure(TestExecutionResult result) {
        assertEquals(TestExecutionResult.Status.FAILED, result.getStatus());
        return result.getThrowable().orElseThrow().getMessage();
    }

    /** A real report of the smallest fixture pair, as the tool writes it, to edit. */
    private static ObjectNode report() throws Exception {
        var pair = FixturePairs.pair("template-127-onnxtf");
        Path json = FixturePairs.scratch("extension").resolve("run.json");
        CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", json, "--outputs-only");
        return (ObjectNode) new ObjectMapper().readTree(json.toFile());
    }

    private static void renameTotalMs(ObjectNode report) {
        ObjectNode timings = (ObjectNode) report.get("timings");
        timings.set("total", timings.remove("totalMs"));
    }

    static class WritesReports {
        @TempDir
        Path dir;

        @Test
        void aConformingReport() throws Exception {
            Files.writeString(dir.resolve("conforming.json"), report().toPrettyString());
        }

        @Test
        void aRenamedField() throws Exception {
            ObjectNode report = report();
            renameTotalMs(report);
            Files.writeString(dir.resolve("renamed.json"), report.toPrettyString());
        }

        @Test
        @WritesInvalidReports(value = "renamed.json", reason = "the exemption under test")
        void anExemptRenamedField() throws Exception {
            aRenamedField();
        }

        @Test
        void aTruncatedReport() throws Exception {
            String json = report().toPrettyString();
            Files.writeString(dir.resolve("truncated.json"), json.substring(0, json.length() / 2));
        }
    }

    static class WritesAfterAll {
        @TempDir
        static Path dir;

        @Test
        void aTest() {
        }

        @AfterAll
        static void writeAReportOfAnotherVersion() throws Exception {
            ObjectNode report = report();
            report.put("schemaVersion", 2);
            Files.writeString(dir.resolve("after-all.json"), report.toPrettyString());
        }
    }
}
