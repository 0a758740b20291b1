package org.tensorparity.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorparity.align.AlignmentMapping;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.compare.ToleranceOverrides;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.tensor.Shape;

/**
 * Everything one {@code verify} needs.
 *
 * @param onnx the reference model
 * @param tflite the converted model
 * @param settings runtime configuration (delegate, threads)
 * @param seed seed for generated inputs
 * @param distribution how generated input values are drawn
 * @param shapes static shapes for dynamic ONNX inputs, by ONNX input name
 * @param binds user pairings, ONNX name to TFLite name, for inputs and outputs alike
 * @param rule the default tolerance rule
 * @param overrides per-tensor rules that take precedence over {@code rule}
 * @param layers compare every intermediate layer too (false: outputs only, the fast gate)
 * @param mapping user pairs that override automatic alignment, or null
 * @param command the command line, recorded as provenance
 */
public record VerifyRequest(Path onnx, Path tflite, RunnerSettings settings, long seed,
        InputDistribution distribution, Map<String, Shape> shapes, Map<String, String> binds, ToleranceRule rule,
        ToleranceOverrides overrides, boolean layers, AlignmentMapping mapping, List<String> command) {
    public VerifyRequest {
        shapes = Map.copyOf(shapes);
        binds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(binds));
        command = List.copyOf(command);
    }
}
