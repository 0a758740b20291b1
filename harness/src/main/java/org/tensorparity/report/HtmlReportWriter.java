package org.tensorparity.report;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.MustacheException;
import com.samskivert.mustache.Template;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import org.tensorparity.BadInputException;
import org.tensorparity.result.ParityReport;

/**
 * Writes a {@link ParityReport} as one self-contained HTML file: verdict and story, outputs, the layer
 * table (search, filter, sort), error against depth, a drill-down per tensor (histogram, per-channel
 * errors, worst element, value ranges), alignment, and provenance with the command to rerun. Styles,
 * script and charts are inline; the page loads nothing, so it works from a CI artifact opened with
 * {@code file://}.
 *
 * <p>Every string from the report, names from model files included, goes through a Mustache template that
 * HTML-escapes by default. As a second line of defence the page carries a Content-Security-Policy that
 * allows no network access and runs only this tool's own script and style, identified by their hashes: even
 * an escaping mistake could not run an injected script or load anything.
 */
public final class HtmlReportWriter {
    private static final String RESOURCES = "/org/tensorparity/report/";
    private static final Template TEMPLATE = Mustache.compiler().withEscaper(new HtmlEscaper())
            .compile(resource("report.html.mustache"));
    private static final String STYLE = resource("report.css");
    private static final String SCRIPT = resource("report.js");
    private static final String CSP = "default-src 'none'; style-src '" + sha256(STYLE) + "'; script-src '"
            + sha256(SCRIPT) + "'; base-uri 'none'; form-action 'none'";

    /** Writes the report to {@code target} atomically: a failed write leaves no partial file behind. */
    public void write(ParityReport report, Path target) throws BadInputException {
        AtomicFileWriter.write(target, "HTML report", out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            render(report, w);
            w.flush();
        });
    }

    /** Renders the report into {@code out}. */
    public void render(ParityReport report, Writer out) throws IOException {
        HtmlReportView view = HtmlReportView.of(report);
        try {
            TEMPLATE.execute(view, Map.of("style", STYLE, "script", SCRIPT, "csp", CSP,
                    "stepChart", StepChart.of(report.steps())), out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (MustacheException e) {
            // JMustache wraps the writer's own failure (a full disk, a closed pipe); pass that on as I/O.
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReportWriter.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCES + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSP source expression that allows exactly this inline text. */
    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
