package org.tensorparity.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tensorparity.BadInputException;
import org.tensorparity.compare.DiagnosisKind;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.Diagnosis;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.InputRecord;
import org.tensorparity.result.IsolatedError;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.ParityReport;

/**
 * Writes a report's per-layer errors as custom node data for Google's Model Explorer, which overlays them
 * on the graph of either model: load the ONNX or the TFLite model, then the matching file under "Node data".
 *
 * <p>Each file is Model Explorer's single-graph node data ({@code GraphNodeData}): {@code {"name", "results":
 * {KEY: {"value", "bgColor"}}}}. The value is a layer's normalized max error, {@code max|a-b| / max|reference|}
 * (non-finite errors as the strings {@code "NaN"}, {@code "Infinity"}); the colour is its verdict. Keys are what
 * Model Explorer's adapters match: for the TFLite graph the output tensor name (the built-in adapter resolves it
 * to the operator that writes it), for the ONNX graph the producing node's name (model-explorer-onnx's node
 * id) or {@code [value] NAME} for a model input. ONNX nodes without a name cannot be keyed: the adapter names
 * them itself, and they are left out. A run whose root cause is diagnosed also gets a file per graph that labels that
 * node with the diagnosis in words ({@code "layout: ..."}).
 */
public final class ModelExplorerWriter {
    /** Model Explorer paints a node with its result's background; these read as pass, fail and unsure. */
    static final String PASS_COLOR = "#a5d6a7";
    static final String FAIL_COLOR = "#ef9a9a";
    static final String IN_DOUBT_COLOR = "#e0e0e0";

    private static final JsonFactory JSON = new JsonFactory();

    /** Which error a file holds. */
    enum Measure {
        /** The error a layer carries, everything upstream included. */
        ACCUMULATED,
        /** The error a layer's operators add by themselves (see {@code --isolate}). */
        ISOLATED
    }

    /** Which graph a file keys. */
    enum Graph {
        ONNX,
        TFLITE
    }

    /**
     * Writes {@code DIR/NAME-onnx-accumulated.json} and {@code DIR/NAME-tflite-accumulated.json}, and the two
     * {@code -isolated} files when some layer was isolated.
     *
     * @return the files written
     */
    public List<Path> write(ParityReport report, Path dir, String name) throws BadInputException {
        List<Path> written = new ArrayList<>();
        boolean anyIsolated = report.layers().stream().anyMatch(l -> l.isolated() != null && l.isolated().metrics() != null);
        for (Measure measure : anyIsolated ? Measure.values() : new Measure[] {Measure.ACCUMULATED}) {
            for (Graph graph : Graph.values()) {
                Path file = file(dir, name, graph, measure.name().toLowerCase(Locale.ROOT));
                Map<String, Result> results = results(report, graph, measure);
                AtomicFileWriter.write(file, "Model Explorer node data", out -> {
                    try (JsonGenerator g = JSON.createGenerator(out)) {
                        g.useDefaultPrettyPrinter();
                        writeGraphData(g, title(report, graph, measure), results);
                    }
                });
                written.add(file);
            }
        }
        written.addAll(writeDiagnosis(report, dir, name));
        return written;
    }

    /**
     * Labels the root cause's node with what the converter likely did there, in {@code NAME-onnx-diagnosis.json} and
     * {@code NAME-tflite-diagnosis.json}: written only when the run has a diagnosis that is a finding.
     */
    private static List<Path> writeDiagnosis(ParityReport report, Path dir, String name) throws BadInputException {
        FirstDivergence first = report.firstDivergence();
        Diagnosis d = first == null ? null : first.diagnosis();
        if (d == null || d.kind() == DiagnosisKind.UNKNOWN) {
            return List.of();
        }
        LayerResult root = report.layers().get(first.index());
        List<Path> written = new ArrayList<>();
        for (Graph graph : Graph.values()) {
            String k = key(report, graph).apply(root);
            if (k == null) {
                continue;
            }
            Path file = file(dir, name, graph, "diagnosis");
            Map<String, Result> label = Map.of(k, new Result(Double.NaN, FAIL_COLOR, d.kind().id() + ": " + d.detail()));
            AtomicFileWriter.write(file, "Model Explorer node data", out -> {
                try (JsonGenerator g = JSON.createGenerator(out)) {
                    g.useDefaultPrettyPrinter();
                    writeGraphData(g, "tensor-parity diagnosis of the root cause (" + modelFile(report, graph) + ")",
                            label);
                }
            });
            written.add(file);
        }
        return written;
    }

