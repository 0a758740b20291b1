package org.tensorparity.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorparity.align.AlignmentMapping;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputSource;
import org.tensorparity.compare.TaskCheck;
import org.tensorparity.compare.ToleranceOverrides;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.judge.LayerPolicy;
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
 * @param tolerances the default rules for outputs and for layers
 * @param overrides per-tensor rules that take precedence over {@code tolerances}
 * @param layers compare every intermediate layer too (false: outputs only, the fast gate)
 * @param layerPolicy what a layer that disagrees does to a run whose outputs agree; {@link LayerPolicy#ISOLATED}
 *     needs isolation, and is {@link LayerPolicy#WARN} with {@link IsolationMode#OFF}
 * @param isolate which aligned pairs get the error their converted operator adds by itself measured
 * @param mapping user pairs that override automatic alignment, or null
 * @param sources where each ONNX input's values come from, by ONNX input name; seeded from
 *     {@code distribution} when absent
 * @param samples how many samples to run (seeded inputs use seed + sample index)
 * @param checks task-level checks by ONNX output name
 * @param recorder receives every sample's inputs
 * @param command the command line, recorded as provenance
 * @param rerun the command that reproduces one sample, with {@value #SAMPLE_PLACEHOLDER} standing for the
 *     sample's index; empty to use {@code command}
 */
public record VerifyRequest(Path onnx, Path tflite, RunnerSettings settings, long seed,
        InputDistribution distribution, Map<String, Shape> shapes, Map<String, String> binds, Tolerances tolerances,
        ToleranceOverrides overrides, boolean layers, LayerPolicy layerPolicy, IsolationMode isolate, AlignmentMapping mapping, Map<String, InputSource> sources,
        int samples, Map<String, List<TaskCheck>> checks, InputRecorder recorder, List<String> command,
        List<String> rerun) {
    public static final String SAMPLE_PLACEHOLDER = "{sample}";

    public VerifyRequest {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be at least 1, got " + samples);
        }
        sources = Map.copyOf(sources);
        checks = Map.copyOf(checks);
        shapes = Map.copyOf(shapes);
        binds = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(binds));
        command = List.copyOf(command);
        rerun = List.copyOf(rerun);
        layerPolicy = layerPolicy == LayerPolicy.ISOLATED && isolate == IsolationMode.OFF ? LayerPolicy.WARN : layerPolicy;
    }

    /** The command that reproduces sample {@code sample}. */
    public List<String> rerunFor(int sample) {
        if (rerun.isEmpty()) {
            return command;
        }
        return rerun.stream().map(a -> a.replace(SAMPLE_PLACEHOLDER, Integer.toString(sample))).toList();
    }

    /** A request with everything beyond models, settings and tolerances at its default: one seeded sample. */
    public static VerifyRequest simple(Path onnx, Path tflite, RunnerSettings settings, Tolerances tolerances,
            boolean layers, List<String> command) {
        return new VerifyRequest(onnx, tflite, settings, 0, InputDistribution.DEFAULT, Map.of(), Map.of(), tolerances,
                ToleranceOverrides.none(), layers, LayerPolicy.ISOLATED, IsolationMode.AUTO, null, Map.of(), 1, Map.of(), InputRecorder.NONE, command, List.of());
    }
}
