package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tensorparity.BadInputException;
import org.tensorparity.compare.ScaleRule;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.RunSetup;
import org.tensorparity.run.ParityVerifier;
import org.tensorparity.run.VerifyRequest;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.text.ShortName;

/** The HTML report of real runs, read as text: content, links, escaping, self-containment, atomic writes. */
class HtmlReportWriterTest {

    @Test
    void aFailingRunShowsVerdictStoryEveryLayerAndTheFirstDivergence() throws IOException {
        ParityReport report = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        String html = render(report);

        assertTrue(html.contains("<div class=\"badge\" id=\"verdict\">FAIL</div>"));
        assertTrue(html.contains(escaped(report.summary())), "the one-sentence story");
        int first = report.firstDivergence().index();
        List<String> rows = matches(html, "<tr class=\"(?:pass|fail)(?: first)?\" data-target=\"layer-(\\d+)\"");
        assertEquals(report.layers().size(), rows.size(), "one row per aligned layer");
        assertEquals(1, count(html, "<tr class=\"fail first\" data-target=\"layer-" + first + "\""),
                "the first divergence's row is highlighted");
        assertTrue(html.contains("<a class=\"jump\" href=\"#layer-" + first + "\">"), "and linked from the summary card");
        for (LayerResult l : report.layers()) {
            assertEquals(1, count(html, "<section class=\"drill\" id=\"layer-" + l.index() + "\""), "a drill-down per layer");
        }
        assertEquals(report.outputs().size(), count(html, "<section class=\"drill\" id=\"output-"));
        assertTrue(html.contains(escaped(ShellQuoting.join(report.provenance().command()))), "the rerun command");
        assertTrue(html.contains(report.provenance().onnxModel().sha256()));
        assertTrue(html.contains("class=\"chart depth\""), "the error-vs-depth chart");
        assertTrue(html.contains("<path class=\"line isolated\""), "with the line of the error each layer adds by itself");
        assertEquals(report.layers().size(), count(html, " data-isolated=\""), "an isolated-error cell per layer");
        assertTrue(html.contains("The root cause: its operators, run alone"), "the first divergence says what isolation found");
        assertTrue(html.contains("<li>Run alone ("), "and the drill-downs what each layer's operators added alone");
        assertTrue(html.contains("Largest |a-b| per channel"));
        assertTrue(html.contains("worst channel 0:"), "the broken output channel (0) is named in the drill-down");
    }

    @Test
    void hostileTensorNamesAreTextNeverMarkup() throws IOException {
        ParityReport report = ReportRuns.hostile();
        assertTrue(report.layers().stream().anyMatch(l -> l.onnx().equals(HostileModels.SCRIPT_NAME)),
                "the renamed tensor is one of the aligned layers");
        assertEquals(HostileModels.SCRIPT_NAME, report.firstDivergence().onnx());
        String html = render(report);

        assertFalse(html.contains("<img"), "no model-derived tag survives");
        assertFalse(html.contains("</td>\u0007"));
        assertTrue(html.contains("&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;"), "the name is shown, escaped");
        // Outside the tool's own script and style, every tag is one of the template's.
        String body = html.replaceAll("(?s)<script>.*?</script>", "").replaceAll("(?s)<style>.*?</style>", "");
        for (String tag : matches(body, "<([a-zA-Z][a-zA-Z0-9]*)")) {
            assertTrue(TEMPLATE_TAGS.contains(tag), "unexpected element <" + tag + ">");
        }
    }

