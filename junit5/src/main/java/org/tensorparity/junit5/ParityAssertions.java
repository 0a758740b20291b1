package org.tensorparity.junit5;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.opentest4j.AssertionFailedError;
import org.tensorparity.ParityException;
import org.tensorparity.api.ParityCheck;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.ParityReport;
import org.tensorparity.report.ReportFiles;
import org.tensorparity.report.ReportFormat;

/**
 * Gates a model conversion inside a JUnit 5 test:
 *
 * <pre>{@code
 * @Test
 * void templateBranchConvertsFaithfully() {
 *     assertParity(ParityCheck.of(Path.of("models/template.onnx"), Path.of("models/template.tflite")));
 * }
 * }</pre>
 *
 * <p>Every call writes the JSON, HTML and JUnit XML reports of the check into {@link #reportDirectory()},
 * named after the TFLite file (or the name given), pass or fail, so a CI job can keep them as artifacts.
 * A violated parity fails the test with an {@link AssertionFailedError} whose message is the report's
 * one-line summary, the first divergence and where the reports are. A run that cannot happen (a model
 * that does not load, an input file that cannot be read) fails it too, with the tool's one-line error.
 */
public final class ParityAssertions {
    /** System property that sets where reports go, e.g. {@code -Dtensorparity.reportDir=out/parity}. */
    public static final String REPORT_DIR_PROPERTY = "tensorparity.reportDir";

    private ParityAssertions() {
    }

    /** Runs {@code check} and fails unless parity holds; reports are named after its TFLite file. */
    public static ParityReport assertParity(ParityCheck check) {
        return assertParity(check, null);
    }

    /**
     * Runs {@code check} and fails unless parity holds; reports are {@code NAME.json}, {@code NAME.html} and
     * {@code NAME.xml} in {@link #reportDirectory()}.
     *
     * @param name the reports' base name, or null for the TFLite file's name
     * @return the report, for further assertions of the test's own
     */
    public static ParityReport assertParity(ParityCheck check, String name) {
        ParityReport report;
        ReportFiles files;
        try {
            files = name == null ? ReportFiles.inDirectory(reportDirectory(), check.tflite())
                    : ReportFiles.beside(reportDirectory().resolve(name + ".json"));
            files = files.with(ReportFormat.JUNIT, ReportFiles.sibling(files.destination(ReportFormat.JSON), ".xml"));
            files.checkWritable();
            report = check.run();
            files.write(report);
        } catch (ParityException e) {
            throw new AssertionFailedError("parity check could not run: " + e.getMessage(), e);
        }
        if (report.verdict() != Verdict.PASS) {
            throw new AssertionFailedError(failureMessage(report, files));
        }
        return report;
    }

    /**
     * Where reports go: the {@value #REPORT_DIR_PROPERTY} system property when set; else {@code build/parity-reports}
     * in a Gradle project (a {@code build.gradle} or {@code build.gradle.kts} in the working directory, which
     * Gradle sets to the project's); else {@code target/parity-reports}, Maven's output folder (Surefire runs
     * tests in the module's directory).
     */
    public static Path reportDirectory() {
        String configured = System.getProperty(REPORT_DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        boolean gradle = Files.exists(Path.of("build.gradle")) || Files.exists(Path.of("build.gradle.kts"));
        return Path.of(gradle ? "build" : "target", "parity-reports");
    }

    private static String failureMessage(ParityReport report, ReportFiles files) {
        StringBuilder message = new StringBuilder("parity violated: ").append(report.summary());
        FirstDivergence d = report.firstDivergence();
        if (d != null) {
            message.append(String.format(Locale.ROOT, "%nfirst divergence: %s (%s) <-> %s (%s): %s", d.onnx(), d.onnxOp(),
                    d.tflite(), d.tfliteOp(), d.reason()));
        }
        message.append(String.format(Locale.ROOT, "%nreports: %s", String.join(", ",
                files.destinations().values().stream().map(Path::toString).toList())));
        return message.toString();
    }
}
