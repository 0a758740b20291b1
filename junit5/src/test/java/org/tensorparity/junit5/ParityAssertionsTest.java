package org.tensorparity.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorparity.junit5.ParityAssertions.assertParity;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.tensorparity.api.ParityCheck;
import org.tensorparity.compare.Verdict;
import org.tensorparity.fixtures.catalog.FixtureCatalog;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.fixtures.catalog.FixtureWriter;
import org.tensorparity.result.ParityReport;

/** The assertion on real runtimes: a correct fixture pair passes, a broken one fails naming its broken layer. */
class ParityAssertionsTest {
    private static final double WIDTH = 0.125;
    private static final long SEED = 7;

    private static FixturePair correct;
    private static FixturePair broken;

    @TempDir
    Path reports;

    @BeforeAll
    static void writePairs(@TempDir Path models) throws IOException {
        correct = FixtureWriter.write(FixtureCatalog.byName("template-127-onnx2tf"), models, WIDTH, SEED);
        broken = FixtureWriter.write(FixtureCatalog.byName("detection-271-onnx2tf-kernel-view-nhwc"), models, WIDTH, SEED);
    }

    @BeforeEach
    void reportHere() {
        System.setProperty(ParityAssertions.REPORT_DIR_PROPERTY, reports.toString());
    }

    @AfterEach
    void reportDefault() {
        System.clearProperty(ParityAssertions.REPORT_DIR_PROPERTY);
    }

    @Test
    void aCorrectConversionPassesAndLeavesItsReports() {
        ParityReport report = assertParity(ParityCheck.of(correct.onnx(), correct.tflite()));
        assertEquals(Verdict.PASS, report.verdict());
        for (String file : new String[] {"template-127-onnx2tf.json", "template-127-onnx2tf.html", "template-127-onnx2tf.xml"}) {
            assertTrue(Files.isRegularFile(reports.resolve(file)), file + " written");
        }
    }

    @Test
    void aBrokenConversionFailsWithTheSummaryTheFirstDivergenceAndTheReports() throws IOException {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertParity(ParityCheck.of(broken.onnx(), broken.tflite()), "detection"));
        String[] lines = e.getMessage().split("\n");
        assertTrue(lines[0].startsWith("parity violated: "), e.getMessage());
        assertTrue(lines[1].startsWith("first divergence: " + broken.oracle().brokenOnnxTensor() + " ("), e.getMessage());
        assertTrue(lines[2].contains(reports.resolve("detection.json").toString()), e.getMessage());
        String junit = Files.readString(reports.resolve("detection.xml"));
        assertTrue(junit.contains("<failure"), "the JUnit report records the failure");
        assertTrue(Files.isRegularFile(reports.resolve("detection.html")));
    }

    @Test
    void aModelThatCannotBeReadFailsWithTheToolsOneLineError() {
        Path missing = reports.resolve("missing.onnx");
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertParity(ParityCheck.of(missing, correct.tflite())));
        assertTrue(e.getMessage().startsWith("parity check could not run: "), e.getMessage());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void withoutTheSystemPropertyReportsGoToMavensOutputFolder() {
        System.clearProperty(ParityAssertions.REPORT_DIR_PROPERTY);
        assertEquals(Path.of("target", "parity-reports"), ParityAssertions.reportDirectory());
    }
}