    @Test
    void tablesCutLongNamesInTheMiddleAndBreakThemOnlyBetweenTheirParts() throws IOException {
        ParityReport report = ReportRuns.realPair("ultraface-slim320");
        LayerResult fused = report.layers().stream().max(Comparator.comparingInt(l -> l.tflite().length())).orElseThrow();
        assertTrue(fused.tflite().length() > 500, "Keras fuses a dozen scopes into one TFLite name: " + fused.tflite());
        String html = render(report);

        String row = between(html, "data-target=\"layer-" + fused.index() + "\"", "</tr>");
        String cell = between(row, "<span class=\"mono name\" title=\"" + escaped(fused.tflite()) + "\">", "</span>");
        String shown = ShortName.of(fused.tflite(), HtmlReportView.TABLE_NAME_WIDTH, "…");
        assertTrue(shown.length() < fused.tflite().length() / 5, shown);
        assertEquals(escaped(shown), cell.replace("<wbr>", ""), "the table shows the name cut as every format cuts it");
        String[] parts = cell.split("<wbr>");
        assertTrue(parts.length > 1, cell);
        for (int i = 0; i < parts.length - 1; i++) {
            assertTrue(parts[i].endsWith("/") || parts[i].endsWith(";") || parts[i].endsWith("…"),
                    "a line may break only after a / or ; or the cut: " + parts[i]);
        }
        assertTrue(row.contains(" data-tflite=\"" + escaped(fused.tflite()) + "\""), "the full name stays on the row");
        String drill = between(html, "<section class=\"drill\" id=\"layer-" + fused.index() + "\"", "</section>");
        assertTrue(between(drill, "<span class=\"side\">TFLite</span><code>", "</code>").replace("<wbr>", "")
                .equals(escaped(fused.tflite())), "the details show it whole");
    }

    @Test
    void thePageLoadsNothingAndRunsOnlyItsOwnScript() throws Exception {
        String html = render(ReportRuns.fixture("template-127-onnxtf-conv-weight-early"));
        for (String link : matches(html, "(?:href|src|action|xlink:href)=\"([^\"]*)\"")) {
            assertTrue(link.startsWith("#"), "only in-page links: " + link);
        }
        assertFalse(html.contains("url("), "no CSS fetches");
        assertFalse(html.contains("@import"));
        Matcher csp = Pattern.compile("<meta http-equiv=\"Content-Security-Policy\" content=\"([^\"]+)\">").matcher(html);
        assertTrue(csp.find());
        String policy = csp.group(1).replace("&#39;", "'").replace("&#x3D;", "=");
        assertTrue(policy.startsWith("default-src 'none';"), policy);
        String script = between(html, "<script>", "</script>");
        String style = between(html, "<style>", "</style>");
        assertTrue(policy.contains("script-src 'sha256-" + sha256(script) + "'"), "the policy allows exactly the inline script");
        assertTrue(policy.contains("style-src 'sha256-" + sha256(style) + "'"));
        assertEquals(1, count(html, "<script"), "one script element");
        assertFalse(Pattern.compile("\\son[a-z]+=").matcher(html).find(), "no inline event handlers");
        assertFalse(html.contains(" style=\""), "no style attributes, which the policy would block");
    }

