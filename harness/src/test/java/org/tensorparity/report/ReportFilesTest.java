package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.BadInputException;
import org.tensorparity.result.ParityReport;
import org.tensorparity.testing.FixturePairs;

/** Every registered format is written from one set of destinations, JSON first, and named in its own words. */
class ReportFilesTest {

    @Test
    void everyFormatIsWrittenInRegistryOrder() throws Exception {
        ParityReport report = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        Path dir = FixturePairs.scratch("report-files");
        ReportFiles files = ReportFiles.inDirectory(dir, Path.of("pair.tflite"))
                .with(ReportFormat.JUNIT, dir.resolve("pair.xml"))
                .with(ReportFormat.MARKDOWN, dir.resolve("pair.md"))
                .with(ReportFormat.MODEL_EXPLORER, dir.resolve("explorer"));

        List<ReportFiles.Written> written = files.write(report);

        List<String> kinds = written.stream().map(ReportFiles.Written::kind).distinct().toList();
        assertEquals(Arrays.stream(ReportFormat.values()).map(ReportFormat::label).toList(), kinds);
        for (ReportFiles.Written w : written) {
            assertTrue(Files.size(w.file()) > 0, w.toString());
        }
        assertEquals(new JsonReportReader().read(dir.resolve("pair.json")).verdict(), report.verdict());
    }

    @Test
    void aFormatThatFailsLetsTheOthersFinishAndIsThrownAfterThem() throws Exception {
        ParityReport report = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        Path dir = FixturePairs.scratch("report-files-one-fails");
        Path notAFolder = dir.resolve("file");
        Files.writeString(notAFolder, "a file, not a folder");
        ReportFiles files = ReportFiles.inDirectory(dir, Path.of("pair.tflite"))
                .with(ReportFormat.MARKDOWN, dir.resolve("pair.md"))
                .with(ReportFormat.MODEL_EXPLORER, notAFolder);

        BadInputException e = assertThrows(BadInputException.class, () -> files.write(report));

        assertTrue(e.getMessage().contains(ReportFormat.MODEL_EXPLORER.description()), e.getMessage());
        assertEquals(report.verdict(), new JsonReportReader().read(dir.resolve("pair.json")).verdict());
        assertTrue(Files.readString(dir.resolve("pair.html")).endsWith("</html>\n"), "the HTML report is whole");
        assertTrue(Files.size(dir.resolve("pair.md")) > 0);
    }

    @Test
    void anUnwritableDestinationIsNamedAsItsFormat() {
        Path notAFolder = FixturePairs.scratch("report-files-blocked").resolve("file");
        BadInputException e = assertThrows(BadInputException.class, () -> {
            Files.writeString(notAFolder, "a file, not a folder");
            ReportFiles.none().with(ReportFormat.MODEL_EXPLORER, notAFolder).checkWritable();
        });
        assertTrue(e.getMessage().contains(ReportFormat.MODEL_EXPLORER.description()), e.getMessage());
    }
}
