package org.tensorparity.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * Everything one {@code verify} needs, in five parts: the models, their inputs, how outputs are judged, what
 * happens to layers, and the command it was asked by. {@link #of} starts a {@link Builder} with every part at the
 * command line's default; the library's {@code ParityCheck} and suites both build their requests with it.
 */
public record VerifyRequest(Models models, Inputs inputs, Judging judging, Layers layers, Invocation invocation) {
    public static final String SAMPLE_PLACEHOLDER = "{sample}";

    public VerifyRequest {
        Objects.requireNonNull(models, "models");
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(judging, "judging");
        Objects.requireNonNull(layers, "layers");
        Objects.requireNonNull(invocation, "invocation");
    }

    /**
     * The two models and how they run.
     *
     * @param onnx the reference model
     * @param tflite the converted model
     * @param settings runtime configuration (delegate, threads)
     * @param binds user pairings, ONNX name to TFLite name, for inputs and outputs alike
     * @param signature the TFLite signature verified ({@code --signature}), or null for the file's main graph or its
     *     one signature ({@code serving_default} among several)
     */
    public record Models(Path onnx, Path tflite, RunnerSettings settings, Map<String, String> binds, String signature) {
        public Models {
            Objects.requireNonNull(onnx, "onnx");
            Objects.requireNonNull(tflite, "tflite");
            Objects.requireNonNull(settings, "settings");
            binds = Collections.unmodifiableMap(new LinkedHashMap<>(binds));
        }
    }

    /**
     * What the models are fed, and how often.
     *
     * @param seed seed for generated inputs
     * @param distribution how generated input values are drawn for inputs without a source
     * @param samples how many samples to run (seeded inputs use seed + sample index)
     * @param shapes static shapes for dynamic ONNX inputs, by ONNX input name
     * @param sources where each ONNX input's values come from, by ONNX input name; seeded from
     *     {@code distribution} when absent
     * @param recorder receives every sample's inputs
     */
    public record Inputs(long seed, InputDistribution distribution, int samples, Map<String, Shape> shapes,
            Map<String, InputSource> sources, InputRecorder recorder) {
        public Inputs {
            Objects.requireNonNull(distribution, "distribution");
            Objects.requireNonNull(recorder, "recorder");
            if (samples < 1) {
                throw new IllegalArgumentException("samples must be at least 1, got " + samples);
            }
            shapes = Map.copyOf(shapes);
            sources = Map.copyOf(sources);
        }
    }

    /**
     * When a pair of tensors agrees.
     *
     * @param tolerances the default rules for outputs and for layers
     * @param overrides per-tensor rules that take precedence over {@code tolerances}
     * @param checks task-level checks by ONNX output name
     */
    public record Judging(Tolerances tolerances, ToleranceOverrides overrides, Map<String, List<TaskCheck>> checks) {
        public Judging {
            Objects.requireNonNull(tolerances, "tolerances");
            Objects.requireNonNull(overrides, "overrides");
            checks = Map.copyOf(checks);
        }
    }

    /**
     * Whether and how intermediate layers are compared.
     *
     * @param compared compare every intermediate layer too (false: outputs only, the fast gate)
     * @param policy what a layer that disagrees does to a run whose outputs agree; {@link LayerPolicy#ISOLATED}
     *     needs isolation, and is {@link LayerPolicy#WARN} with {@link IsolationMode#OFF}
     * @param isolate which aligned pairs get the error their converted operator adds by itself measured
     * @param mapping user pairs that override automatic alignment, or null
     * @param diagnose which layers get diagnosed: a failing run's root causes, layers asked for by name, or none
     * @param maxMemory bytes the layer-by-layer capture may hold beyond the two loaded models ({@code --max-memory});
     *     0 for the default, three quarters of the memory the machine has available
     */
    public record Layers(boolean compared, LayerPolicy policy, IsolationMode isolate, AlignmentMapping mapping,
            DiagnosisScope diagnose, long maxMemory) {
        public Layers {
            Objects.requireNonNull(policy, "policy");
            Objects.requireNonNull(isolate, "isolate");
            Objects.requireNonNull(diagnose, "diagnose");
            if (maxMemory < 0) {
                throw new IllegalArgumentException("maxMemory must not be negative, got " + maxMemory);
            }
            policy = policy == LayerPolicy.ISOLATED && isolate == IsolationMode.OFF ? LayerPolicy.WARN : policy;
        }
    }

    /**
     * The command a request came from, recorded as provenance.
     *
     * @param command the command line
     * @param rerun the command that reproduces one sample, with {@value #SAMPLE_PLACEHOLDER} standing for the
     *     sample's index; empty to use {@code command}
     */
    public record Invocation(List<String> command, List<String> rerun) {
        public Invocation {
            command = List.copyOf(command);
            rerun = List.copyOf(rerun);
        }

        /** The command that reproduces sample {@code sample}. */
        public List<String> rerunFor(int sample) {
            if (rerun.isEmpty()) {
                return command;
            }
            return rerun.stream().map(a -> a.replace(SAMPLE_PLACEHOLDER, Integer.toString(sample))).toList();
        }
    }

    /** A request for {@code tflite}, the converted model, against {@code onnx}, every other part at its default. */
    public static Builder of(Path onnx, Path tflite) {
        return new Builder(onnx, tflite);
    }

    /**
     * Builds a request part by part. Every option starts at the command line's default: XNNPACK on one thread, one
     * sample seeded with 0 and drawn uniformly from [-1, 1], the tolerance profile of the TFLite model's precision,
     * every layer compared, isolation on the path to a failure. A builder can build more than one request.
     */
    public static final class Builder {
        private final Path onnx;
        private final Path tflite;
        private RunnerSettings settings = RunnerSettings.DEFAULT;
        private final Map<String, String> binds = new LinkedHashMap<>();
        private String signature;
        private long seed;
        private InputDistribution distribution = InputDistribution.DEFAULT;
        private int samples = 1;
        private final Map<String, Shape> shapes = new LinkedHashMap<>();
        private final Map<String, InputSource> sources = new LinkedHashMap<>();
        private InputRecorder recorder = InputRecorder.NONE;
        private Tolerances tolerances = Tolerances.automatic();
        private ToleranceOverrides overrides = ToleranceOverrides.none();
        private final Map<String, List<TaskCheck>> checks = new LinkedHashMap<>();
        private boolean layers = true;
        private LayerPolicy layerPolicy = LayerPolicy.ISOLATED;
        private IsolationMode isolate = IsolationMode.AUTO;
        private DiagnosisScope diagnose = DiagnosisScope.ROOTS;
        private AlignmentMapping mapping;
        private long maxMemory;
        private List<String> command = List.of();
        private List<String> rerun = List.of();

        private Builder(Path onnx, Path tflite) {
            this.onnx = Objects.requireNonNull(onnx, "onnx");
            this.tflite = Objects.requireNonNull(tflite, "tflite");
        }

        /** Delegate and threads of both runtimes ({@link Models#settings()}). */
        public Builder settings(RunnerSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The TFLite signature to verify ({@link Models#signature()}); null for the default. */
        public Builder signature(String signature) {
            this.signature = signature;
            return this;
        }

        /** Pairs an ONNX input or output with a TFLite one by name ({@link Models#binds()}). */
        public Builder bind(String onnxName, String tfliteName) {
            binds.put(onnxName, tfliteName);
            return this;
        }

        /** Seed of generated inputs; sample k uses {@code seed + k}. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How generated values are drawn for inputs without a source of their own. */
        public Builder distribution(InputDistribution distribution) {
            this.distribution = Objects.requireNonNull(distribution, "distribution");
            return this;
        }

        /** How many samples to run; at least 1. */
        public Builder samples(int samples) {
            this.samples = samples;
            return this;
        }

        /** A static shape for a dynamic ONNX input. */
        public Builder shape(String onnxInput, Shape shape) {
            shapes.put(onnxInput, Objects.requireNonNull(shape, "shape"));
            return this;
        }

        /** Where ONNX inputs' values come from, by input name, in place of every source given before. */
        public Builder sources(Map<String, InputSource> sources) {
            this.sources.clear();
            this.sources.putAll(sources);
            return this;
        }

        /** The source of ONNX input {@code onnxInput}, replacing any given before. */
        public Builder source(String onnxInput, InputSource source) {
            sources.put(onnxInput, Objects.requireNonNull(source, "source"));
            return this;
        }

        /** Receives every sample's inputs. */
        public Builder recorder(InputRecorder recorder) {
            this.recorder = Objects.requireNonNull(recorder, "recorder");
            return this;
        }

        /** The default rules for outputs and layers ({@link Judging#tolerances()}). */
        public Builder tolerances(Tolerances tolerances) {
            this.tolerances = Objects.requireNonNull(tolerances, "tolerances");
            return this;
        }

        /** Per-tensor rules taking precedence over the tolerances. */
        public Builder overrides(ToleranceOverrides overrides) {
            this.overrides = Objects.requireNonNull(overrides, "overrides");
            return this;
        }

        /** A task-level check of ONNX output {@code onnxOutput}, beside its tolerance. */
        public Builder check(String onnxOutput, TaskCheck check) {
            checks.computeIfAbsent(onnxOutput, k -> new ArrayList<>()).add(Objects.requireNonNull(check, "check"));
            return this;
        }

        /** Whether every intermediate layer is compared too ({@link Layers#compared()}). */
        public Builder layers(boolean layers) {
            this.layers = layers;
            return this;
        }

        /** What a disagreeing layer does to a run whose outputs agree ({@link Layers#policy()}). */
        public Builder layerPolicy(LayerPolicy layerPolicy) {
            this.layerPolicy = Objects.requireNonNull(layerPolicy, "layerPolicy");
            return this;
        }

        /** Which aligned pairs get their isolated error measured. */
        public Builder isolate(IsolationMode isolate) {
            this.isolate = Objects.requireNonNull(isolate, "isolate");
            return this;
        }

        /** Which layers get diagnosed ({@link Layers#diagnose()}). */
        public Builder diagnose(DiagnosisScope diagnose) {
            this.diagnose = Objects.requireNonNull(diagnose, "diagnose");
            return this;
        }

        /** Bytes a layer-by-layer capture may hold beyond the two models; 0 for the default ({@link Layers#maxMemory()}). */
        public Builder maxMemory(long bytes) {
            this.maxMemory = bytes;
            return this;
        }

        /** User pairs that override automatic alignment; null for none. */
        public Builder mapping(AlignmentMapping mapping) {
            this.mapping = mapping;
            return this;
        }

        /** The command line and the command that reproduces one sample ({@link Invocation}). */
        public Builder invocation(List<String> command, List<String> rerun) {
            this.command = List.copyOf(command);
            this.rerun = List.copyOf(rerun);
            return this;
        }

        /** @throws IllegalArgumentException for fewer than one sample */
        public VerifyRequest build() {
            Map<String, List<TaskCheck>> checked = new LinkedHashMap<>();
            checks.forEach((output, list) -> checked.put(output, List.copyOf(list)));
            return new VerifyRequest(new Models(onnx, tflite, settings, binds, signature),
                    new Inputs(seed, distribution, samples, shapes, sources, recorder),
                    new Judging(tolerances, overrides, checked), new Layers(layers, layerPolicy, isolate, mapping, diagnose, maxMemory),
                    new Invocation(command, rerun));
        }
    }
}
