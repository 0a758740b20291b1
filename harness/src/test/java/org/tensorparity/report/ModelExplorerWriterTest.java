package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;

/**
 * The Model Explorer node data of {@code verify --model-explorer}: Model Explorer's single-graph form, keyed by
 * what its adapters match (ONNX node names, TFLite tensor names written by an operator), coloured by verdict.
 */
class ModelExplorerWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> COLORS = Set.of(ModelExplorerWriter.PASS_COLOR, ModelExplorerWriter.FAIL_COLOR,
            ModelExplorerWriter.IN_DOUBT_COLOR);

    @Test
    void aNewlineInTheModelsFileNameStaysOutOfTheFilesNames() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnx2tf");
        Path dir = FixturePairs.scratch("model-explorer-names");
        Path tflite = Files.copy(pair.tflite(), dir.resolve("two\nlines.tflite"));
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", tflite, "--report-dir", dir.resolve("r"),
                "--model-explorer", dir.resolve("me"));
        assertEquals(0, run.exitCode(), run::toString);
        try (var files = Files.list(dir.resolve("me"))) {
            List<String> names = files.map(f -> f.getFileName().toString()).toList();
            assertFalse(names.isEmpty());
            assertTrue(names.stream().allMatch(n -> n.startsWith("two_lines-") && !n.contains("\n")), names::toString);
        }
    }

    @Test
    void aBrokenConversionIsRedAtItsBrokenNodeInBothGraphs() throws Exception {
        FixturePair pair = FixturePairs.pair("detection-271-onnx2tf-kernel-view-nhwc");
        Path dir = FixturePairs.scratch("model-explorer");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--report-dir", dir,
                "--model-explorer", dir.resolve("me"));
        assertEquals(1, run.exitCode(), run::toString);
        String base = "detection-271-onnx2tf-kernel-view-nhwc";
        Set<String> onnxNodes = new HashSet<>();
        String brokenNode = null;
        for (GraphNode n : graph(pair.onnx(), ModelFormat.ONNX)) {
            onnxNodes.add(n.name());
            if (n.outputs().contains(pair.oracle().brokenOnnxTensor())) {
                brokenNode = n.name();
            }
        }
        // model-explorer-onnx shows each model input as a value node of this id
        ModelFile onnxFile = ModelFile.read(pair.onnx(), ModelFormat.ONNX);
        Runtimes.standard().onnxSignature(onnxFile).inputs().forEach(i -> onnxNodes.add("[value] " + i.name()));
        Set<String> tfliteTensors = new HashSet<>();
        graph(pair.tflite(), ModelFormat.TFLITE).forEach(n -> tfliteTensors.addAll(n.outputs()));

        for (String measure : List.of("accumulated", "isolated")) {
            Map<String, JsonNode> onnx = results(dir.resolve("me").resolve(base + "-onnx-" + measure + ".json"));
            assertTrue(onnxNodes.containsAll(onnx.keySet()), "ONNX keys are node names or input values: " + onnx.keySet());
            assertEquals(ModelExplorerWriter.FAIL_COLOR, onnx.get(brokenNode).get("bgColor").asText(), measure);

            Map<String, JsonNode> tflite = results(dir.resolve("me").resolve(base + "-tflite-" + measure + ".json"));
            assertTrue(tfliteTensors.containsAll(tflite.keySet()), "TFLite keys are operator outputs: " + tflite.keySet());
            assertEquals(ModelExplorerWriter.FAIL_COLOR, tflite.get(pair.oracle().brokenTfliteTensor()).get("bgColor").asText(),
                    measure);
        }
        Map<String, JsonNode> accumulated = results(dir.resolve("me").resolve(base + "-onnx-accumulated.json"));
        assertTrue(accumulated.get(brokenNode).get("value").asDouble() > 0.1, "the broken node's error is its value");

        // The root cause is diagnosed (a Reshape reading channels-last data): both graphs label that node with it.
        Map<String, JsonNode> onnxLabel = results(dir.resolve("me").resolve(base + "-onnx-diagnosis.json"));
        assertEquals(Set.of(brokenNode), onnxLabel.keySet());
        assertTrue(onnxLabel.get(brokenNode).get("value").asText().startsWith("layout: "), onnxLabel::toString);
        Map<String, JsonNode> tfliteLabel = results(dir.resolve("me").resolve(base + "-tflite-diagnosis.json"));
        assertEquals(Set.of(pair.oracle().brokenTfliteTensor()), tfliteLabel.keySet());
    }

    @Test
    void aCorrectConversionIsGreenEverywhereAndHasNoIsolatedDataWhenNothingWasIsolated() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnx2tf");
        Path dir = FixturePairs.scratch("model-explorer");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--report-dir", dir,
                "--model-explorer", dir.resolve("me"));
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(Files.exists(dir.resolve("me").resolve("template-127-onnx2tf-onnx-diagnosis.json")), "no diagnosis");
        Map<String, JsonNode> onnx = results(dir.resolve("me").resolve("template-127-onnx2tf-onnx-accumulated.json"));
        Map<String, JsonNode> tflite = results(dir.resolve("me").resolve("template-127-onnx2tf-tflite-accumulated.json"));
        assertFalse(onnx.isEmpty());
        assertFalse(tflite.isEmpty());
        for (JsonNode r : List.of(onnx, tflite).stream().flatMap(m -> m.values().stream()).toList()) {
            assertEquals(ModelExplorerWriter.PASS_COLOR, r.get("bgColor").asText(), r::toString);
        }
        assertFalse(Files.exists(dir.resolve("me").resolve("template-127-onnx2tf-onnx-isolated.json")),
                "a passing run isolates nothing on the default path");
    }

    private static List<GraphNode> graph(Path model, ModelFormat format) throws Exception {
        ModelFile file = ModelFile.read(model, format);
        try (ModelRunner runner = format == ModelFormat.ONNX ? Runtimes.standard().openOnnx(file, RunnerSettings.DEFAULT)
                : Runtimes.standard().openTflite(file, RunnerSettings.DEFAULT)) {
            return runner.graph().nodes();
        }
    }

    /** The file's results, after checking it has exactly Model Explorer's fields and value shapes. */
    private static Map<String, JsonNode> results(Path file) throws Exception {
        JsonNode root = JSON.readTree(file.toFile());
        Set<String> fields = new HashSet<>();
        root.fieldNames().forEachRemaining(fields::add);
        assertEquals(Set.of("name", "results"), fields, file.toString());
        assertTrue(root.get("name").isTextual());
        Map<String, JsonNode> out = new java.util.LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("results").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode r = e.getValue();
            assertTrue(r.get("value").isNumber() || r.get("value").isTextual(), r::toString);
            assertTrue(COLORS.contains(r.get("bgColor").asText()), r::toString);
            assertEquals(2, r.size(), r::toString);
            out.put(e.getKey(), r);
        }
        return out;
    }
}
