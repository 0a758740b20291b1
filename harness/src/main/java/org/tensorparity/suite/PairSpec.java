package org.tensorparity.suite;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputSource;
import org.tensorparity.compare.TaskCheck;
import org.tensorparity.compare.ToleranceOverrides;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.tensor.Shape;
import org.tensorparity.text.ByteSize;

/**
 * One model pair of a suite, verified like one {@code parity verify}. Tensor names (keys of {@code inputs},
 * {@code shapes} and {@code checks}) are the ONNX model's; the TFLite side follows the pair's binding.
 *
 * <pre>
 * - name: detection-271                        # unique in the suite
 *   onnx: target/dasiamrpn/detection-271-onnxtf.onnx     # relative to the suite file
 *   tflite: target/dasiamrpn/detection-271-onnxtf.tflite
 *   seed: 0                                    # --seed (default 0)
 *   dist: "uniform:-1,1"                       # --dist for inputs without a source (default uniform:-1,1)
 *   inputs: {x: {seeded: "uniform:0,255"}}     # per input; see SuiteInput
 *   shapes: {x: 1x3x271x271}                   # --shape, for dynamic inputs
 *   tolerance: "profile:default"               # the default rule, in --override's RULE syntax
 *   overrides: ["score=scale:1e-3"]            # --override GLOB=RULE, first match wins
 *   checks: {score: [peak, "top-locations:5"]} # task checks per output; see TaskCheck
 *   steps: 500                                 # --steps: a streaming run, each model fed its own state back
 *   feedback: {stateN: state}                  # --feedback OUT=IN; inferred from names and shapes when absent
 *   max-iterations: 100                        # --max-iterations for this pair (default: the suite command's)
 *   signature: decode                          # --signature: which signature of a TFLite file with several
 *   max-memory: 2G                             # --max-memory for this pair (default: the suite command's)
 * </pre>
 *
 * @param name the pair's name in reports, stages and shards
 * @param onnx the reference model
 * @param tflite the converted model
 * @param seed seed of seeded inputs
 * @param dist distribution of inputs with no source of their own and not fed by a stage
 * @param inputs sources by input name, in file order; inputs not listed are seeded from {@code dist}
 * @param shapes static shapes for dynamic inputs, by input name
 * @param tolerance the pair's default rules (a profile stands for its output and layer rules)
 * @param overrides per-tensor rules taking precedence over {@code tolerance}
 * @param checks task checks by output name, in file order
 * @param steps how many steps a streaming run takes ({@code --steps}), or null for an ordinary verify
 * @param feedback ONNX output to the ONNX input it feeds at the next step ({@code --feedback}); empty to infer them
 * @param maxIterations most iterations one loop of the pair's models may run ({@code --max-iterations}), or null
 *     for the suite command's bound
 * @param signature the TFLite signature verified ({@code --signature}), or null for the default
 * @param maxMemory what the pair's layer-by-layer run may hold beyond its two models ({@code --max-memory}, a size
 *     such as {@code 2G}), or null for the suite command's budget
 */
public record PairSpec(String name, Path onnx, Path tflite, long seed, InputDistribution dist,
        Map<String, InputSource> inputs, Map<String, Shape> shapes, Tolerances tolerance,
        ToleranceOverrides overrides, Map<String, List<TaskCheck>> checks, Integer steps,
        Map<String, String> feedback, @JsonProperty("max-iterations") Integer maxIterations, String signature,
        @JsonProperty("max-memory") String maxMemory) {

    /** Missing optional parts get the {@code verify} defaults; the name and both models are required. */
    public PairSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a pair needs a 'name'");
        }
        if (onnx == null || tflite == null) {
            throw new IllegalArgumentException("pair '" + name + "' needs both 'onnx' and 'tflite' model paths");
        }
        dist = dist != null ? dist : InputDistribution.DEFAULT;
        inputs = ordered(inputs, "inputs", name);
        shapes = ordered(shapes, "shapes", name);
        tolerance = tolerance != null ? tolerance : Tolerances.defaults();
        overrides = overrides != null ? overrides : ToleranceOverrides.none();
        Map<String, List<TaskCheck>> copied = new LinkedHashMap<>();
        ordered(checks, "checks", name).forEach((output, list) -> {
            if (list.contains(null)) {
                throw new IllegalArgumentException("pair '" + name + "': checks '" + output + "' has an empty entry");
            }
            copied.put(output, List.copyOf(list));
        });
        checks = Collections.unmodifiableMap(copied);
        feedback = ordered(feedback, "feedback", name);
        if (steps != null && steps < 1) {
            throw new IllegalArgumentException("pair '" + name + "': steps must be at least 1, got " + steps);
        }
        if (steps == null && !feedback.isEmpty()) {
            throw new IllegalArgumentException("pair '" + name + "': feedback needs steps");
        }
        if (maxIterations != null && (maxIterations < 1 || maxIterations > RunnerSettings.MAX_MAX_ITERATIONS)) {
            throw new IllegalArgumentException("pair '" + name + "': max-iterations must be between 1 and "
                    + RunnerSettings.MAX_MAX_ITERATIONS + ", got " + maxIterations);
        }
        if (maxMemory != null) {
            try {
                ByteSize.parse(maxMemory);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("pair '" + name + "': max-memory: " + e.getMessage());
            }
        }
    }

    /** The bytes of {@link #maxMemory()}; 0 when the pair has none of its own. */
    public long maxMemoryBytes() {
        return maxMemory == null ? 0 : ByteSize.parse(maxMemory);
    }

    /** An unmodifiable copy keeping file order; a key without a value is an error. */
    private static <V> Map<String, V> ordered(Map<String, V> map, String what, String pair) {
        if (map == null) {
            return Map.of();
        }
        map.forEach((key, value) -> {
            if (value == null) {
                throw new IllegalArgumentException("pair '" + pair + "': " + what + " '" + key + "' has no value");
            }
        });
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
