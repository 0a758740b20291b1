package org.tensorparity.suite;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feeds outputs of one pair into inputs of another, as the models run together on the device: the
 * {@code from} pair's ONNX outputs feed the {@code to} pair's ONNX inputs and its TFLite outputs the TFLite
 * inputs, so the {@code to} pair is verified on what it really receives and the report shows how the
 * upstream error propagates. Names are the ONNX models' tensor names.
 *
 * <pre>
 * - from: template-127
 *   to: detection-271
 *   wires: {r1_kernel_raw: r1_kernel, cls1_kernel_raw: cls1_kernel}   # output of from: input of to
 * </pre>
 *
 * @param from the pair that runs first
 * @param to the pair whose inputs it feeds
 * @param wires output name of {@code from} to input name of {@code to}, in file order; at least one
 */
public record Stage(String from, String to, Map<String, String> wires) {
    public Stage {
        if (from == null || from.isBlank() || to == null || to.isBlank()) {
            throw new IllegalArgumentException("a stage needs 'from' and 'to' pair names");
        }
        if (wires == null || wires.isEmpty()) {
            throw new IllegalArgumentException("stage " + from + " -> " + to + " needs 'wires' (output: input)");
        }
        wires.forEach((output, input) -> {
            if (input == null || input.isBlank()) {
                throw new IllegalArgumentException("stage " + from + " -> " + to + ": wire '" + output + "' names no input");
            }
        });
        wires = Collections.unmodifiableMap(new LinkedHashMap<>(wires));
    }

    @Override
    public String toString() {
        return "stage " + from + " -> " + to;
    }
}
