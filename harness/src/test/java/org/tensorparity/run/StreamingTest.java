package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputGenerator;
import org.tensorparity.bind.npy.NpzWriter;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.report.HtmlReportWriter;
import org.tensorparity.report.JsonReportReader;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.StepSeries;
import org.tensorparity.result.StepTrack;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.SpectrumInput;

/**
 * {@code verify --steps}: the streaming pairs of the corpus run for a number of steps, each model fed its own state, on
 * the real runtimes; a model whose recurrence alone is wrong passes step 1 (zero state) and fails from step 2.
 */
class StreamingTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir = FixturePairs.scratch("steps");

    private Path dtln(String file) {
        return RealPairs.folder().resolve("dtln-lstm").resolve(file);
    }

    private Path silero(String file) {
        return RealPairs.folder().resolve("silero-vad-onnx2tf").resolve(file);
    }

    private record Run(CliRun cli, JsonNode report, Path json) {
    }

    private Run verify(Path onnx, Path tflite, Object... args) throws IOException {
        Path json = dir.resolve("r-" + System.nanoTime() + ".json");
        List<Object> all = new ArrayList<>(List.of("verify", "--onnx", onnx, "--tflite", tflite, "--json", json));
        all.addAll(List.of(args));
        CliRun run = CliRun.of(all.toArray());
        return new Run(run, Files.exists(json) ? JSON.readTree(json.toFile()) : null, json);
    }

    @Test
    void dtlnModel1PassesFiftyStepsFeedingItsStateInferredByShape() throws Exception {
        Run run = verify(dtln("model_1.onnx"), dtln("model_1.tflite"), "--input", "input_2=uniform:0,2", "--steps", 50);
        assertEquals(0, run.cli().exitCode(), run.cli()::toString);
        JsonNode steps = run.report().get("streaming");
        assertEquals(50, steps.get("steps").asInt());
        JsonNode feedback = steps.get("feedback");
        assertEquals(1, feedback.size());
        assertEquals("tf_op_layer_stack_2", feedback.get(0).get("onnxOutput").asText());
        assertEquals("input_3", feedback.get(0).get("onnxInput").asText());
        assertEquals("Identity_1", feedback.get(0).get("tfliteOutput").asText());
        assertEquals("shape", feedback.get(0).get("foundBy").asText());
        assertEquals(2, steps.get("tracks").size());
        for (JsonNode track : steps.get("tracks")) {
            assertEquals(50, track.get("maxAbs").size());
            assertEquals("pass", track.get("verdict").asText());
        }
        assertTrue(steps.get("firstFailingStep").isNull());
        assertTrue(run.cli().out().contains("steps: 50, each model fed its own state (tf_op_layer_stack_2 -> input_3 by"
                + " shape)"), run.cli()::out);
        String html = Files.readString(run.json().resolveSibling(run.json().getFileName().toString()
                .replace(".json", ".html")));
        assertTrue(html.contains("Error vs step") && html.contains("class=\"line track1\""), "the HTML chart");

        // The report read back renders the same chart, and a hostile output name in it is escaped.
        ParityReport read = new JsonReportReader().read(run.json());
        assertEquals(read.steps().tracks().get(1).maxAbs(), JSON.convertValue(steps.get("tracks").get(1).get("maxAbs"),
                List.class).stream().map(v -> ((Number) v).doubleValue()).toList());
        StepTrack t = read.steps().tracks().get(0);
        StepTrack hostile = new StepTrack("<img src=x onerror=alert(1)>", t.tflite(), t.feeds(), t.scale(),
                t.relativeTolerance(), t.maxAbs(), t.worstStep(), t.firstFailingStep(), t.failingSteps(), t.verdict());
        StepSeries s = read.steps();
        ParityReport withHostile = new ParityReport(read.schemaVersion(), read.decision(), read.setup(), read.inputs(),
                read.outputs(), read.layerFindings(), read.instrumentation(), read.timings(), new StepSeries(s.steps(),
                        s.feedback(), s.inputs(), List.of(hostile, s.tracks().get(1)), s.worstStep(),
                        s.firstFailingStep(), s.layerStep(), s.verdict(), s.ms()));
        StringWriter rendered = new StringWriter();
        new HtmlReportWriter().render(withHostile, rendered);
        assertTrue(rendered.toString().contains("&lt;img src"), "escaped in the chart");
        assertTrue(!rendered.toString().contains("<img src=x"), "never raw");
    }

    /** Fifty consecutive 512-sample frames of the corpus's speech recording, as the app feeds them. */
    @Test
    void sileroPassesFiftyStepsOfSpeechFeedingStateNToState() throws IOException {
        Path frames = SpectrumInput.writeStreams(RealPairs.folder().resolve("gtcrn-micro-onnx2tf/noisy1.wav"),
                dir.resolve("audio"), 50).resolve("silero-steps.npz");
        Run run = verify(silero("silero_vad_v5.1.onnx"), silero("silero_vad.tflite"), "--input", "sr=16000",
                "--inputs", frames, "--steps", 50, "--outputs-only");
        assertEquals(0, run.cli().exitCode(), run.cli()::toString);
        JsonNode feedback = run.report().get("streaming").get("feedback").get(0);
        assertEquals("stateN", feedback.get("onnxOutput").asText());
        assertEquals("state", feedback.get("onnxInput").asText());
        assertEquals("Identity_1", feedback.get("tfliteOutput").asText());
        assertEquals("name", feedback.get("foundBy").asText());
        String inputs = run.report().get("streaming").get("inputs").toString();
        assertTrue(inputs.contains("sr: values 16000, the same at every step"), inputs);
        assertTrue(inputs.contains("input: " + frames + " entry 'input', slice k - 1 of its leading axis"), inputs);
        assertTrue(inputs.contains("state: zeros at step 1, then the model's own 'stateN'"), inputs);
    }

    /**
     * The first LSTM's recurrence weights scaled by 1.05 in the ONNX model: with the state at zero, step 1 does not
     * touch them and agrees; every later step does.
     */
    @Test
    void aWrongRecurrencePassesStepOneAndFailsFromStepTwo() throws IOException {
        Path mutant = withRecurrenceScaled(dtln("model_1.onnx"), 1.05f, dir.resolve("model_1-recurrence.onnx"));
        Run run = verify(mutant, dtln("model_1.tflite"), "--input", "input_2=uniform:0,2", "--steps", 20);
        assertEquals(1, run.cli().exitCode(), run.cli()::toString);
        JsonNode steps = run.report().get("streaming");
        assertEquals(2, steps.get("firstFailingStep").asInt(), steps::toString);
        assertEquals("fail", steps.get("verdict").asText());
        for (JsonNode track : steps.get("tracks")) {
            // Step 1 is float rounding: 1e-5 of scale is the worst the correct pair shows over 500 steps.
            assertTrue(track.get("maxAbs").get(0).asDouble() / track.get("scale").asDouble() < 1e-5, track::toString);
        }
        assertTrue(run.report().get("summary").asText().contains("first breaks its tolerance at step 2"),
                run.report().get("summary")::asText);
        assertTrue(run.cli().out().contains("first fail"), run.cli()::out);
        // The layers, compared on the worst step with the ONNX state fed to both, name the mutated LSTM's output.
        assertEquals("lstm_4_Y_h", run.report().at("/firstDivergence/onnx").asText(), run.cli()::out);
        assertTrue(run.cli().out().contains("steps fail)"), run.cli()::out);
    }

    @Test
    void aSequenceFileFeedsOneSliceOfItsLeadingAxisPerStep() throws IOException {
        Tensor frames = new InputGenerator(3, InputDistribution.parse("uniform:0,2")).generate("input_2", DType.FLOAT32,
                Shape.of(12, 1, 1, 257));
        Path npz = npz("frames.npz", Map.of("input_2", frames));
        Run run = verify(dtln("model_1.onnx"), dtln("model_1.tflite"), "--inputs", npz, "--steps", 12,
                "--outputs-only");
        assertEquals(0, run.cli().exitCode(), run.cli()::toString);
        String inputs = run.report().get("streaming").get("inputs").toString();
        assertTrue(inputs.contains("slice k - 1 of its leading axis at step k"), inputs);

        Run tooShort = verify(dtln("model_1.onnx"), dtln("model_1.tflite"), "--inputs", npz, "--steps", 13,
                "--outputs-only");
        assertEquals(2, tooShort.cli().exitCode(), tooShort.cli()::toString);
        assertEquals(1, tooShort.cli().errLines().size(), tooShort.cli()::toString);
        assertTrue(tooShort.cli().err().contains("holds 12 steps on its leading axis"), tooShort.cli()::err);
    }

    @Test
    void badStreamingRequestsAreOneLineExitTwo() throws IOException {
        Path keypointOnnx = RealPairs.folder().resolve("handgesture-keypoint-tf2onnx/keypoint_classifier.onnx");
        Path keypointTflite = RealPairs.folder().resolve("handgesture-keypoint-tf2onnx/keypoint_classifier.tflite");
        assertBad(verify(keypointOnnx, keypointTflite, "--steps", 5), "no state pair found", "outputs ", "inputs ");
        assertBad(verify(dtln("model_1.onnx"), dtln("model_1.tflite"), "--steps", 5, "--feedback", "nope=input_3"),
                "--feedback nope=input_3: the ONNX model has no output 'nope'");
        assertBad(verify(dtln("model_1.onnx"), dtln("model_1.tflite"), "--steps", 5, "--feedback", "activation_2=input_3"),
                "ONNX output 'activation_2' float32[1,1,257]", "cannot be fed back to input 'input_3' float32[1,2,128,2]",
                "shapes differ");
        assertBad(verify(dtln("model_1.onnx"), dtln("model_1.tflite"), "--steps", 0), "--steps must be between 1");
        assertBad(verify(dtln("model_1.onnx"), dtln("model_1.tflite"), "--feedback", "a=b"), "--feedback needs --steps");
    }

    @Test
    void aSuitePairStreamsWithItsOwnStepsAndFeedback() throws IOException {
        Path suite = Files.writeString(dir.resolve("streaming.suite.yaml"), String.join("\n",
                "pairs:",
                "  - name: vad",
                "    onnx: " + silero("silero_vad_v5.1.onnx"),
                "    tflite: " + silero("silero_vad.tflite"),
                "    inputs: {sr: {values: \"16000\"}}",
                "    steps: 30",
                "    feedback: {stateN: state}",
                "  - name: dtln-1",
                "    onnx: " + dtln("model_1.onnx"),
                "    tflite: " + dtln("model_1.tflite"),
                "    inputs: {input_2: {seeded: \"uniform:0,2\"}}",
                ""));
        Path json = dir.resolve("suite.json");
        CliRun run = CliRun.of("suite", suite, "--json", json, "--outputs-only");
        assertEquals(0, run.exitCode(), run::toString);
        JsonNode pairs = JSON.readTree(json.toFile()).get("pairs");
        JsonNode streaming = pairs.get(0).get("report").get("streaming");
        assertEquals(30, streaming.get("steps").asInt());
        assertEquals("flag", streaming.get("feedback").get(0).get("foundBy").asText());
        assertTrue(pairs.get(1).get("report").get("streaming") == null, "a pair without steps runs one step");

        Path bad = Files.writeString(dir.resolve("bad.suite.yaml"), String.join("\n", "pairs:", "  - name: vad",
                "    onnx: " + silero("silero_vad_v5.1.onnx"), "    tflite: " + silero("silero_vad.tflite"),
                "    feedback: {stateN: state}", ""));
        CliRun refused = CliRun.of("suite", bad, "--json", dir.resolve("bad.json"));
        assertEquals(2, refused.exitCode(), refused::toString);
        assertTrue(refused.err().contains("feedback needs steps"), refused::err);
    }

    private static void assertBad(Run run, String... phrases) {
        assertEquals(2, run.cli().exitCode(), run.cli()::toString);
        assertTrue(run.report() == null, "no report for bad input");
        String first = run.cli().errLines().get(0);
        for (String phrase : phrases) {
            assertTrue(first.contains(phrase), () -> "'" + phrase + "' not in: " + run.cli());
        }
    }

    private Path npz(String name, Map<String, Tensor> arrays) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NpzWriter.write(bytes, arrays);
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }

    /** A copy of {@code source} whose first LSTM node's recurrence weights R are multiplied by {@code factor}. */
    private static Path withRecurrenceScaled(Path source, float factor, Path target) throws IOException {
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(source));
        String r = model.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("LSTM")).findFirst()
                .orElseThrow().getInput(2);
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        boolean found = false;
        for (int i = 0; i < graph.getInitializerCount(); i++) {
            OnnxMl.TensorProto t = graph.getInitializer(i);
            if (t.getName().equals(r) && t.getRawData().isEmpty()) {
                List<Float> scaled = t.getFloatDataList().stream().map(v -> v * factor).toList();
                graph.setInitializer(i, t.toBuilder().clearFloatData().addAllFloatData(scaled));
                found = true;
            } else if (t.getName().equals(r)) {
                FloatBuffer values = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
                ByteBuffer scaled = ByteBuffer.allocate(values.remaining() * 4).order(ByteOrder.LITTLE_ENDIAN);
                while (values.hasRemaining()) {
                    scaled.putFloat(values.get() * factor);
                }
                graph.setInitializer(i, t.toBuilder().setRawData(ByteString.copyFrom(scaled.array())));
                found = true;
            }
        }
        assertTrue(found, "no initializer " + r);
        return Files.write(target, model.toBuilder().setGraph(graph).build().toByteArray());
    }
}
