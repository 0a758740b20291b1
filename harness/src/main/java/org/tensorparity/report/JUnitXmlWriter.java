package org.tensorparity.report;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.tensorparity.BadInputException;
import org.tensorparity.compare.ElementPair;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.IsolatedError;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.Provenance;
import org.tensorparity.result.VerdictRule;

/**
 * Reports as JUnit XML, the format Jenkins, GitLab and GitHub test reporters read: one
 * {@code <testsuite>} per model pair, one {@code <testcase>} per output and per aligned layer (and one
 * for the alignment itself), each failing one with a {@code <failure>} whose message is the reason and
 * whose body holds the metrics. A layer that computes differently by itself, and so fails the run, is a failure
 * of its own case. Layers that disagree without deciding the verdict (a run that passes, or one that fails only for
 * a layer that computes differently by itself, whose heirs merely inherit its error; see the report's {@code
 * layerPolicy}) are {@code <skipped>} with the reason as the message: reporters show them as warnings. Reporters
 * show a case as {@code classname} and {@code name}; the class names
 * are {@code tensor-parity.<pair>.outputs} and {@code tensor-parity.<pair>.layers}, and layer names start
 * with a zero-padded index, so cases sort in execution order.
 *
 * <p>Characters XML 1.0 cannot carry (control characters a model file may put in a name) are replaced by
 * U+FFFD; everything else is escaped by the XML writer.
 */
public final class JUnitXmlWriter {

    /** One test case: a pass, or a failure with its type, message and details. */
    private record Case(String className, String name, Verdict verdict, String type, String message, String details,
            boolean warning) {
    }

    public void write(ParityReport report, Path target) throws BadInputException {
        write(List.of(report), target);
    }

    /** One document for several runs (model pairs), one {@code <testsuite>} each. */
    public void write(List<ParityReport> reports, Path target) throws BadInputException {
        AtomicFileWriter.write(target, "JUnit XML", out -> {
            try {
                write(reports, out);
            } catch (XMLStreamException e) {
                throw new java.io.IOException(e.getMessage(), e);
            }
        });
    }

