package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tensorparity.testing.OnnxValueInfos.typed;
import static org.tensorparity.testing.OnnxValueInfos.value;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.TfliteLoops;

/**
 * {@code --max-iterations}: the real GRU pair, whose ONNX Loop runs 29 iterations, passes up to its count and stops
 * with exit 3 naming the loop below it; a loop that never ends on its own stops instead of hanging; a bound out of
 * range is a usage error.
 */
class MaxIterationsTest {
    private static final String LOOP = "Loop 'sequential/net/while_loop'";

    private final Path gru = RealPairs.folder().resolve("precise-lite-gru-tf2onnx");
    private final Path dir = FixturePairs.scratch("max-iterations");

    private CliRun verify(Path onnx, Object... more) {
        List<Object> args = new java.util.ArrayList<>(List.of("verify", "--onnx", onnx, "--tflite",
                gru.resolve("hey_mycroft.tflite"), "--report-dir", dir.resolve("reports")));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray());
    }

    private static void assertStops(CliRun run, String expected) {
        assertEquals(3, run.exitCode(), run::toString);
        assertEquals(List.of("parity: error: " + expected), run.errLines(), run::toString);
    }

    @Test
    void theGruPassesUpToItsIterationsAndStopsBelow() {
        Path onnx = gru.resolve("hey_mycroft.onnx");
        CliRun byDefault = verify(onnx);
        assertEquals(0, byDefault.exitCode(), byDefault::toString);
        CliRun atCount = verify(onnx, "--max-iterations", 29);
        assertEquals(0, atCount.exitCode(), atCount::toString);
        for (Object[] more : new Object[][] {{"--max-iterations", 28}, {"--max-iterations", 28, "--outputs-only"}}) {
            assertStops(verify(onnx, more), "ONNX model " + onnx + ": " + LOOP + " runs more than 28 iterations"
                    + " (--max-iterations 28)");
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLoopThatNeverEndsStopsTheRun() throws Exception {
        // The GRU's interface: Identity [1,1] = Loop(, true, ReduceSum(net_input)) whose body returns its condition.
        OnnxMl.GraphProto.Builder body = OnnxMl.GraphProto.newBuilder().setName("body")
                .addInput(typed("i", OnnxMl.TensorProto.DataType.INT64_VALUE))
                .addInput(typed("c", OnnxMl.TensorProto.DataType.BOOL_VALUE)).addInput(value("v", 1, 1))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("keep").addInput("c").addOutput("c_out"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity").setName("same").addInput("v").addOutput("v_out"))
                .addOutput(typed("c_out", OnnxMl.TensorProto.DataType.BOOL_VALUE)).addOutput(value("v_out", 1, 1));
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("runaway")
                .addInput(value("net_input", 1, 29, 13)).addOutput(value("Identity", 1, 1))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("axes").addDims(2)
                        .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addInt64Data(1).addInt64Data(2))
                .addInitializer(OnnxMl.TensorProto.newBuilder().setName("go")
                        .setDataType(OnnxMl.TensorProto.DataType.BOOL_VALUE).addInt32Data(1))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("ReduceSum").setName("sum").addInput("net_input")
                        .addInput("axes").addOutput("total"))
                .addNode(OnnxMl.NodeProto.newBuilder().setOpType("Loop").setName("forever").addInput("").addInput("go")
                        .addInput("total").addOutput("Identity").addAttribute(OnnxMl.AttributeProto.newBuilder()
                                .setName("body").setType(OnnxMl.AttributeProto.AttributeType.GRAPH).setG(body)))
                .build();
        Path onnx = dir.resolve("runaway.onnx");
        Files.write(onnx, OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setVersion(16)).setGraph(graph).build().toByteArray());
        assertStops(verify(onnx), "ONNX model " + onnx + ": Loop 'forever' runs more than 10000 iterations"
                + " (--max-iterations 10000)");
        assertStops(verify(onnx, "--max-iterations", 3, "--outputs-only"), "ONNX model " + onnx
                + ": Loop 'forever' runs more than 3 iterations (--max-iterations 3)");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aTfliteWhileThatNeverEndsStopsTheRun() throws Exception {
        // y = x on the ONNX side; a WHILE whose condition, i < 2^31-1, never fails in time on the TFLite side.
        OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder().setName("same").addInput(value("x", 1, 2))
                .addOutput(value("y", 1, 2)).addNode(OnnxMl.NodeProto.newBuilder().setOpType("Identity")
                        .setName("same").addInput("x").addOutput("y")).build();
        Path onnx = dir.resolve("same.onnx");
        Files.write(onnx, OnnxMl.ModelProto.newBuilder().setIrVersion(8).addOpsetImport(
                OnnxMl.OperatorSetIdProto.newBuilder().setVersion(16)).setGraph(graph).build().toByteArray());
        Path tflite = Files.write(dir.resolve("forever.tflite"), TfliteLoops.loop(Integer.MAX_VALUE));
        for (Object[] more : new Object[][] {{}, {"--outputs-only", "--tflite-delegate", "none"}}) {
            List<Object> args = new java.util.ArrayList<>(List.of("verify", "--onnx", onnx, "--tflite", tflite,
                    "--report-dir", dir.resolve("reports")));
            args.addAll(List.of(more));
            assertStops(CliRun.of(args.toArray()), "TFLite model " + tflite + ": WHILE 'count' runs more than 10000"
                    + " iterations (--max-iterations 10000)");
        }
    }

    @Test
    void aSuitePairTakesItsOwnBound() throws Exception {
        String pairs = """
                pairs:
                  - name: gru
                    onnx: %1$s/hey_mycroft.onnx
                    tflite: %1$s/hey_mycroft.tflite
                  - name: gru-bounded
                    onnx: %1$s/hey_mycroft.onnx
                    tflite: %1$s/hey_mycroft.tflite
                    max-iterations: %2$s
                """;
        Path suite = Files.writeString(dir.resolve("gru.suite.yaml"), pairs.formatted(gru, 28));
        Path json = dir.resolve("gru.suite.json");
        CliRun run = CliRun.of("suite", suite, "--outputs-only", "--json", json);
        assertEquals(3, run.exitCode(), run::toString);
        JsonNode written = new ObjectMapper().readTree(json.toFile());
        assertEquals(0, written.at("/pairs/0/exitCode").asInt());
        assertEquals(3, written.at("/pairs/1/exitCode").asInt());
        assertEquals("cannot verify hey_mycroft.onnx against hey_mycroft.tflite: ONNX model "
                + gru.resolve("hey_mycroft.onnx") + ": " + LOOP + " runs more than 28 iterations (--max-iterations 28)",
                written.at("/pairs/1/notRun").asText());

        Path outOfRange = Files.writeString(dir.resolve("zero.suite.yaml"), pairs.formatted(gru, 0));
        CliRun zero = CliRun.of("suite", outOfRange, "--outputs-only", "--json", dir.resolve("zero.json"));
        assertEquals(2, zero.exitCode(), zero::toString);
        assertEquals(1, zero.errLines().size(), zero::toString);
        assertTrue(zero.errLines().get(0).contains("max-iterations must be between 1 and 10000000, got 0"),
                zero::toString);
    }

    @Test
    void aBoundOutOfRangeIsAUsageError() {
        for (Object bound : new Object[] {0, -1, 10_000_001}) {
            CliRun run = verify(gru.resolve("hey_mycroft.onnx"), "--max-iterations", bound);
            assertEquals(2, run.exitCode(), run::toString);
            assertEquals("parity: --max-iterations must be between 1 and 10000000, got " + bound, run.errLines().get(0));
            assertFalse(run.err().contains("\tat "), run::toString);
        }
    }
}
