package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.mutant.MutatedModel;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.OnnxMutator;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * A layer that computes differently by itself fails the run even when the seeded inputs do not carry its error to
 * the outputs: FLW-Net with its first pointwise convolution's strongest channel scaled x1.5, a change its outputs
 * absorb (1e-5 of their scale). Every format says which rule failed the run; {@code --no-fail-on-isolated} lets the
 * outputs decide again.
 */
class IsolatedVerdictTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = FixturePairs.scratch("isolated-verdict");
    private static Expectation flwnet;
    private static Path mutant;

    @BeforeAll
    static void writeMutant() throws IOException {
        flwnet = RealPairs.expectations().stream().filter(e -> e.name().equals("flwnet-float32")).findFirst().orElseThrow();
        OnnxMutator mutator = new OnnxMutator(Files.readAllBytes(flwnet.onnxPath()));
        OnnxMutator.Site firstConv = mutator.sites().stream().filter(s -> s.op().equals("Conv")).findFirst().orElseThrow();
        MutatedModel m = mutator.apply(firstConv, MutationKind.CHANNEL_SCALE);
        mutant = DIR.resolve("flwnet-first-conv-channel-scaled.onnx");
        Files.write(mutant, m.bytes());
    }

    private static CliRun verify(String name, String... more) {
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", mutant.toString(), "--tflite",
                flwnet.tflitePath().toString(), "--json", DIR.resolve(name + ".json").toString(), "--junit",
                DIR.resolve(name + ".xml").toString(), "--markdown", DIR.resolve(name + ".md").toString()));
        argv.addAll(flwnet.resolvedArgs());
        argv.addAll(List.of(more));
        return CliRun.of(argv.toArray());
    }

    @Test
    void theLayerFailsTheRunAndEveryFormatSaysWhichRuleDid() throws IOException {
        CliRun run = verify("default");
        assertEquals(1, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(DIR.resolve("default.json").toFile());
        assertEquals("[\"isolated_layer\"]", report.get("failedBy").toString());
        assertEquals("isolated", report.get("layerPolicy").asText());
        assertTrue(report.get("outputs").get(0).get("verdict").asText().equals("pass"), "the outputs absorb it");
        String summary = report.get("summary").asText();
        assertTrue(summary.startsWith("The outputs agree on these inputs, but '/g_conv1/point_conv/Conv_output_0'"),
                summary);
        assertTrue(summary.contains("computes differently by itself"), summary);
        JsonNode layer = report.get("layers").get(report.get("firstDivergence").get("index").asInt());
        assertTrue(layer.get("isolated").get("decisive").asBoolean());
        assertTrue(run.out().contains("failed by  a layer that computes differently by itself (max |a-b| <= 0.001"),
                run.out());
        String xml = Files.readString(DIR.resolve("default.xml"));
        assertTrue(xml.contains("; it computes differently by itself: run alone its operators add"), xml);
        assertTrue(xml.contains("name=\"failedBy\" value=\"isolated_layer\""), xml);
        assertTrue(Files.readString(DIR.resolve("default.md")).contains("**Failed by:** a layer that computes differently"));
    }

    @Test
    void withoutTheIsolatedRuleTheOutputsDecide() throws IOException {
        CliRun run = verify("outputs-decide", "--no-fail-on-isolated");
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(DIR.resolve("outputs-decide.json").toFile());
        assertEquals("warn", report.get("layerPolicy").asText());
        assertTrue(report.get("warnings").get(0).asText().contains("computes differently by itself"),
                report.get("warnings")::toString);
    }

    @Test
    void failingOnLayersWhileLettingTheOutputsDecideIsAContradiction() {
        CliRun run = verify("contradiction", "--fail-on-layers", "--no-fail-on-isolated");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("--fail-on-layers and --no-fail-on-isolated contradict each other"), run::toString);
    }
}