    /** {@code DIR/NAME-GRAPH-WHAT.json}. */
    private static Path file(Path dir, String name, Graph graph, String what) {
        // The name comes from a model file's name: no control characters (a newline) into a file name.
        return dir.resolve(name.replaceAll("[\\p{Cntrl}/]", "_") + "-" + graph.name().toLowerCase(Locale.ROOT) + "-" + what
                + ".json");
    }

    /** One node's entry: its error, or a label in words in place of it. */
    record Result(double value, String color, String label) {
        Result(double value, String color) {
            this(value, color, null);
        }
    }

    /** The key the graph's adapter matches a layer by; null for an ONNX node it cannot key. */
    private static Function<LayerResult, String> key(ParityReport report, Graph graph) {
        Set<String> inputs = report.inputs().stream().map(InputRecord::onnx).collect(Collectors.toSet());
        return graph == Graph.TFLITE ? LayerResult::tflite
                : l -> l.onnxNode() != null ? l.onnxNode() : inputs.contains(l.onnx()) ? "[value] " + l.onnx() : null;
    }

    /** The entries of one file, by the key the graph's adapter matches; the worst layer wins a shared key. */
    static Map<String, Result> results(ParityReport report, Graph graph, Measure measure) {
        Function<LayerResult, String> key = key(report, graph);
        Map<String, Result> results = new LinkedHashMap<>();
        for (LayerResult l : report.layers()) {
            Result r = measure == Measure.ACCUMULATED ? accumulated(l) : isolated(l.isolated());
            String k = key.apply(l);
            if (r == null || k == null) {
                continue;
            }
            Result before = results.get(k);
            if (before == null || worse(r, before)) {
                results.put(k, r);
            }
        }
        return results;
    }

    private static Result accumulated(LayerResult l) {
        ErrorMetrics m = l.metrics();
        return m == null ? null : new Result(m.normalizedMaxError(), l.verdict() == Verdict.PASS ? PASS_COLOR : FAIL_COLOR);
    }

    private static Result isolated(IsolatedError e) {
        if (e == null || e.metrics() == null) {
            return null;
        }
        String color = e.pairingInDoubt() ? IN_DOUBT_COLOR : e.verdict() == Verdict.PASS ? PASS_COLOR : FAIL_COLOR;
        return new Result(e.metrics().normalizedMaxError(), color);
    }

    private static boolean worse(Result a, Result b) {
        return Double.isNaN(a.value()) || a.value() > b.value();
    }

    private static String title(ParityReport report, Graph graph, Measure measure) {
        return "tensor-parity " + measure.name().toLowerCase(Locale.ROOT) + " error, max|a-b|/scale ("
                + modelFile(report, graph) + ")";
    }

    /** The file name of the graph's model, for a title. */
    private static String modelFile(ParityReport report, Graph graph) {
        return ModelNames.fileName(graph == Graph.ONNX ? report.provenance().onnxModel().path()
                : report.provenance().tfliteModel().path());
    }

    private static void writeGraphData(JsonGenerator g, String title, Map<String, Result> results) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", title);
        g.writeObjectFieldStart("results");
        for (Map.Entry<String, Result> e : results.entrySet()) {
            g.writeObjectFieldStart(e.getKey());
            double v = e.getValue().value();
            if (e.getValue().label() != null) {
                g.writeStringField("value", e.getValue().label());
            } else if (Double.isFinite(v)) {
                g.writeNumberField("value", v);
            } else {
                g.writeStringField("value", Double.toString(v));
            }
            g.writeStringField("bgColor", e.getValue().color());
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
    }
}