    void write(List<ParityReport> reports, OutputStream out) throws XMLStreamException {
        List<List<Case>> suites = reports.stream().map(JUnitXmlWriter::cases).toList();
        long tests = suites.stream().mapToLong(List::size).sum();
        long failures = suites.stream().flatMap(List::stream).filter(c -> c.verdict() == Verdict.FAIL && !c.warning()).count();
        double totalMs = reports.stream().mapToDouble(r -> r.timings().totalMs()).sum();

        XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, StandardCharsets.UTF_8.name());
        x.writeStartDocument(StandardCharsets.UTF_8.name(), "1.0");
        x.writeCharacters("\n");
        x.writeStartElement("testsuites");
        attribute(x, "name", "tensor-parity");
        attribute(x, "tests", Long.toString(tests));
        attribute(x, "failures", Long.toString(failures));
        attribute(x, "errors", "0");
        attribute(x, "time", seconds(totalMs));
        for (int i = 0; i < reports.size(); i++) {
            suite(x, reports.get(i), suites.get(i));
        }
        x.writeCharacters("\n");
        x.writeEndElement();
        x.writeCharacters("\n");
        x.writeEndDocument();
        x.flush();
        x.close();
    }

    private static List<Case> cases(ParityReport r) {
        String pair = ModelNames.pairName(r).replace('.', '_');
        List<Case> cases = new ArrayList<>();
        for (OutputResult o : r.outputs()) {
            StringBuilder details = new StringBuilder(details("output", o.onnx(), ModelNames.counterpart(o.tflite()),
                    String.valueOf(o.onnxShape()), String.valueOf(o.tfliteShape()), o.rule().text(), o.metrics()));
            OutputOutcomes.lines(o).forEach(line -> details.append(line).append('\n'));
            cases.add(new Case("tensor-parity." + pair + ".outputs", o.onnx() + " -> " + ModelNames.counterpart(o.tflite()), o.verdict(),
                    failureType(o.metrics(), o.reason()), o.reason(), details.toString(), false));
        }
        if (r.alignment() != null) {
            boolean warnOnly = r.verdict() == Verdict.PASS;
            String failure = r.alignment().failure();
            cases.add(new Case("tensor-parity." + pair + ".alignment", "the graphs align",
                    failure == null ? Verdict.PASS : Verdict.FAIL, "alignment", failure == null ? "" : failure,
                    r.alignment().pairs() + " pairs from " + r.alignment().onnxCandidates() + " ONNX and "
                            + r.alignment().tfliteCandidates() + " TFLite activations\n", warnOnly));
            // When only layers that compute differently by themselves fail the run, the layers that merely inherit
            // their error are warnings, as in a passing run.
            boolean onlyIsolated = r.failedBy().equals(List.of(VerdictRule.ISOLATED_LAYER));
            int width = Integer.toString(Math.max(0, r.layers().size() - 1)).length();
            for (LayerResult l : r.layers()) {
                String index = String.format(Locale.ROOT, "%0" + width + "d", l.index());
                boolean decisive = l.isolated() != null && l.isolated().decisive();
                Verdict verdict = decisive ? Verdict.FAIL : l.verdict();
                cases.add(new Case("tensor-parity." + pair + ".layers", index + " " + l.onnx() + " -> " + l.tflite(),
                        verdict, decisive && l.verdict() == Verdict.PASS ? "computes differently by itself"
                                : failureType(l.metrics(), l.reason()),
                        (decisive && l.verdict() == Verdict.PASS ? isolation(l).substring(2) : l.reason() + isolation(l))
                                + diagnosis(l),
                        details("layer " + l.index() + " (" + l.onnxOp() + " -> " + l.tfliteOp() + ")", l.onnx(),
                                l.tflite(), String.valueOf(l.onnxShape()), String.valueOf(l.tfliteShape()), l.rule().text(),
                                l.metrics()), warnOnly || (onlyIsolated && !decisive)));
            }
        }
        return cases;
    }

    /** For a diagnosed layer, "; " and its diagnosis; else empty. */
    private static String diagnosis(LayerResult l) {
        return l.diagnosis() == null ? "" : "; " + DiagnosisText.likelyCause(l.diagnosis());
    }

    /**
     * What running the layer's operators alone showed, for a failing layer's message, after "; "; empty when not
     * isolated or neither failing nor decisive.
     */
    private static String isolation(LayerResult l) {
        IsolatedError alone = l.isolated();
        if (alone == null || !alone.isolated() || (l.verdict() != Verdict.FAIL && !alone.decisive())) {
            return "";
        }
        if (alone.pairingInDoubt()) {
            return "; not counted alone: " + alone.reason();
        }
        String added = NumberText.error(alone.metrics().normalizedMaxError());
        if (alone.decisive()) {
            return "; it computes differently by itself: run alone its operators add " + added + " of scale ("
                    + alone.reason() + "; isolation rule " + alone.rule() + ")";
        }
        return alone.fails() ? "; run alone its operators add " + added + " of scale"
                : "; run alone its operators add only " + added + " of scale: the error is inherited";
    }

    private static void suite(XMLStreamWriter x, ParityReport r, List<Case> cases) throws XMLStreamException {
        long failures = cases.stream().filter(c -> c.verdict() == Verdict.FAIL && !c.warning()).count();
        long skipped = cases.stream().filter(c -> c.verdict() == Verdict.FAIL && c.warning()).count();
        x.writeCharacters("\n  ");
        x.writeStartElement("testsuite");
        attribute(x, "name", "tensor-parity: " + ModelNames.fileName(r.provenance().onnxModel().path()) + " vs "
                + ModelNames.fileName(r.provenance().tfliteModel().path()));
        attribute(x, "tests", Integer.toString(cases.size()));
        attribute(x, "failures", Long.toString(failures));
        attribute(x, "errors", "0");
        attribute(x, "skipped", Long.toString(skipped));
        attribute(x, "time", seconds(r.timings().totalMs()));
        attribute(x, "timestamp", timestamp(r.provenance().createdAt()));
        properties(x, r);
        for (Case c : cases) {
            x.writeCharacters("\n    ");
            x.writeStartElement("testcase");
            attribute(x, "classname", c.className());
            attribute(x, "name", c.name());
            attribute(x, "time", "0");
            if (c.verdict() == Verdict.FAIL && c.warning()) {
                x.writeCharacters("\n      ");
                x.writeStartElement("skipped");
                attribute(x, "message", "warning (this layer does not decide the verdict): " + c.message());
                x.writeEndElement();
                x.writeCharacters("\n    ");
            } else if (c.verdict() == Verdict.FAIL) {
                x.writeCharacters("\n      ");
                x.writeStartElement("failure");
                attribute(x, "type", c.type());
                attribute(x, "message", c.message());
                x.writeCharacters(text(c.details()));
                x.writeEndElement();
                x.writeCharacters("\n    ");
            }
            x.writeEndElement();
        }
        x.writeCharacters("\n    ");
        x.writeStartElement("system-out");
        StringBuilder systemOut = new StringBuilder(r.summary());
        r.warnings().forEach(w -> systemOut.append("\nwarning: ").append(w));
        x.writeCharacters(text(systemOut.toString()));
        x.writeEndElement();
        x.writeCharacters("\n  ");
        x.writeEndElement();
    }

    private static String seconds(double ms) {
        return String.format(Locale.ROOT, "%.3f", ms / 1000);
    }

    private static void properties(XMLStreamWriter x, ParityReport r) throws XMLStreamException {
        Provenance p = r.provenance();
        x.writeCharacters("\n    ");
        x.writeStartElement("properties");
        String[][] props = {
            {"onnx.path", p.onnxModel().path()},
            {"onnx.sha256", p.onnxModel().sha256()},
            {"tflite.path", p.tfliteModel().path()},
            {"tflite.sha256", p.tfliteModel().sha256()},
            {"onnx.runtime", p.onnxRuntime().runtime() + " " + p.onnxRuntime().version()},
            {"tflite.runtime", p.tfliteRuntime().runtime() + " " + p.tfliteRuntime().version()},
            {"seed", Long.toString(r.seed())},
            {"tflite.precision", r.precision().kind()},
            {"tolerance", r.tolerance()},
            {"tolerance.profile", r.precision().toleranceProfile()},
            {"verdict", r.verdict().id()},
            {"failedBy", String.join(",", r.failedBy().stream().map(VerdictRule::id).toList())},
            {"command", ShellQuoting.join(p.command())},
            {"rerun", ShellQuoting.join(p.rerun())},
            {"samples", Integer.toString(r.samples())},
            {"runId", p.runId() == null ? "" : p.runId()},
        };
        for (String[] prop : props) {
            x.writeCharacters("\n      ");
            x.writeEmptyElement("property");
            attribute(x, "name", prop[0]);
            attribute(x, "value", prop[1]);
        }
        x.writeCharacters("\n    ");
        x.writeEndElement();
    }

    private static String failureType(ErrorMetrics m, String reason) {
        if (m == null) {
            return "shape mismatch";
        }
        return reason.startsWith("layout anomaly") ? "layout anomaly" : "beyond tolerance";
    }

    private static String details(String what, String onnx, String tflite, String onnxShape, String tfliteShape,
            String rule, ErrorMetrics m) {
        StringBuilder sb = new StringBuilder();
        sb.append(what).append(": ONNX ").append(onnx).append(' ').append(onnxShape).append(" vs TFLite ").append(tflite)
                .append(' ').append(tfliteShape).append("\nrule: ").append(rule);
        if (m != null) {
            sb.append("\nmax |a-b| ").append(NumberText.error(m.maxAbs())).append(", scale ").append(NumberText.error(m.scale()))
                    .append(", normalized ").append(NumberText.error(m.normalizedMaxError())).append(", mean |a-b| ")
                    .append(NumberText.error(m.meanAbs())).append(", rmse ").append(NumberText.error(m.rmse()))
                    .append(", cosine ").append(NumberText.cosine(m.cosine()))
                    .append("\nelements over the tolerance: ").append(m.violations()).append(" of ").append(m.elementCount());
            ElementPair w = m.worst();
            if (w != null) {
                sb.append("\nworst: ONNX ").append(w.referenceIndex()).append(" = ").append(NumberText.value(w.referenceValue()))
                        .append(", TFLite ").append(w.candidateIndex()).append(" = ").append(NumberText.value(w.candidateValue()));
            }
        }
        return sb.append('\n').toString();
    }

    /** JUnit's timestamp: ISO 8601 to the second, without a zone ({@code 2026-11-26T04:58:11}). */
    private static String timestamp(String createdAt) {
        String t = createdAt.endsWith("Z") ? createdAt.substring(0, createdAt.length() - 1) : createdAt;
        int dot = t.indexOf('.');
        return dot > 0 ? t.substring(0, dot) : t;
    }

    private static void attribute(XMLStreamWriter x, String name, String value) throws XMLStreamException {
        x.writeAttribute(name, text(value));
    }

    /** {@code s} with every character XML 1.0 cannot carry replaced by U+FFFD. */
    static String text(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(allowedInXml(c) ? c : 0xFFFD));
        return sb.toString();
    }

    private static boolean allowedInXml(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }
}