    @Test
    void theTemplateLeavesOnlyTheToolsOwnResourcesUnescaped() throws IOException {
        String template;
        try (InputStream in = HtmlReportWriter.class.getResourceAsStream("report.html.mustache")) {
            assertNotNull(in);
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(List.of("style", "script"), matches(template, "\\{\\{\\{\\s*([^}]*?)\\s*\\}\\}\\}"));
        assertFalse(template.contains("{{&"), "no other unescaped form");
        assertFalse(Pattern.compile("<script>[^{]*\\{\\{[^{]").matcher(template).find(), "no value inside the script");
    }

    @Test
    void aPassingRunAndAnOutputsOnlyRunRenderToo() throws IOException {
        ParityReport pass = ReportRuns.fixture("template-127-onnxtf");
        assertEquals(Verdict.PASS, pass.verdict());
        String html = render(pass);
        assertTrue(html.contains("id=\"verdict\">PASS</div>"));
        assertFalse(html.contains("id=\"divergence\""));
        RunSetup setup = pass.setup();
        ParityReport outputsOnly = new ParityReport(pass.schemaVersion(), pass.decision(), new RunSetup(
                setup.provenance(), setup.seed(), setup.samples(), setup.precision(), setup.tolerance(), null, null),
                pass.inputs(), pass.outputs(), null, null, pass.timings());
        String plain = render(outputsOnly);
        assertFalse(plain.contains("id=\"layer-table\""));
        assertTrue(plain.contains("not compared (--outputs-only)"));
    }

    @Test
    void aFailedWriteLeavesNoFileBehind() throws Exception {
        ParityReport report = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        Path dir = FixturePairs.scratch("html-write");
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        BadInputException e = assertThrows(BadInputException.class,
                () -> new HtmlReportWriter().write(report, notADirectory.resolve("report.html")));
        assertTrue(e.getMessage().startsWith("cannot write HTML report "), e.getMessage());

        Path target = dir.resolve("report.html");
        new HtmlReportWriter().write(report, target);
        assertTrue(Files.size(target) > 10_000);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("file", "report.html"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary file is left");
        }
    }

    @Test
    void aWriterThatFailsMidWayIsAnIoErrorNotAnInternalOne() {
        ParityReport report = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        // What a full disk does: the first few kilobytes go through, then every write fails.
        Writer fillsUp = new Writer() {
            private int written;

            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                written += len;
                if (written > 4096) {
                    throw new IOException("No space left on device");
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        IOException e = assertThrows(IOException.class, () -> new HtmlReportWriter().render(report, fillsUp));
        assertEquals("No space left on device", e.getMessage());
    }

    /** The elements report.html.mustache writes; anything else would have come from a model. */
    private static final List<String> TEMPLATE_TAGS = List.of("html", "head", "meta", "title", "body", "header", "div",
            "h1", "h2", "h3", "h4", "p", "main", "dl", "dt", "dd", "nav", "a", "section", "code", "strong", "table",
            "thead", "tbody", "tr", "th", "td", "span", "svg", "g", "line", "text", "path", "circle", "input",
            "label", "ul", "li", "pre", "b", "footer", "wbr", "details", "summary");

    @Test
    void aRuleOfNoNamedProfileStillDrawsEveryElementsAllowance() throws Exception {
        // Before, the drill-downs found the allowance by matching a rule's words with a named profile's, so the rule
        // of --tolerance scale:0.02 drew no allowance line at all.
        var pair = FixturePairs.pair("template-127-onnxtf-conv-weight-early");
        ParityReport report = new ParityVerifier().verify(VerifyRequest.of(pair.onnx(), pair.tflite())
                .tolerances(Tolerances.both(ToleranceRule.scale(0.02))).invocation(List.of("test"), List.of()).build());
        LayerResult layer = report.layers().get(0);
        assertEquals(0.02 * layer.metrics().scale() + ScaleRule.DEFAULT_FLOOR, layer.rule().allowance(), 1e-12);
        assertEquals(0.02, layer.rule().tolerance());
        String html = render(report);
        String drill = html.substring(html.indexOf("<section class=\"drill\" id=\"layer-" + layer.index() + "\""));
        drill = drill.substring(0, drill.indexOf("</section>"));
        assertTrue(drill.contains("<line class=\"tolerance\""), "the allowance drawn in the layer's charts");
    }

    static String render(ParityReport report) throws IOException {
        StringWriter out = new StringWriter();
        new HtmlReportWriter().render(report, out);
        return out.toString();
    }

    /** {@code s} as the template engine escapes it. */
    private static String escaped(String s) {
        return s.replace("&", "&amp;").replace("'", "&#39;").replace("\"", "&quot;").replace("<", "&lt;")
                .replace(">", "&gt;").replace("`", "&#x60;").replace("=", "&#x3D;");
    }

    /** Group 1 of every match of {@code regex}. */
    private static List<String> matches(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        List<String> out = new ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    private static String between(String s, String open, String close) {
        int from = s.indexOf(open) + open.length();
        return s.substring(from, s.indexOf(close, from));
    }

    private static String sha256(String text) throws Exception {
        return Base64.getEncoder().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
