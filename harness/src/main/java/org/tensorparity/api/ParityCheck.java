package org.tensorparity.api;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.tensorparity.BadInputException;
import org.tensorparity.ParityException;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputResolver;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.image.ImagePreprocessing;
import org.tensorparity.bind.npy.NpzWriter;
import org.tensorparity.compare.TaskCheck;
import org.tensorparity.compare.ToleranceOverrides;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.judge.LayerPolicy;
import org.tensorparity.report.AtomicFileWriter;
import org.tensorparity.report.MappingFileFormat;
import org.tensorparity.result.ParityReport;
import org.tensorparity.run.DiagnosisScope;
import org.tensorparity.run.InputRecorder;
import org.tensorparity.run.IsolationMode;
import org.tensorparity.run.ParityVerifier;
import org.tensorparity.run.StepPlan;
import org.tensorparity.run.StepRunner;
import org.tensorparity.run.ProgressListener;
import org.tensorparity.run.ReproOutcome;
import org.tensorparity.run.VerifyRequest;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * One verification of a converted model against its ONNX original, built step by step and run with
 * {@link #run()}: the library's entry point, and what {@code parity verify} and the JUnit 5 assertion
 * are built on.
 *
 * <pre>{@code
 * ParityReport report = ParityCheck.of(Path.of("template.onnx"), Path.of("template.tflite"))
 *         .shape("x", Shape.parse("1x3x127x127"))
 *         .tolerances(Tolerances.profile("fp16", "fp16"))
 *         .run();
 * if (report.verdict() == Verdict.FAIL) { ... report.summary() ... }
 * }</pre>
 *
 * <p>Every option starts at the command line's default: one sample of inputs seeded with 0 and drawn
 * uniformly from [-1, 1], the tolerance profile of the TFLite model's precision, every layer compared,
 * isolation on the path to a failure. Files (inputs, mapping) are read when the check runs; a file that
 * cannot be used is a {@link BadInputException} naming it, a model that cannot be loaded or run a
 * {@link org.tensorparity.ModelFailureException}. A check can be run more than once.
 */
public final class ParityCheck {
    /** The most samples one check runs: ten thousand already take minutes on a small model (see {@link #samples}). */
    public static final int MAX_SAMPLES = 10_000;

    /**
     * An input's source as given, settled when the check runs: a file's kind is told by its name then, and an image
     * takes the preprocessing set by then.
     */
    @FunctionalInterface
    private interface GivenSource {
        InputSource settle() throws BadInputException;
    }

    private final Path onnx;
    private final Path tflite;
    /** The options a request takes as they are, in the builder suites use too: each default is declared once. */
    private final VerifyRequest.Builder options;
    private Runtimes runtimes = Runtimes.standard();
    private Path mappingFile;
    private Path inputsNpz;
    private final Map<String, GivenSource> inputs = new LinkedHashMap<>();
    private ImagePreprocessing imagePreprocessing = ImagePreprocessing.DEFAULT;
    private Path saveInputs;
    private ProgressListener progress = ProgressListener.NONE;
    private Path reproDir;
    private Consumer<ReproOutcome> reproOutcome;
    private StepPlan steps;
    private Path reproAgainst;

    private ParityCheck(Path onnx, Path tflite) {
        this.onnx = Objects.requireNonNull(onnx, "onnx");
        this.tflite = Objects.requireNonNull(tflite, "tflite");
        this.options = VerifyRequest.of(onnx, tflite);
    }

    /** A check of {@code tflite}, the converted model, against {@code onnx}, the reference. */
    public static ParityCheck of(Path onnx, Path tflite) {
        return new ParityCheck(onnx, tflite);
    }

    /** The reference model. */
    public Path onnx() {
        return onnx;
    }

    /** The converted model. */
    public Path tflite() {
        return tflite;
    }

    /** Seed of the generated inputs; sample k uses {@code seed + k}. */
    public ParityCheck seed(long seed) {
        options.seed(seed);
        return this;
    }

    /** How generated input values are drawn (default uniform in [-1, 1]); pick the model's input domain. */
    public ParityCheck distribution(InputDistribution distribution) {
        options.distribution(distribution);
        return this;
    }

    /** A static shape for a dynamic ONNX input; the bound TFLite input is resized to match in its own layout. */
    public ParityCheck shape(String onnxInput, Shape shape) {
        options.shape(onnxInput, shape);
        return this;
    }

    /**
     * Verifies the TFLite model's signature {@code key} (its subgraph, under the signature's input and output names);
     * by default a file's main graph, or {@code serving_default} when it has several signatures.
     */
    public ParityCheck signature(String key) {
        options.signature(key);
        return this;
    }

    /** Pairs an ONNX input or output with a TFLite one by name, overriding automatic matching. */
    public ParityCheck bind(String onnxName, String tfliteName) {
        options.bind(onnxName, tfliteName);
        return this;
    }

    /** The rules for outputs and layers (default: the profile of the TFLite model's precision). */
    public ParityCheck tolerances(Tolerances tolerances) {
        options.tolerances(tolerances);
        return this;
    }

    /** Per-tensor rules that take precedence over {@link #tolerances}, first match wins. */
    public ParityCheck overrides(ToleranceOverrides overrides) {
        options.overrides(overrides);
        return this;
    }

    /** Compares the outputs only: the fast gate, without capturing and aligning every layer. */
    public ParityCheck outputsOnly() {
        return layers(false);
    }

    /** Whether every intermediate layer is captured, aligned and judged too (default true). */
    public ParityCheck layers(boolean layers) {
        options.layers(layers);
        return this;
    }

    /**
     * What a layer that disagrees does to a run whose outputs all agree (default {@link LayerPolicy#ISOLATED}: a
     * confidently paired layer that breaks its isolation rule by itself fails it; one that inherits error warns).
     */
    public ParityCheck layerPolicy(LayerPolicy layerPolicy) {
        options.layerPolicy(layerPolicy);
        return this;
    }

    /**
     * Which layers get the error their operators add by themselves measured (default {@link IsolationMode#AUTO}: the
     * path to a failure and the layers whose accumulated error breaks the isolation rule).
     */
    public ParityCheck isolate(IsolationMode isolate) {
        options.isolate(isolate);
        return this;
    }

    /**
     * Bytes a layer-by-layer run may hold beyond the two loaded models (default 0: three quarters of the memory the
     * machine has available). When capturing every intermediate whole would not fit, both models run in passes and
     * the captured values are kept in a temporary file; the report is the same.
     */
    public ParityCheck maxMemory(long bytes) {
        options.maxMemory(bytes);
        return this;
    }

    /**
     * Which layers get diagnosed (default {@link DiagnosisScope#ROOTS}: every root cause of a failing run): what the
     * converter likely did there, proven by rerunning the layer's ONNX operators with one change at a time.
     */
    public ParityCheck diagnose(DiagnosisScope diagnose) {
        options.diagnose(diagnose);
        return this;
    }

    /** Pairs layers as this mapping file ({@code parity align --mapping}) says, overriding automatic alignment. */
    public ParityCheck mapping(Path mappingFile) {
        this.mappingFile = mappingFile;
        return this;
    }

    /**
     * Feeds ONNX input {@code name} from a file: {@code .npy}, {@code .npz} (its entry {@code name}) or an
     * image ({@code .png}, {@code .jpg}, {@code .jpeg}; see {@link #imagePreprocessing}).
     */
    public ParityCheck input(String name, Path file) {
        Objects.requireNonNull(file, "file");
        inputs.put(name, () -> InputSource.file(file, null, imagePreprocessing, "input " + name));
        return this;
    }

    /** Feeds ONNX input {@code name} from entry {@code entry} of the {@code .npz} file {@code npz}. */
    public ParityCheck input(String name, Path npz, String entry) {
        Objects.requireNonNull(npz, "npz");
        Objects.requireNonNull(entry, "entry");
        inputs.put(name, () -> InputSource.file(npz, entry, imagePreprocessing, "input " + name));
        return this;
    }

    /** Seeds ONNX input {@code name} from its own distribution, e.g. pixel values in [0, 255]. */
    public ParityCheck input(String name, InputDistribution distribution) {
        return input(name, new InputSource.Seeded(distribution));
    }

    /** Feeds ONNX input {@code name} these values, in the ONNX model's layout. */
    public ParityCheck input(String name, Tensor values) {
        return input(name, new InputSource.Values(values, "input '" + name + "' given as values"));
    }

    /** Feeds ONNX input {@code name} from {@code source}, as a suite file's {@code inputs} would. */
    public ParityCheck input(String name, InputSource source) {
        Objects.requireNonNull(source, "source");
        inputs.put(name, () -> source);
        return this;
    }

    /**
     * Feeds each ONNX input that has an entry of its name in this {@code .npz} (as {@link #saveInputs} writes
     * them); inputs given one by one take precedence, the rest stay seeded.
     */
    public ParityCheck inputs(Path npz) {
        this.inputsNpz = npz;
        return this;
    }

    /** How images given as inputs become tensors (default: RGB, resized). */
    public ParityCheck imagePreprocessing(ImagePreprocessing preprocessing) {
        this.imagePreprocessing = Objects.requireNonNull(preprocessing, "preprocessing");
        return this;
    }

    /**
     * Runs {@code samples} input samples, 1 to {@value #MAX_SAMPLES}: outputs report their worst and mean,
     * layers are compared on the worst sample.
     *
     * @throws IllegalArgumentException outside 1 to {@value #MAX_SAMPLES}
     */
    public ParityCheck samples(int samples) {
        if (samples < 1 || samples > MAX_SAMPLES) {
            throw new IllegalArgumentException("samples must be between 1 and " + MAX_SAMPLES + ", got " + samples);
        }
        options.samples(samples);
        return this;
    }

    /** A task-level check of ONNX output {@code output}, beside its tolerance (e.g. {@code TaskCheck.parse("top-classes:5")}). */
    public ParityCheck check(String output, TaskCheck check) {
        options.check(output, check);
        return this;
    }

    /** Writes every sample's inputs to {@code dir/inputs-K.npz}, so that a failure can be replayed. */
    public ParityCheck saveInputs(Path dir) {
        this.saveInputs = dir;
        return this;
    }

    /**
     * Delegate and threads of the two runtimes (default: XNNPACK, one thread each), and the most iterations a loop may
     * run ({@link RunnerSettings#withMaxIterations}, default {@value RunnerSettings#DEFAULT_MAX_ITERATIONS}).
     */
    public ParityCheck settings(RunnerSettings settings) {
        options.settings(settings);
        return this;
    }

    /** Where the runners come from (default: {@link Runtimes#standard()}). */
    public ParityCheck runtimes(Runtimes runtimes) {
        this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
        return this;
    }

    /** Receives each finished sample, for a progress display. */
    public ParityCheck progress(ProgressListener progress) {
        this.progress = Objects.requireNonNull(progress, "progress");
        return this;
    }

    /**
     * The command that ran this check, recorded as the report's provenance, and the one that reproduces
     * one sample ({@value VerifyRequest#SAMPLE_PLACEHOLDER} standing for its index; empty to repeat {@code command}).
     */
    public ParityCheck provenance(List<String> command, List<String> rerun) {
        options.invocation(command, rerun);
        return this;
    }

    /**
     * When the run finds a root cause, cuts it out of both models into {@code dir}: {@code repro.onnx},
     * {@code repro.tflite}, {@code inputs.npz} and a {@code README.md} with the command that reproduces the failure,
     * written only when a verify of them fails as this run does. {@code outcome} hears whether it was written, or
     * why not; the verdict does not depend on it. A {@code dir} that cannot be written fails the run before the
     * models load ({@link BadInputException}).
     */
    public ParityCheck repro(Path dir, Consumer<ReproOutcome> outcome) {
        this.reproDir = dir;
        this.reproOutcome = outcome;
        return this;
    }

    /**
     * Runs both models {@code steps} steps, each fed its own state outputs back ({@code --steps}, {@code --feedback}):
     * {@code feedback} maps ONNX outputs to the ONNX inputs they feed, and is inferred from names and shapes when empty.
     * See {@link StepRunner}.
     *
     * @throws IllegalArgumentException outside 1 to {@value StepPlan#MAX_STEPS} steps
     */
    public ParityCheck steps(int steps, Map<String, String> feedback) {
        this.steps = new StepPlan(steps, feedback);
        return this;
    }

    /**
     * With {@link #repro}: writes the bundle only if the same cut of {@code good}, the correct counterpart of one of
     * the two models ({@code .onnx} or {@code .tflite}), passes on the same inputs; the bundle's README says so.
     */
    public ParityCheck reproAgainst(Path good) {
        this.reproAgainst = good;
        return this;
    }

    /** Reads the files this check names and runs it. */
    public ParityReport run() throws ParityException {
        ParityVerifier verifier = new ParityVerifier(runtimes, progress).reproducingInto(reproDir, reproOutcome)
                .reproducingAgainst(reproAgainst);
        return steps == null ? verifier.verify(request()) : new StepRunner(runtimes, verifier).run(request(), steps);
    }

    /** What {@link #run} hands the verifier, with every named file read. */
    public VerifyRequest request() throws BadInputException {
        options.mapping(mappingFile == null ? null : new MappingFileFormat().read(mappingFile));
        Path saveTo = saveInputs;
        options.recorder(saveTo == null ? InputRecorder.NONE : (sample, feeds) -> AtomicFileWriter.write(
                saveTo.resolve("inputs-" + sample + ".npz"), "saved inputs", out -> NpzWriter.write(out, feeds)));
        return options.sources(sources()).build();
    }

    private Map<String, InputSource> sources() throws BadInputException {
        Map<String, InputSource> sources = new LinkedHashMap<>();
        if (inputsNpz != null) {
            sources.putAll(InputResolver.entries(inputsNpz));
        }
        for (Map.Entry<String, GivenSource> e : inputs.entrySet()) {
            String name = e.getKey();
            sources.put(name, InputResolver.read(e.getValue().settle(), name, "input " + name));
        }
        return sources;
    }
}
