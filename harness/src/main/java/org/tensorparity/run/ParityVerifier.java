package org.tensorparity.run;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;
import org.tensorparity.ParityException;
import org.tensorparity.align.BoundTensor;
import org.tensorparity.align.Fingerprints;
import org.tensorparity.backend.Background;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.NativeRelease;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.RuntimeInfo;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.bind.Binding;
import org.tensorparity.bind.InputResolver;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.Port;
import org.tensorparity.bind.PortBinding;
import org.tensorparity.bind.PortMatcher;
import org.tensorparity.bind.ShapeResolver;
import org.tensorparity.bind.image.PrefetchedImages;
import org.tensorparity.compare.TensorComparator;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.compare.Verdict;
import org.tensorparity.judge.DomainCheck;
import org.tensorparity.judge.OutputJudge;
import org.tensorparity.judge.ReportStory;
import org.tensorparity.judge.RunVerdict;
import org.tensorparity.judge.ValueRanges;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.ModelRef;
import org.tensorparity.model.Precision;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.result.Decision;
import org.tensorparity.result.InputRecord;
import org.tensorparity.result.InstrumentationCheck;
import org.tensorparity.result.LayerFindings;
import org.tensorparity.result.ModelInfo;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.Platform;
import org.tensorparity.result.PrecisionInfo;
import org.tensorparity.result.Provenance;
import org.tensorparity.result.RunSetup;
import org.tensorparity.result.Timings;
import org.tensorparity.result.ToolInfo;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Runs one ONNX model and its TFLite conversion on the same seeded inputs and judges them.
 *
 * <p>Stages: load both files, bind inputs, run both as deployed (the plain run), match and judge the
 * outputs; then, unless outputs only were asked for, run both again instrumented (every intermediate
 * kept), check that instrumenting changed no output, align the graphs and judge every layer. A parity
 * violation is a {@link Verdict#FAIL} in the returned report; exceptions mean the run itself could not
 * happen.
 */
public final class ParityVerifier {
    /**
     * The plain runs of every sample: what was bound and fed, the judged outputs, and the worst sample (the one the
     * layers are compared on). {@code tfliteCapture}, when not null, is the converted model's instrumented run,
     * started beside the plain runs of the one sample.
     */
    private record PlainRun(List<Binding> inputs, List<Binding> outputBindings, List<InputRecord> inputRecords,
            List<OutputResult> outputs, Tolerances tolerances, List<String> warnings, WorstSample worst,
            OpenedModels models, PlainTimes times, Background<CapturedRun.Side, ModelFailureException> tfliteCapture,
            CapturePlan capture) {
    }

    /** The sample whose outputs differ most: its feeds and both models' results. */
    private record WorstSample(int index, InputFeeds.Sample feeds, RunResult onnx, RunResult tflite) {
    }

    /**
     * What the opened models say of themselves. With {@code onnxInstrumented} the reference ran once with every
     * intermediate exposed, and the worst sample's ONNX result holds them.
     */
    private record OpenedModels(ModelRef onnx, ModelRef tflite, RuntimeInfo onnxRuntime, RuntimeInfo tfliteRuntime,
            Precision precision, ModelGraph onnxGraph, boolean onnxInstrumented) {
    }

    /** Where the plain run's time went, in milliseconds. */
    private record PlainTimes(double load, double onnx, double tflite, double compare) {
    }

    /** One inference and how long it took. */
    private record TimedRun(RunResult result, double ms) {
        static TimedRun of(ModelRunner runner, Map<String, Tensor> feeds) throws ModelFailureException {
            long start = System.nanoTime();
            RunResult result = runner.run(feeds);
            return new TimedRun(result, ParityVerifier.ms(start, System.nanoTime()));
        }
    }

    private final Runtimes runtimes;
    private final ProgressListener progress;
    /** Where a reproducer of the root cause goes ({@link ReproBundle}), and who hears what became of it; or null. */
    private final Path reproDir;
    private final Consumer<ReproOutcome> reproOutcome;
    /** The correct counterpart of one of the two models, whose same cut must pass ({@code repro --against}); or null. */
    private final Path reproAgainst;

    /** A verifier on the runtimes this build links, reporting no progress. */
    public ParityVerifier() {
        this(Runtimes.standard(), ProgressListener.NONE);
    }

    /** A verifier that opens its runners from {@code runtimes} and reports each finished sample to {@code progress}. */
    public ParityVerifier(Runtimes runtimes, ProgressListener progress) {
        this(runtimes, progress, null, null, null);
    }

    private ParityVerifier(Runtimes runtimes, ProgressListener progress, Path reproDir,
            Consumer<ReproOutcome> reproOutcome, Path reproAgainst) {
        this.runtimes = runtimes;
        this.progress = progress;
        this.reproDir = reproDir;
        this.reproOutcome = reproOutcome;
        this.reproAgainst = reproAgainst;
    }

    /**
     * This verifier, also cutting the root cause out of both models into {@code dir} when a layer-by-layer run finds
     * one ({@code --repro}); {@code outcome} hears whether the bundle was written, or why not. The run's verdict does
     * not depend on it. A null {@code dir} writes none.
     */
    public ParityVerifier reproducingInto(Path dir, Consumer<ReproOutcome> outcome) {
        return new ParityVerifier(runtimes, progress, dir, dir == null ? null : Objects.requireNonNull(outcome, "outcome"),
                reproAgainst);
    }

    /**
     * This verifier, writing the reproducer only if the same cut of {@code good}, the correct counterpart of one of
     * the two models (an ONNX or a TFLite file, told by its extension), passes on the same inputs: a cut whose
     * correct counterpart fails too does not isolate the conversion's bug. A null {@code good} checks none.
     */
    public ParityVerifier reproducingAgainst(Path good) {
        return new ParityVerifier(runtimes, progress, reproDir, reproOutcome, good);
    }

    public ParityReport verify(VerifyRequest request) throws ParityException {
        return verifyKeepingOutputs(request).report();
    }

    /**
     * Like {@link #verify}, and also hands back the outputs of the worst sample, so that a pipeline stage
     * can feed them to the next pair.
     */
    public Verification verifyKeepingOutputs(VerifyRequest request) throws ParityException {
        long start = System.nanoTime();
        if (reproDir != null) {
            ReproFolder.checkWritable(reproDir);
        }
        // Both files read and digested side by side, while the second core is free: an --outputs-only verify of the
        // full-size DaSiamRPN template pair (two 86 MB files) took 1.43 s against 1.62 s one after the other
        // (medians of 8, A B alternated, 2-core CI machine). The ONNX file's problems are still told first.
        Background<ModelFile, BadInputException> tfliteRead = Background.start("parity-read-tflite",
                () -> ModelFile.read(request.models().tflite(), ModelFormat.TFLITE));
        ModelFile onnxFile = tfliteRead.runBeside(() -> ModelFile.read(request.models().onnx(), ModelFormat.ONNX));
        ModelFile tfliteFile = runtimes.tfliteSignature(tfliteRead.join(), request.models().signature());
        PlainRun plain = runPlain(request, onnxFile, tfliteFile, start);
        List<OutputResult> outputs = plain.outputs();
        double compareMs = plain.times().compare();

        // The TFLite capture's values are read in place until the reproducer, the last to read them, is written.
        CapturedRun captured = null;
        try {
            LayerFindings layers = null;
            double diagnosisMs = 0;
            ReproBundle.Evidence evidence = null;
            InstrumentationCheck instrumentation = null;
            List<String> warnings = new ArrayList<>(plain.warnings());
            if (request.layers().compared()) {
                // The layers' judging is the one Java loop that runs long enough to matter while the JIT is still
                // compiling: the kernel is warmed up on the second core meanwhile (TensorComparator.warmUp says why).
                Background<Void, RuntimeException> warmUp = Background.start("parity-comparator-warm-up", () -> {
                    TensorComparator.warmUp();
                    return null;
                });
                try {
                    Fingerprints fingerprints = new Fingerprints();
                    if (plain.models().onnxInstrumented() && plain.tfliteCapture() != null) {
                        // The reference's fingerprints while the converted model's capture may still be running, which
                        // the layers wait for: YOLOX-nano's took 90-200 ms longer than the reference's run when its
                        // values were still copied out of the arena.
                        fingerprints.reading(plain.worst().onnx().intermediates().values()).run();
                    }
                    captured = CapturedRun.of(runtimes, request.models().settings(), plain.capture(), onnxFile,
                            tfliteFile, plain.models().onnxInstrumented() ? new CapturedRun.Side(plain.models().onnxGraph(),
                                    plain.worst().onnx()) : null, plain.tfliteCapture(), plain.worst().feeds());
                    long layerStart = System.nanoTime();
                    // A reference rewritten with its If branches inlined ran again: both models' two runs are compared.
                    instrumentation = InstrumentationChecker.check(plain.models().onnxInstrumented()
                            && captured.inlined().isEmpty(), plain.worst().onnx(),
                            plain.worst().tflite(), captured.onnx(), captured.tflite(), warnings)
                            .withMemory(plain.capture().memory(captured.onnx().passes(), captured.tflite().passes()));
                    if (captured.heldWhole() != null) {
                        warnings.add("the TFLite model ran whole, every intermediate held at once, although the capture"
                                + " did not fit the memory budget: " + captured.heldWhole());
                    }
                    List<BoundTensor> boundInputs = plain.inputs().stream()
                            .map(b -> new BoundTensor(b.onnx(), b.tflite(), b.layout())).toList();
                    // An output compared by parts is no boundary tensor whose layout alignment can take from the binding.
                    List<BoundTensor> boundOutputs = plain.outputBindings().stream().filter(b -> b.slice() == null)
                            .map(b -> new BoundTensor(b.onnx(), b.tflite(), b.layout())).toList();
                    try (SubgraphRunner alone = request.layers().isolate() == IsolationMode.OFF ? null
                            : runtimes.openOnnxSubgraphs(captured.onnxFile())) {
                        LayerAnalysis.Isolation isolation = alone == null
                                ? LayerAnalysis.Isolation.off(request.layers().diagnose())
                                : new LayerAnalysis.Isolation(request.layers().isolate(), alone,
                                        names -> runtimes.tfliteConstants(tfliteFile, names), request.layers().policy(),
                                        request.layers().diagnose());
                        LayerAnalysis.Side onnxSide = new LayerAnalysis.Side(captured.onnxGraph(),
                                captured.onnx().intermediates(), plain.worst().feeds().onnx());
                        LayerAnalysis.Side tfliteSide = new LayerAnalysis.Side(captured.tfliteGraph(),
                                captured.tflite().intermediates(), plain.worst().feeds().tflite());
                        LayerAnalysis.Analysis analysis = LayerAnalysis.analyze(onnxSide, tfliteSide,
                                boundInputs, boundOutputs, request.layers().mapping(), plain.tolerances(),
                                request.judging().overrides(), outputs, isolation,
                                new LayerAnalysis.Branches(captured.inlined(), captured.notInlined(), captured.unrolled()),
                                fingerprints);
                        layers = analysis.findings();
                        diagnosisMs = analysis.diagnosisMs();
                        warnings.addAll(analysis.warnings());
                        if (reproDir != null) {
                            evidence = new ReproBundle.Evidence(captured.onnxFile(), tfliteFile, onnxSide, tfliteSide,
                                    analysis.isolation());
                        }
                    }
                    compareMs += ms(layerStart, System.nanoTime());
                } finally {
                    warmUp.joinQuietly();
                }
                if (request.inputs().samples() > 1) {
                    warnings.add("layers were compared on sample " + plain.worst().index() + ", the one whose outputs differ most");
                }
            }

            Clipping.warning(outputs, layers == null ? List.of() : layers.layers()).ifPresent(warnings::add);
            RunVerdict decided = RunVerdict.of(outputs, layers, request.layers().policy());
            if (decided.warning() != null) {
                warnings.add(0, decided.warning());
            }
            java.util.Optional<String> outOfDomain = DomainCheck.warning(outputs, layers == null ? List.of() : layers.layers());
            outOfDomain.ifPresent(w -> warnings.add(0, w));
            Verdict verdict = decided.verdict();
            Timings timings = new Timings(plain.times().load(), plain.times().onnx(), plain.times().tflite(), compareMs,
                    diagnosisMs, ms(start, System.nanoTime()));
            Provenance provenance = new Provenance(ToolInfo.CURRENT,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), request.invocation().command(),
                    request.invocation().rerunFor(plain.worst().index()), Platform.current(),
                    plain.models().onnxRuntime(), plain.models().tfliteRuntime(), ModelInfo.of(plain.models().onnx()), ModelInfo.of(plain.models().tflite()),
                    java.util.UUID.randomUUID().toString());
            Map<String, Tensor> tfliteOutputs = StagedOutputs.of(plain.outputBindings(), plain.worst().onnx(),
                    plain.worst().tflite());
            Decision decision = new Decision(verdict, ReportStory.summarize(decided, outputs, layers,
                    outOfDomain.isPresent()), request.layers().policy().name().toLowerCase(java.util.Locale.ROOT),
                    decided.layerVerdict(), decided.failedBy(), warnings);
            RunSetup setup = new RunSetup(provenance, request.inputs().seed(), request.inputs().samples(),
                    PrecisionInfo.of(plain.models().precision(), plain.tolerances()),
                    plain.tolerances().outputs().describe(), layers == null ? null : plain.tolerances().layers().describe(),
                    layers == null || request.layers().isolate() == IsolationMode.OFF ? null
                            : isolationRuleText(plain.tolerances()));
            ParityReport report = new ParityReport(ParityReport.SCHEMA_VERSION, decision, setup, plain.inputRecords(),
                    outputs, layers, instrumentation, timings);
            if (reproDir != null) {
                reproOutcome.accept(evidence == null
                        ? new ReproOutcome.NotWritten(reproDir, "the layers were not compared (--outputs-only), so no root"
                                + " cause was found to cut")
                        : ReproBundle.write(reproDir, report, evidence, request, runtimes, reproAgainst));
            }
            return new Verification(report, plain.worst().onnx().outputs(), tfliteOutputs);
        } finally {
            if (captured != null) {
                release(request, "parity-release-capture", captured::close);
            } else if (plain.tfliteCapture() != null) {
                CapturedRun.discard(plain.tfliteCapture());
            }
        }
    }

    /** Opens both runtimes once and runs every sample through them: N samples cost N inferences, one load. */
    private PlainRun runPlain(VerifyRequest request, ModelFile onnxFile, ModelFile tfliteFile, long start)
            throws ParityException {
        // With layers and one sample the reference runs once, instrumented: exposing every intermediate moves
        // its outputs by float rounding only (about 1e-6 of scale, a thousandth of the default tolerance), and
        // a second ONNX Runtime session was the largest cost of a layer-by-layer verify. The converted model,
        // the one that ships, always runs plain too.
        RunnerSettings onnxSettings = request.layers().compared() && request.inputs().samples() == 1 ? request.models().settings().instrumented()
                : request.models().settings();
        Background<CapturedRun.Side, ModelFailureException> tfliteCapture = null;
        ModelRunner onnxInPasses = null;
        // The images decode while the models open, which give the shape they are then brought to.
        PrefetchedImages images = PrefetchedImages.start(request.inputs().sources().values().stream()
                .filter(InputSource.Image.class::isInstance).map(s -> ((InputSource.Image) s).file()).toList());
        RunnerPair runners = null;
        try {
            runners = RunnerPair.open(runtimes, onnxFile, onnxSettings, tfliteFile, request.models().settings());
            ModelRunner onnx = runners.onnx();
            ModelRunner tflite = runners.tflite();
            // The digests only the reports read, hashed from now on beside the inferences (FileDigest says why).
            onnxFile.ref().digest().start();
            tfliteFile.ref().digest().start();
            long loaded = System.nanoTime();
            RequestChecks.checkBindsExist(request.models().binds(), onnx.signature(), tflite.signature());
            RequestChecks.checkChecksExist(request.judging().checks(), onnx.signature());
            Map<String, InputSource> sources = new LinkedHashMap<>();
            List<String> seededBooleans = new ArrayList<>();
            Map<String, Shape> shapes = new LinkedHashMap<>(request.inputs().shapes());
            for (TensorSpec spec : onnx.signature().inputs()) {
                // An array read here fixes a dynamic shape.
                InputSource source = InputFeeds.source(spec, request, onnx.graph().inputDomains(), tflite.graph());
                boolean given = request.inputs().sources().containsKey(spec.name());
                if (spec.dtype() == DType.BOOL && !given && source instanceof InputSource.Seeded) {
                    seededBooleans.add("ONNX input '" + spec.name() + "' (bool) is seeded at random, each element true"
                            + " or false: its graph implies no value (--input " + spec.name() + "=ones or =0 feeds one)");
                }
                sources.put(spec.name(), source);
                if (spec.shape().isDynamic()) {
                    // A file or staged value fixes a dynamic input's shape; a static input checks it later.
                    InputResolver.shapeOf(source).ifPresent(s -> shapes.putIfAbsent(spec.name(), s));
                }
            }
            RequestChecks.checkSourcesExist(request.inputs().sources(), onnx.signature());
            Map<String, ShapeResolver.InputShape> onnxShapes = ShapeResolver.resolve(onnx.signature().inputs(), shapes,
                    tflite.signature().inputs());
            PortBinding inputBinding = PortMatcher.forInputs().match(Port.ofShapes(onnxShapes),
                    Port.ofSpecs(tflite.signature().inputs()), request.models().binds());
            List<Binding> inputs = inputBinding.pairs();
            CapturePlan capture = null;
            if (request.layers().compared()) {
                long inputValues = inputs.stream().mapToLong(b -> b.tfliteShape().elementCount()).sum()
                        + inputBinding.tfliteOnly().stream().mapToLong(p -> InputFeeds.openDimensionsAsOne(p.shape()).elementCount()).sum();
                long maxMemory = request.layers().maxMemory();
                capture = CapturePlan.of(maxMemory > 0 ? OptionalLong.of(maxMemory) : OptionalLong.empty(),
                        tflite.capturedValues(inputValues), tflite.largestCapturedValues(inputValues),
                        (double) outputsOf(onnx.graph()) / Math.max(1, outputsOf(tflite.graph())));
                if (capture.inPasses() && onnxSettings.captureIntermediates()) {
                    // The reference's run is its instrumented run: it too runs in passes, in place of the session
                    // opened with every intermediate exposed at once.
                    onnx.close();
                    onnxInPasses = runtimes.openOnnx(onnxFile, capture.instrumented(request.models().settings()));
                    onnx = onnxInPasses;
                }
            }
            CapturePlan plan = capture;
            List<String> warnings = new ArrayList<>(seededBooleans);
            onnxShapes.forEach((name, shape) -> {
                if (shape.guessed()) {
                    warnings.add("ONNX input '" + name + "': " + shape.origin());
                }
            });
            // Often a value the converter pinned as a constant (a sample rate that selects an If branch): say which.
            inputBinding.onnxOnly().forEach(p -> warnings.add("ONNX input '" + p.name() + "' " + p.shape()
                    + " has no TFLite counterpart: it is fed to the ONNX model only (" + sources.get(p.name()).describe()
                    + ")" + (sources.get(p.name()) instanceof InputSource.Implied i && i.low() == i.high()
                            ? "; the TFLite model likely has this value pinned as a constant (--input " + p.name()
                                    + "=VALUE feeds another)" : "")));
            inputBinding.tfliteOnly().forEach(p -> warnings.add("TFLite input '" + p.name() + "' " + p.shape()
                    + " has no ONNX counterpart: it is fed seeded values of its own"));
            InputFeeds feeding = new InputFeeds(request, onnx.signature(), tflite.signature(), inputBinding, sources,
                    onnxShapes, images);
            Tolerances tolerances = request.judging().tolerances().resolve(tflite.precision());

            OutputJudge judge = null;
            WorstSample worst = null;
            double onnxMs = 0;
            double tfliteMs = 0;
            double compareMs = ms(loaded, System.nanoTime());
            for (int sample = 0; sample < request.inputs().samples(); sample++) {
                long t0 = System.nanoTime();
                InputFeeds.Sample feeds = feeding.sample(sample);
                request.inputs().recorder().record(sample, feeds.onnx());
                if (onnxSettings.captureIntermediates() && tfliteCapture == null && !plan.inPasses()) {
                    // One sample, so these are the feeds layers are compared on: the converted model's instrumented
                    // run overlaps with the plain ones, on the second core (in passes, the two models' passes take
                    // turns within the budget instead).
                    tfliteCapture = Background.start("parity-tflite-instrumented", () -> CapturedRun.tfliteInPlace(
                            runtimes, tfliteFile, plan.instrumented(request.models().settings()), feeds.tflite()));
                }
                // The two single-threaded inferences side by side: on the 2-core CI machine the full-size DaSiamRPN
                // detection pair's took 163 ms together against 115 + 110 ms one after the other.
                long t1 = System.nanoTime();
                Background<TimedRun, ModelFailureException> tfliteRun = Background.start("parity-tflite-run",
                        () -> TimedRun.of(tflite, feeds.tflite()));
                RunResult onnxResult;
                TimedRun tfliteTimed;
                long t2;
                ModelRunner reference = onnx;
                try {
                    onnxResult = tfliteRun.runBeside(() -> onnxSettings.captureIntermediates()
                            ? reference.run(feeds.onnx(), plan.keep()) : reference.run(feeds.onnx()));
                    t2 = System.nanoTime();
                    tfliteTimed = tfliteRun.join();
                } catch (ModelFailureException e) {
                    throw ChosenShapes.explain(e, onnxShapes);
                }
                RunResult tfliteResult = tfliteTimed.result();
                long t3 = System.nanoTime();
                if (judge == null) {
                    PortBinding outputs = PortMatcher.forOutputs().matchOutputs(Port.ofTensors(onnxResult.outputs()),
                            Port.ofTensors(tfliteResult.outputs()), request.models().binds(), onnxResult.outputs(),
                            tfliteResult.outputs());
                    RequestChecks.checkOutputsPair(outputs, onnxResult.outputs(), tfliteResult.outputs());
                    outputs.tfliteOnly().forEach(p -> warnings.add("TFLite output '" + p.name() + "' " + p.shape()
                            + " has no ONNX counterpart and is not compared"));
                    judge = new OutputJudge(request.judging().overrides(), request.judging().checks(), tolerances.outputs(), outputs, onnxResult, tfliteResult,
                            new ValueRanges(onnx.graph()));
                }
                if (judge.add(sample, onnxResult, tfliteResult)) {
                    worst = new WorstSample(sample, feeds, onnxResult, tfliteResult);
                }
                onnxMs += ms(t1, t2);
                tfliteMs += tfliteTimed.ms();
                progress.samplesDone(sample + 1, request.inputs().samples());
                compareMs += ms(t0, t1) + ms(t3, System.nanoTime());
            }
            warnings.addAll(feeding.clippingWarnings());
            OpenedModels models = new OpenedModels(onnx.model(), tflite.model(), onnx.runtime(), tflite.runtime(),
                    tflite.precision(), onnx.graph(), onnxSettings.captureIntermediates());
            return new PlainRun(inputs, judge.pairs(), feeding.records(), judge.results(), tolerances, warnings,
                    worst, models,
                    new PlainTimes(ms(start, loaded), onnxMs, tfliteMs, compareMs), tfliteCapture, capture);
        } catch (ParityException | RuntimeException | Error e) {
            if (tfliteCapture != null) {
                CapturedRun.discard(tfliteCapture);
            }
            throw e;
        } finally {
            images.close();
            if (onnxInPasses != null) {
                onnxInPasses.close();
            }
            if (runners != null) {
                release(request, "parity-release-runners", runners::close);
            }
        }
    }

    /**
     * Closes runtimes whose values have all been read: on a thread of their own (NativeRelease says why), or at once
     * under a memory budget, where the next pass must not find their memory still held.
     */
    private static void release(VerifyRequest request, String name, Runnable close) {
        if (request.layers().maxMemory() > 0) {
            close.run();
        } else {
            NativeRelease.inBackground(name, close);
        }
    }

    /** The isolation rule in words, and the stricter one for layers computed by float32 operators where it differs. */
    private static String isolationRuleText(Tolerances tolerances) {
        String rule = tolerances.isolated().describe();
        return tolerances.isolatedInFloat() == null ? rule
                : rule + "; where the converted operators are all float32: " + tolerances.isolatedInFloat().describe();
    }

    /** The tensors a graph's operators write. */
    private static long outputsOf(ModelGraph graph) {
        return graph.nodes().stream().mapToLong(n -> n.outputs().size()).sum();
    }

    private static double ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }
}
