package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.WritesInvalidReports;

class AlignCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FixturePair pair = FixturePairs.pair("detection-271-onnxtf");
    private final Path dir = FixturePairs.scratch("align");

    @Test
    void printsEveryPairWithEvidenceAndWritesTheMapping() throws Exception {
        Path mapping = dir.resolve("mapping.json");
        CliRun run = CliRun.of("align", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--mapping", mapping);
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("onnx_tf_prefix_Reshape_17"), run.out());
        assertTrue(run.out().contains("unmatched:"), run.out());
        JsonNode saved = JSON.readTree(mapping.toFile());
        assertEquals(1, saved.get("schemaVersion").asInt());
        assertTrue(saved.get("pairs").size() >= 8, saved::toString);
    }

    @Test
    void aMappingReadBackOverridesTheAutomaticPairs() throws Exception {
        Path mapping = dir.resolve("edited.json");
        assertEquals(0, CliRun.of("align", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--mapping", mapping).exitCode());
        ObjectNode doc = (ObjectNode) JSON.readTree(mapping.toFile());
        ArrayNode pairs = (ArrayNode) doc.get("pairs");
        // Deliberately pair the regression head with the score head's conv: verify must use it and fail there.
        String scoreConv = "onnx_tf_prefix_Conv_22";
        for (int i = pairs.size() - 1; i >= 0; i--) {
            if (pairs.get(i).get("tflite").asText().equals(scoreConv) || pairs.get(i).get("onnx").asText().equals("regression")) {
                pairs.remove(i);
            }
        }
        pairs.addObject().put("onnx", "regression").put("tflite", scoreConv);
        Files.writeString(mapping, JSON.writeValueAsString(doc));

        Path report = dir.resolve("mapped.json");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--mapping", mapping, "--json", report);
        // The outputs agree, so the wrong pair is a warning; a mapped pair is certain, so --fail-on-layers fails.
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode doc2 = JSON.readTree(report.toFile());
        assertEquals("fail", doc2.get("layerVerdict").asText());
        assertTrue(doc2.get("warnings").get(0).asText().contains("--fail-on-layers"), doc2.get("warnings")::toString);
        CliRun strict = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--mapping", mapping,
                "--json", report, "--fail-on-layers");
        assertEquals(1, strict.exitCode(), strict::toString);
        JsonNode layer = null;
        for (JsonNode l : JSON.readTree(report.toFile()).get("layers")) {
            if (l.get("onnx").asText().equals("regression") && l.get("tflite").asText().equals(scoreConv)) {
                layer = l;
            }
        }
        assertTrue(layer != null && layer.get("pairing").asText().equals("mapping"), "the mapped pair is used");
        assertEquals("fail", layer.get("verdict").asText());
    }

    @Test
    void aMappingNamingMissingTensorsIsBadInput() throws Exception {
        Path mapping = Files.writeString(dir.resolve("bad.json"),
                "{\"schemaVersion\":1,\"onnx\":\"a\",\"tflite\":\"b\",\"pairs\":[{\"onnx\":\"nope\",\"tflite\":\"gone\",\"confidence\":1,\"evidence\":[]}]}");
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--mapping", mapping,
                "--report-dir", dir.resolve("r"));
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("mapping names tensors these models do not have: ONNX 'nope', TFLite 'gone'"), run::toString);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[1,2,3]                                               | , line 1: expected a mapping (key: value)",
        "{\"pairs\": 3}                                        | , line 1: pairs: expected a list",
        "{\"pairs\": [{\"onnx\": \"a\", \"confidence\": \"x\"}]} | , line 1: pairs[0].confidence: 'x' is not a number",
        "{\"pairs\": [], \"extra\": 1}                           | , line 1: unknown key 'extra'; expected one of onnx,",
        "{\"pair\": []}                                        | : not a tensor-parity mapping (it needs a \"pairs\" list",
        "null                                                  | : not a tensor-parity mapping (it needs a \"pairs\" list",
        "not json {                                            | , line 1: Unrecognized token 'not'"})
    @WritesInvalidReports(value = "junk.json", reason = "mapping files that are not mappings, each to be refused")
    void aFileThatIsNotAMappingIsBadInputNamingTheField(String text, String problem) throws Exception {
        Path mapping = Files.writeString(dir.resolve("junk.json"), text);
        CliRun run = CliRun.of("verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--mapping", mapping);
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.errLines().get(0).contains("mapping file " + mapping + problem), run::toString);
        assertFalse(run.err().contains("java.") || run.err().contains("tensorparity."), run::toString);
    }

    @Test
    void differentNetworksFailWithAClearStatement() throws Exception {
        // Same input, but a network twice as wide: no layer has a counterpart.
        Path wide = dir.resolve("wide");
        var widePair = org.tensorparity.fixtures.catalog.FixtureWriter.write(
                org.tensorparity.fixtures.catalog.FixtureCatalog.byName("template-127-onnxtf"), wide, 0.25, 3);
        FixturePair narrow = FixturePairs.pair("template-127-onnxtf");
        CliRun align = CliRun.of("align", "--onnx", narrow.onnx(), "--tflite", widePair.tflite());
        assertEquals(1, align.exitCode(), align::toString);
        assertTrue(align.err().contains("the graphs do not align: no counterpart for"), align::toString);

        CliRun verify = CliRun.of("verify", "--onnx", narrow.onnx(), "--tflite", widePair.tflite(), "--json", dir.resolve("w.json"));
        assertEquals(1, verify.exitCode(), verify::toString);
        assertTrue(verify.out().contains("Cannot verify layer by layer: the graphs do not align"), verify::toString);
    }
}
