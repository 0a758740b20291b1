package org.tensorparity.report;

import ai.onnx.proto.OnnxMl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.FixturePairs;

/**
 * Real model pairs whose ONNX tensor names are attacks on the report formats: a broken fixture pair (one
 * conv channel's weights 1% off) with its first divergence and one output renamed. The TFLite file is
 * the fixture's own; only names change, so the run fails at the same layer as the original.
 */
final class HostileModels {
    /** HTML that runs script if any format lets it through. */
    static final String SCRIPT_NAME = "<img src=x onerror=alert(1)>";
    /** Breaks Markdown tables, code spans and emphasis, and is a link where links are recognised. */
    static final String MARKUP_NAME = "r1 | `kernel` *raw* [x](https://evil.example) </td>\u0007";

    /** A model pair on disk. */
    record Pair(Path onnx, Path tflite) {
    }

    private HostileModels() {
    }

    /** The failing pair with its diverging BatchNormalization output and its r1 output renamed. */
    static Pair failingPair() {
        FixturePair pair = FixturePairs.pair("template-127-onnxtf-conv-weight-early");
        Path dir = FixturePairs.shared("hostile");
        Path onnx = renamed(pair.onnx(), Map.of("input.2", SCRIPT_NAME, "r1_kernel_raw", MARKUP_NAME),
                dir.resolve("hostile.onnx"));
        try {
            return new Pair(onnx, Files.copy(pair.tflite(), dir.resolve("hostile.tflite")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of {@code source} with tensors renamed wherever they are produced, consumed or declared. */
    private static Path renamed(Path source, Map<String, String> names, Path target) {
        try {
            OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(source));
            OnnxMl.GraphProto.Builder graph = model.getGraph().toBuilder();
            for (OnnxMl.NodeProto.Builder node : graph.getNodeBuilderList()) {
                for (int i = 0; i < node.getInputCount(); i++) {
                    node.setInput(i, names.getOrDefault(node.getInput(i), node.getInput(i)));
                }
                for (int i = 0; i < node.getOutputCount(); i++) {
                    node.setOutput(i, names.getOrDefault(node.getOutput(i), node.getOutput(i)));
                }
            }
            for (OnnxMl.ValueInfoProto.Builder v : graph.getOutputBuilderList()) {
                v.setName(names.getOrDefault(v.getName(), v.getName()));
            }
            for (OnnxMl.ValueInfoProto.Builder v : graph.getValueInfoBuilderList()) {
                v.setName(names.getOrDefault(v.getName(), v.getName()));
            }
            Files.write(target, model.toBuilder().setGraph(graph).build().toByteArray());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
