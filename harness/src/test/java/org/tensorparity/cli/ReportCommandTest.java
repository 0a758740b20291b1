package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.WritesInvalidReports;

/** {@code verify}'s report files and {@code parity report}, end to end through the command line. */
class ReportCommandTest {

    @Test
    void verifyWritesTheHtmlNextToTheJsonAndTheCiFormatsOnRequest() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnxtf-conv-weight-early");
        Path dir = FixturePairs.scratch("formats");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", dir.resolve("run.json"),
                "--junit", dir.resolve("ci/run.xml"), "--markdown", dir.resolve("ci/run.md"));
        assertEquals(1, run.exitCode(), run::toString);
        assertTrue(run.out().contains("report: " + dir.resolve("run.json") + "\nhtml: " + dir.resolve("run.html")
                + "\njunit: " + dir.resolve("ci/run.xml") + "\nmarkdown: " + dir.resolve("ci/run.md") + "\n"), run::toString);
        assertTrue(Files.readString(dir.resolve("run.html")).contains("id=\"verdict\">FAIL<"));
        assertTrue(Files.readString(dir.resolve("ci/run.xml")).contains("<testsuites"));
        assertTrue(Files.readString(dir.resolve("ci/run.md")).startsWith("### tensor-parity: FAIL"));

        Path html = dir.resolve("elsewhere.html");
        CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", dir.resolve("second.json"),
                "--html", html, "--outputs-only");
        assertTrue(Files.exists(html));
        assertFalse(Files.exists(dir.resolve("second.html")), "--html replaces the default place");
    }

    @Test
    void reportRerendersFromJsonAloneIdenticallyToVerify() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnxtf-conv-weight-early");
        Path dir = FixturePairs.scratch("rerender");
        Path json = dir.resolve("run.json");
        CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", json);
        String written = Files.readString(dir.resolve("run.html"));
        Files.delete(dir.resolve("run.html"));

        CliRun run = CliRun.of("report", json);
        assertEquals(0, run.exitCode(), run::toString);
        assertEquals("html: " + dir.resolve("run.html") + "\n", run.out());
        assertEquals(written, Files.readString(dir.resolve("run.html")), "the same page, from the JSON alone");

        CliRun ci = CliRun.of("report", json, "--junit", dir.resolve("run.xml"), "--markdown", dir.resolve("run.md"));
        assertEquals(0, ci.exitCode(), ci::toString);
        assertEquals("junit: " + dir.resolve("run.xml") + "\nmarkdown: " + dir.resolve("run.md") + "\n", ci.out());
    }

    @Test
    @WritesInvalidReports(value = "newer.json", reason = "a stub claiming schemaVersion 9, which report must refuse")
    void badReportsAreOneLineAndExitTwo() throws Exception {
        Path dir = FixturePairs.scratch("report-bad");
        Path notAReport = Files.writeString(dir.resolve("mapping.json"), "{\"schemaVersion\": 1, \"pairs\": []}");
        Path newer = Files.writeString(dir.resolve("newer.json"), "{\"schemaVersion\": 9, \"verdict\": \"pass\", \"provenance\": {}}");
        assertOneLine(CliRun.of("report", dir.resolve("missing.json")), dir.resolve("missing.json") + ": no such file");
        assertOneLine(CliRun.of("report", notAReport), notAReport + " is not a tensor-parity report");
        assertOneLine(CliRun.of("report", newer), newer + " has schemaVersion 9, newer than this tool reads (1)");
        assertOneLine(CliRun.of("report", dir), dir + ": cannot be read (it is a directory)");
    }

    @Test
    void anUnwritableTargetLeavesNoHalfWrittenFile() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnxtf");
        Path dir = FixturePairs.scratch("report-unwritable");
        Path json = dir.resolve("run.json");
        CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", json, "--outputs-only");
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        CliRun run = CliRun.of("report", json, "--html", file.resolve("run.html"));
        assertOneLine(run, "cannot write HTML report " + file.resolve("run.html"));
        CliRun existingDir = CliRun.of("report", json, "--markdown", dir);
        assertOneLine(existingDir, "cannot write Markdown summary " + dir + ": it is a directory");
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("plain-file", "run.html", "run.json"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    private static void assertOneLine(CliRun run, String expected) {
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.errLines().get(0).startsWith("parity: error: " + expected), run::toString);
        assertEquals("", run.out(), run::toString);
    }
}
