package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.testing.FixturePairs;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * JUnit XML parsed back with a standard XML parser and checked against the structure CI reporters
 * (Jenkins, GitLab, GitHub actions) read: testsuites / testsuite (tests, failures, errors, time) /
 * testcase (classname, name, time) / failure (type, message, details).
 */
class JUnitXmlWriterTest {

    @Test
    void aSuitePerPairAndACasePerOutputAndLayerWithTheMetricsInEveryFailure() throws Exception {
        ParityReport failing = ReportRuns.fixture("template-127-onnxtf-conv-weight-early");
        ParityReport passing = ReportRuns.fixture("template-127-onnxtf");
        Document doc = parse(List.of(failing, passing));

        Element root = doc.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        List<Element> suites = children(root, "testsuite");
        assertEquals(2, suites.size(), "one testsuite per model pair");
        int expectedTests = 0;
        int expectedFailures = 0;
        for (int s = 0; s < 2; s++) {
            ParityReport r = s == 0 ? failing : passing;
            Element suite = suites.get(s);
            List<Element> cases = children(suite, "testcase");
            int failures = (int) (r.outputs().stream().filter(o -> o.verdict() == Verdict.FAIL).count()
                    + r.layers().stream().filter(l -> verdictOf(l) == Verdict.FAIL).count());
            assertEquals(r.outputs().size() + 1 + r.layers().size(), cases.size(), "outputs, the alignment, layers");
            assertEquals(Integer.toString(cases.size()), suite.getAttribute("tests"));
            assertEquals(Integer.toString(failures), suite.getAttribute("failures"));
            assertEquals("0", suite.getAttribute("errors"));
            assertTrue(suite.getAttribute("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"));
            Double.parseDouble(suite.getAttribute("time"));
            for (int i = 0; i < r.outputs().size(); i++) {
                OutputResult o = r.outputs().get(i);
                Element c = cases.get(i);
                assertTrue(c.getAttribute("classname").endsWith(".outputs"));
                assertEquals(o.onnx() + " -> " + o.tflite(), c.getAttribute("name"));
                assertFailure(c, o.verdict(), o.reason());
            }
            for (int i = 0; i < r.layers().size(); i++) {
                LayerResult l = r.layers().get(i);
                Element c = cases.get(r.outputs().size() + 1 + i);
                assertTrue(c.getAttribute("classname").endsWith(".layers"));
                assertTrue(c.getAttribute("name").endsWith(" " + l.onnx() + " -> " + l.tflite()));
                assertFailure(c, verdictOf(l), l.verdict() == Verdict.FAIL ? l.reason() : "it computes differently by itself");
            }
            expectedTests += cases.size();
            expectedFailures += failures;
        }
        assertEquals(Integer.toString(expectedTests), root.getAttribute("tests"));
        assertEquals(Integer.toString(expectedFailures), root.getAttribute("failures"));

        Element divergence = children(suites.get(0), "testcase").get(failing.outputs().size() + 1 + failing.firstDivergence().index());
        String details = children(divergence, "failure").get(0).getTextContent();
        assertTrue(children(divergence, "failure").get(0).getAttribute("message").contains("run alone its operators add "),
                "a failing layer says what its operators add by themselves");
        assertTrue(details.contains("max |a-b| 0.0393, scale 6.18, normalized 0.00636"), details);
        assertTrue(details.contains("worst: ONNX [0, 0, 50, 16] = 3.989703, TFLite [0, 50, 16, 0] = 4.0290313"), details);
    }

    @Test
    void hostileNamesStayWellFormedAndIntact() throws Exception {
        ParityReport r = ReportRuns.hostile();
        Document doc = parse(List.of(r));
        List<String> names = new ArrayList<>();
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            names.add(((Element) cases.item(i)).getAttribute("name"));
        }
        String divergence = r.firstDivergence().onnx() + " -> " + r.firstDivergence().tflite();
        assertTrue(names.stream().anyMatch(n -> n.endsWith(" " + divergence)), names::toString);
        // The bell character XML cannot carry is replaced; the rest of the name is as the model has it.
        String markup = HostileModels.MARKUP_NAME.replace('\u0007', '\uFFFD');
        assertTrue(names.stream().anyMatch(n -> n.startsWith(markup + " -> ")), names::toString);
    }

    /** A layer's case fails when the layer does, or when it computes differently by itself and so fails the run. */
    private static Verdict verdictOf(LayerResult l) {
        return l.isolated() != null && l.isolated().decisive() ? Verdict.FAIL : l.verdict();
    }

    private static void assertFailure(Element testcase, Verdict verdict, String reason) {
        List<Element> failures = children(testcase, "failure");
        if (verdict == Verdict.PASS) {
            assertEquals(0, failures.size());
            return;
        }
        assertEquals(1, failures.size());
        Element f = failures.get(0);
        assertTrue(f.getAttribute("message").startsWith(reason), f.getAttribute("message"));
        assertTrue(List.of("beyond tolerance", "shape mismatch", "layout anomaly", "computes differently by itself")
                .contains(f.getAttribute("type")), f.getAttribute("type"));
        assertTrue(f.getTextContent().contains("rule: "), f.getTextContent());
    }

    private static Document parse(List<ParityReport> reports) throws Exception {
        Path xml = FixturePairs.scratch("junit").resolve("parity.xml");
        new JUnitXmlWriter().write(reports, xml);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(xml.toFile());
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                out.add(e);
            }
        }
        return out;
    }
}
