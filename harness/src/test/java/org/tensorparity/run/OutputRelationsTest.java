package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Outputs a converter split, merged, dropped, added or reordered, made by editing copies of the corpus's correct
 * ONNX models (the TFLite model kept as it is): every case ends in the verdict its edit calls for, never in an
 * internal error. Reordered or dropped ONNX outputs still pass; an ONNX output split in two along an axis pairs with
 * its parts of the TFLite output ({@code split}); two ONNX outputs concatenated into one pair with the TFLite outputs
 * as its parts ({@code merged}); an ONNX output the conversion lacks fails; outputs that nothing pairs are a one-line
 * usage error that names them.
 */
class OutputRelationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = FixturePairs.scratch("output-relations");
    /** Correct float pairs whose outputs are edited: one to three outputs each, four converters. */
    private static final Set<String> EDITED = Set.of("ultraface-slim320", "flwnet-float32", "dtln-model-1", "basic-pitch",
            "gtcrn-micro-float32", "emg-cnn-float64");

    /**
     * One edit of a pair's ONNX outputs and the exit code it must end in; -1 for tensors nothing pairs, which end in a
     * one-line usage error naming them (2), or fail when what is left over pairs by position or not at all (1).
     */
    record Edit(Expectation pair, String kind, int exitCode) {
        @Override
        public String toString() {
            return pair.name() + " " + kind;
        }
    }

    static Stream<Edit> edits() {
        List<Edit> out = new ArrayList<>();
        for (Expectation e : RealPairs.expectations()) {
            if (EDITED.contains(e.name())) {
                out.add(new Edit(e, "reordered", 0));
                out.add(new Edit(e, "first-dropped", 0));
                out.add(new Edit(e, "split", 0));
                out.add(new Edit(e, "merged", 0));
                out.add(new Edit(e, "extra", 1));
                out.add(new Edit(e, "unpairable", -1));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edits")
    void everyEditEndsInItsVerdict(Edit edit) throws IOException {
        Expectation e = edit.pair();
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(e.onnxPath()));
        JsonNode original = verify(e, e.onnxPath(), e.name() + "-original");
        Path edited = DIR.resolve(e.name() + "-" + edit.kind() + ".onnx");
        OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
        int outputs = graph.getOutputCount();
        boolean applies = switch (edit.kind()) {
            case "reordered" -> outputs >= 2 && reorder(graph);
            case "first-dropped" -> outputs >= 2 && dropFirst(graph);
            case "split" -> split(graph, original, opset(model));
            case "merged" -> merge(graph, original);
            case "extra" -> addExtra(graph);
            case "unpairable" -> replaceFirstByTwoEarlyTensors(graph);
            default -> throw new IllegalArgumentException(edit.kind());
        };
        if (!applies) {
            return;
        }
        Files.write(edited, model.toBuilder().setGraph(graph).build().toByteArray());
        Path json = DIR.resolve(e.name() + "-" + edit.kind() + ".json");
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", edited.toString(), "--tflite",
                e.tflitePath().toString(), "--json", json.toString()));
        argv.addAll(e.resolvedArgs());
        CliRun run = CliRun.of(argv.toArray());
        if (edit.exitCode() >= 0) {
            assertEquals(edit.exitCode(), run.exitCode(), () -> edit + ": " + run);
        } else {
            assertTrue(run.exitCode() == 1 || run.exitCode() == 2, () -> edit + ": " + run);
        }
        if (run.exitCode() == 2) {
            assertEquals(1, run.errLines().size(), run::toString);
            assertTrue(run.err().contains("cannot pair the outputs") && run.err().contains("bind ONNX=TFLITE"), run::toString);
            return;
        }
        JsonNode report = JSON.readTree(json.toFile());
        if (edit.kind().equals("split") || edit.kind().equals("merged")) {
            String rule = edit.kind();
            assertTrue(report.get("outputs").toString().contains("\"bindRule\":\"" + rule + "\""),
                    () -> edit + " pairs by " + rule + ": " + report.get("outputs"));
        }
    }

    private static JsonNode verify(Expectation e, Path onnx, String name) throws IOException {
        Path json = DIR.resolve(name + ".json");
        if (!Files.exists(json)) {
            List<String> argv = new ArrayList<>(List.of("verify", "--onnx", onnx.toString(), "--tflite",
                    e.tflitePath().toString(), "--json", json.toString(), "--outputs-only"));
            argv.addAll(e.resolvedArgs());
            assertEquals(0, CliRun.of(argv.toArray()).exitCode(), e.name());
        }
        return JSON.readTree(json.toFile());
    }

    private static boolean reorder(OnnxMl.GraphProto.Builder graph) {
        List<OnnxMl.ValueInfoProto> outputs = new ArrayList<>(graph.getOutputList());
        java.util.Collections.reverse(outputs);
        graph.clearOutput().addAllOutput(outputs);
        return true;
    }

    private static boolean dropFirst(OnnxMl.GraphProto.Builder graph) {
        graph.removeOutput(0);
        return true;
    }

    /** The first output with an axis of at least 2 (after the batch) replaced by its two halves along that axis. */
    private static boolean split(OnnxMl.GraphProto.Builder graph, JsonNode original, long opset) {
        for (int k = 0; k < graph.getOutputCount(); k++) {
            String name = graph.getOutput(k).getName();
            JsonNode shape = onnxShape(original, name);
            for (int axis = 1; shape != null && axis < shape.size(); axis++) {
                long size = shape.get(axis).asLong();
                if (size >= 2) {
                    long half = size / 2;
                    graph.addNode(slice(graph, name, name + "_head", axis, 0, half, opset));
                    graph.addNode(slice(graph, name, name + "_tail", axis, half, size, opset));
                    graph.removeOutput(k);
                    graph.addOutput(k, OnnxMl.ValueInfoProto.newBuilder().setName(name + "_tail"));
                    graph.addOutput(k, OnnxMl.ValueInfoProto.newBuilder().setName(name + "_head"));
                    return true;
                }
            }
        }
        return false;
    }

    /** Two outputs of the same rank that differ along one axis only, concatenated into one output along it. */
    private static boolean merge(OnnxMl.GraphProto.Builder graph, JsonNode original) {
        for (int a = 0; a < graph.getOutputCount(); a++) {
            for (int b = a + 1; b < graph.getOutputCount(); b++) {
                JsonNode x = onnxShape(original, graph.getOutput(a).getName());
                JsonNode y = onnxShape(original, graph.getOutput(b).getName());
                int axis = onlyDifferingAxis(x, y);
                if (axis < 0) {
                    continue;
                }
                String first = graph.getOutput(a).getName();
                String second = graph.getOutput(b).getName();
                graph.addNode(OnnxMl.NodeProto.newBuilder().setOpType("Concat").setName("merged_outputs").addInput(first)
                        .addInput(second).addOutput("merged_outputs").addAttribute(OnnxMl.AttributeProto.newBuilder()
                                .setName("axis").setType(OnnxMl.AttributeProto.AttributeType.INT).setI(axis)));
                graph.removeOutput(b);
                graph.removeOutput(a);
                graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName("merged_outputs"));
                return true;
            }
        }
        return false;
    }

    /** An intermediate tensor exposed as one more output, which the TFLite model does not have. */
    private static boolean addExtra(OnnxMl.GraphProto.Builder graph) {
        OnnxMl.NodeProto first = graph.getNode(graph.getNodeCount() / 2);
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(first.getOutput(0)));
        return true;
    }

    /**
     * The first output replaced by two tensors of the first layers, which the TFLite model's outputs answer by no name,
     * shape or concatenation: which is which is the user's to say.
     */
    private static boolean replaceFirstByTwoEarlyTensors(OnnxMl.GraphProto.Builder graph) {
        graph.removeOutput(0);
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(graph.getNode(0).getOutput(0)));
        graph.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(graph.getNode(1).getOutput(0)));
        return true;
    }

    /** Slice {@code [start, end)} of {@code axis}: attributes up to opset 9, constant inputs from opset 10. */
    private static OnnxMl.NodeProto slice(OnnxMl.GraphProto.Builder graph, String input, String output, int axis,
            long start, long end, long opset) {
        OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setOpType("Slice").setName(output).addInput(input)
                .addOutput(output);
        if (opset < 10) {
            node.addAttribute(ints("starts", start)).addAttribute(ints("ends", end)).addAttribute(ints("axes", axis));
        } else {
            for (String[] part : new String[][] {{"starts", Long.toString(start)}, {"ends", Long.toString(end)},
                    {"axes", Integer.toString(axis)}}) {
                String name = output + "_" + part[0];
                graph.addInitializer(OnnxMl.TensorProto.newBuilder().setName(name).addDims(1)
                        .setDataType(OnnxMl.TensorProto.DataType.INT64_VALUE).addInt64Data(Long.parseLong(part[1])));
                node.addInput(name);
            }
        }
        return node.build();
    }

    private static OnnxMl.AttributeProto ints(String name, long value) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INTS)
                .addInts(value).build();
    }

    private static long opset(OnnxMl.ModelProto model) {
        return model.getOpsetImportList().stream().filter(o -> o.getDomain().isEmpty() || o.getDomain().equals("ai.onnx"))
                .mapToLong(OnnxMl.OperatorSetIdProto::getVersion).findFirst().orElse(13);
    }

    private static JsonNode onnxShape(JsonNode report, String output) {
        for (JsonNode o : report.get("outputs")) {
            if (o.get("onnx").asText().equals(output)) {
                return o.get("onnxShape");
            }
        }
        return null;
    }

    private static int onlyDifferingAxis(JsonNode x, JsonNode y) {
        if (x == null || y == null || x.size() != y.size()) {
            return -1;
        }
        int axis = -1;
        for (int i = 0; i < x.size(); i++) {
            if (x.get(i).asLong() != y.get(i).asLong()) {
                if (axis >= 0) {
                    return -1;
                }
                axis = i;
            }
        }
        return axis;
    }

}
