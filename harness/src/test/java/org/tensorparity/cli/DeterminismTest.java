package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;

/**
 * The same seed and inputs give the same report: byte for byte apart from what records the run itself
 * (timings, the creation time, the command line, the runtime settings that were asked for, and the memory budget,
 * which by default is a share of what the machine has available at the time).
 * A broken conversion is used so that the layer table, first divergence and story all have content.
 */
class DeterminismTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PAIR = "template-127-onnxtf-conv-weight-early";

    @Test
    void theSameCommandTwiceAndOneOrFourThreadsGiveTheSameReport() throws IOException {
        Path dir = FixturePairs.scratch("determinism");
        JsonNode once = run(dir, "run.json");
        JsonNode twice = run(dir, "run.json");
        assertEquals(withoutClock(once), withoutClock(twice), "the same command twice: only timings and the creation time differ");
        String first = comparable(once);
        assertEquals(first, comparable(run(dir, "default.json")), "--threads 1 is the default");
        assertEquals(first, comparable(run(dir, "four.json", "--threads", "4")), "--threads 4");
    }

    @Test
    void bothTfliteDelegateSettingsFeedTheSameInputs() throws IOException {
        Path dir = FixturePairs.scratch("determinism-delegates");
        JsonNode xnnpack = run(dir, "xnnpack.json", "--tflite-delegate", "xnnpack", "--save-inputs", dir.resolve("xnnpack"));
        JsonNode builtin = run(dir, "none.json", "--tflite-delegate", "none", "--save-inputs", dir.resolve("none"));
        assertEquals(xnnpack.get("inputs"), builtin.get("inputs"), "the inputs section");
        try (var files = Files.list(dir.resolve("xnnpack"))) {
            for (Path saved : files.toList()) {
                assertArrayEquals(Files.readAllBytes(saved), Files.readAllBytes(dir.resolve("none").resolve(saved.getFileName())),
                        "the values fed, " + saved.getFileName());
            }
        }
    }

    private static JsonNode run(Path dir, String json, Object... flags) throws IOException {
        FixturePair pair = FixturePairs.pair(PAIR);
        Object[] args = new Object[7 + flags.length];
        Object[] base = {"verify", "--onnx", pair.onnx(), "--tflite", pair.tflite(), "--json", dir.resolve(json)};
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(flags, 0, args, base.length, flags.length);
        CliRun run = CliRun.of(args);
        assertEquals(ExitCode.PARITY_VIOLATED.code(), run.exitCode(), run.toString());
        return JSON.readTree(dir.resolve(json).toFile());
    }

    /** The report as text without its timings, creation time and memory budget. */
    private static String withoutClock(JsonNode report) throws IOException {
        ObjectNode copy = report.deepCopy();
        copy.remove("timings");
        ((ObjectNode) copy.get("instrumentation")).remove("memory");
        ((ObjectNode) copy.get("provenance")).remove(java.util.List.of("createdAt", "runId"));
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(copy);
    }

    /** The report without the clock and without what records the flags asked for (command, runtime settings). */
    private static String comparable(JsonNode report) throws IOException {
        ObjectNode copy = (ObjectNode) JSON.readTree(withoutClock(report));
        ObjectNode provenance = (ObjectNode) copy.get("provenance");
        provenance.remove("command");
        provenance.remove("rerun");
        ((ObjectNode) provenance.get("onnxRuntime")).remove("settings");
        ((ObjectNode) provenance.get("tfliteRuntime")).remove("settings");
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(copy);
    }
}
