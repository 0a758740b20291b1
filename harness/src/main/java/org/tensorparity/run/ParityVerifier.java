package org.tensorparity.run;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;
import org.tensorparity.ParityException;
import org.tensorparity.align.BoundTensor;
import org.tensorparity.backend.Background;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.RuntimeInfo;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.bind.Binding;
import org.tensorparity.bind.FeedResolver;
import org.tensorparity.bind.FeedSource;
import org.tensorparity.bind.FeedValues;
import org.tensorparity.bind.Port;
import org.tensorparity.bind.PortBinding;
import org.tensorparity.bind.PortMatcher;
import org.tensorparity.bind.QuantizedFeed;
import org.tensorparity.bind.ShapeResolver;
import org.tensorparity.compare.Verdict;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.ModelRef;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.report.InputRecord;
import org.tensorparity.report.InstrumentationCheck;
import org.tensorparity.report.ModelInfo;
import org.tensorparity.report.OutputResult;
import org.tensorparity.report.ParityReport;
import org.tensorparity.report.PrecisionInfo;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.compare.TensorComparator;
import org.tensorparity.model.Precision;
import org.tensorparity.report.Platform;
import org.tensorparity.report.Provenance;
import org.tensorparity.report.Timings;
import org.tensorparity.report.ToolInfo;
import org.tensorparity.tensor.Quantization;
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
     * The plain runs of every sample: what was bound, the judged outputs, and the worst sample's feeds and
     * results (the sample layers are compared on). With {@code onnxInstrumented} the reference ran once with
     * every intermediate exposed, and {@code onnx} holds them.
     * {@code tfliteCapture}, when not null, is the converted model's instrumented run, started beside the plain
     * runs of the one sample.
     */
    private record PlainRun(List<Binding> inputs, List<Binding> outputBindings, List<InputRecord> inputRecords,
            List<OutputResult> outputs, Tolerances tolerances, Precision precision, List<String> warnings, int worstSample, Map<String, Tensor> onnxFeeds, Map<String, Tensor> tfliteFeeds, RunResult onnx,
            RunResult tflite, RuntimeInfo onnxRuntime, RuntimeInfo tfliteRuntime, ModelRef onnxModel,
            ModelRef tfliteModel, double loadMs, double onnxMs, double tfliteMs, double compareMs,
            ModelGraph onnxGraph, boolean onnxInstrumented, Background<TfliteCapture, ModelFailureException> tfliteCapture) {
    }

    /** One inference and how long it took. */
    private record TimedRun(RunResult result, double ms) {
        static TimedRun of(ModelRunner runner, Map<String, Tensor> feeds) throws ModelFailureException {
            long start = System.nanoTime();
            RunResult result = runner.run(feeds);
            return new TimedRun(result, ParityVerifier.ms(start, System.nanoTime()));
        }
    }

    /** The converted model's instrumented run. */
    private record TfliteCapture(ModelGraph graph, RunResult result) {
    }

    /** The instrumented run: graphs and every captured tensor. */
    private record CapturedRun(ModelGraph onnxGraph, RunResult onnx, ModelGraph tfliteGraph, RunResult tflite) {
    }

    private final Runtimes runtimes;
    private final ProgressListener progress;

    /** A verifier on the runtimes this build links, reporting no progress. */
    public ParityVerifier() {
        this(Runtimes.standard(), ProgressListener.NONE);
    }

    /** A verifier that opens its runners from {@code runtimes} and reports each finished sample to {@code progress}. */
    public ParityVerifier(Runtimes runtimes, ProgressListener progress) {
        this.runtimes = runtimes;
        this.progress = progress;
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
        // Both files read and digested side by side, while the second core is free: an --outputs-only verify of the
        // full-size DaSiamRPN template pair (two 86 MB files) took 1.43 s against 1.62 s one after the other
        // (medians of 8, A B alternated, 2-core CI machine). The ONNX file's problems are still told first.
        Background<ModelFile, BadInputException> tfliteRead = Background.start("parity-read-tflite",
                () -> ModelFile.read(request.tflite(), ModelFormat.TFLITE));
        ModelFile onnxFile = tfliteRead.runBeside(() -> ModelFile.read(request.onnx(), ModelFormat.ONNX));
        ModelFile tfliteFile = tfliteRead.join();
        PlainRun plain = runPlain(request, onnxFile, tfliteFile, start);
        List<OutputResult> outputs = plain.outputs();
        double compareMs = plain.compareMs();

        LayerAnalysis.Outcome layers = null;
        InstrumentationCheck instrumentation = null;
        List<String> warnings = new ArrayList<>(plain.warnings());
        if (request.layers()) {
            // The layers' judging is the one Java loop that runs long enough to matter while the JIT is still
            // compiling: the kernel is warmed up on the second core meanwhile (TensorComparator.warmUp says why).
            Background<Void, RuntimeException> warmUp = Background.start("parity-comparator-warm-up", () -> {
                TensorComparator.warmUp();
                return null;
            });
            try {
                CapturedRun captured = runInstrumented(request.settings(), onnxFile, tfliteFile, plain);
                long layerStart = System.nanoTime();
                instrumentation = InstrumentationChecker.check(plain.onnxInstrumented(), plain.onnx(), plain.tflite(),
                        captured.onnx(), captured.tflite(), warnings);
                List<BoundTensor> boundInputs = plain.inputs().stream()
                        .map(b -> new BoundTensor(b.onnx(), b.tflite(), b.layout())).toList();
                // An output compared by parts is no boundary tensor whose layout alignment can take from the binding.
                List<BoundTensor> boundOutputs = plain.outputBindings().stream().filter(b -> b.slice() == null)
                        .map(b -> new BoundTensor(b.onnx(), b.tflite(), b.layout())).toList();
                try (SubgraphRunner alone = request.isolate() == IsolationMode.OFF ? null
                        : runtimes.openOnnxSubgraphs(onnxFile)) {
                    LayerAnalysis.Isolation isolation = alone == null ? LayerAnalysis.Isolation.OFF
                            : new LayerAnalysis.Isolation(request.isolate(), alone);
                    layers = LayerAnalysis.analyze(
                            new LayerAnalysis.Side(captured.onnxGraph(), captured.onnx().intermediates(), plain.onnxFeeds()),
                            new LayerAnalysis.Side(captured.tfliteGraph(), captured.tflite().intermediates(),
                                    plain.tfliteFeeds()),
                            boundInputs, boundOutputs, request.mapping(), plain.tolerances().layers(),
                            plain.tolerances().isolated(), request.overrides(), outputs, isolation);
                }
                compareMs += ms(layerStart, System.nanoTime());
            } finally {
                warmUp.joinQuietly();
            }
            if (request.samples() > 1) {
                warnings.add("layers were compared on sample " + plain.worstSample() + ", the one whose outputs differ most");
            }
        }

        Clipping.warning(outputs, layers == null ? List.of() : layers.layers()).ifPresent(warnings::add);
        RunVerdict decided = RunVerdict.of(outputs, layers, request.layerPolicy());
        if (decided.warning() != null) {
            warnings.add(0, decided.warning());
        }
        java.util.Optional<String> outOfDomain = DomainCheck.warning(outputs, layers == null ? List.of() : layers.layers());
        outOfDomain.ifPresent(w -> warnings.add(0, w));
        Verdict verdict = decided.verdict();
        Timings timings = new Timings(plain.loadMs(), plain.onnxMs(), plain.tfliteMs(), compareMs,
                ms(start, System.nanoTime()));
        Provenance provenance = new Provenance(ToolInfo.CURRENT,
                Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), request.command(),
                request.rerunFor(plain.worstSample()), Platform.current(),
                plain.onnxRuntime(), plain.tfliteRuntime(), info(plain.onnxModel()), info(plain.tfliteModel()),
                java.util.UUID.randomUUID().toString());
        Map<String, Tensor> tfliteOutputs = StagedOutputs.of(plain.outputBindings(), plain.onnx(), plain.tflite());
        ParityReport report = new ParityReport(ParityReport.SCHEMA_VERSION, verdict,
                ReportStory.summarize(decided, outputs, layers, outOfDomain.isPresent()), provenance, request.seed(), request.samples(),
                precisionInfo(plain.precision(), plain.tolerances()),
                plain.tolerances().outputs().describe(), layers == null ? null : plain.tolerances().layers().describe(),
                layers == null || request.isolate() == IsolationMode.OFF ? null : plain.tolerances().isolated().describe(),
                request.layerPolicy().name().toLowerCase(java.util.Locale.ROOT), decided.layerVerdict(),
                decided.failedBy(), plain.inputRecords(), outputs,
                layers == null ? null : layers.alignment(), layers == null ? List.of() : layers.layers(),
                layers == null ? List.of() : layers.noiseHotspots(),
                layers == null ? null : layers.firstDivergence(), layers == null ? List.of() : layers.unmatched(),
                layers == null ? List.of() : layers.layoutAnomalies(), instrumentation, warnings, timings);
        return new Verification(report, plain.onnx().outputs(), tfliteOutputs);
    }

    /** Opens both runtimes once and runs every sample through them: N samples cost N inferences, one load. */
    private PlainRun runPlain(VerifyRequest request, ModelFile onnxFile, ModelFile tfliteFile, long start)
            throws ParityException {
        // With layers and one sample the reference runs once, instrumented: exposing every intermediate moves
        // its outputs by float rounding only (about 1e-6 of scale, a thousandth of the default tolerance), and
        // a second ONNX Runtime session was the largest cost of a layer-by-layer verify. The converted model,
        // the one that ships, always runs plain too.
        RunnerSettings onnxSettings = request.layers() && request.samples() == 1 ? request.settings().instrumented()
                : request.settings();
        Background<TfliteCapture, ModelFailureException> tfliteCapture = null;
        try (RunnerPair runners = RunnerPair.open(runtimes, onnxFile, onnxSettings, tfliteFile, request.settings())) {
            ModelRunner onnx = runners.onnx();
            ModelRunner tflite = runners.tflite();
            long loaded = System.nanoTime();
            RequestChecks.checkBindsExist(request.binds(), onnx.signature(), tflite.signature());
            RequestChecks.checkChecksExist(request.checks(), onnx.signature());
            Map<String, FeedSource> sources = new LinkedHashMap<>();
            Map<String, Shape> shapes = new LinkedHashMap<>(request.shapes());
            for (TensorSpec spec : onnx.signature().inputs()) {
                FeedSource source = FeedResolver.sourceFor(spec.name(), request.sources(), request.distribution());
                sources.put(spec.name(), source);
                if (spec.shape().isDynamic()) {
                    // A file or staged value fixes a dynamic input's shape; a static input checks it later.
                    FeedResolver.shapeOf(source).ifPresent(s -> shapes.putIfAbsent(spec.name(), s));
                }
            }
            RequestChecks.checkSourcesExist(request.sources(), onnx.signature());
            Map<String, ShapeResolver.InputShape> onnxShapes = ShapeResolver.resolve(onnx.signature().inputs(), shapes,
                    tflite.signature().inputs());
            PortBinding inputBinding = PortMatcher.forInputs().match(ports(onnxShapes),
                    specPorts(tflite.signature().inputs()), request.binds());
            List<Binding> inputs = inputBinding.pairs();
            if (request.layers()) {
                long inputValues = inputs.stream().mapToLong(b -> b.tfliteShape().elementCount()).sum()
                        + inputBinding.tfliteOnly().stream().mapToLong(p -> openDimensionsAsOne(p.shape()).elementCount()).sum();
                CaptureBudget.require(tflite.capturedValues(inputValues));
            }
            List<String> warnings = new ArrayList<>();
            onnxShapes.forEach((name, shape) -> {
                if (shape.guessed()) {
                    warnings.add("ONNX input '" + name + "': " + shape.origin());
                }
            });
            inputBinding.onnxOnly().forEach(p -> warnings.add("ONNX input '" + p.name() + "' " + p.shape()
                    + " has no TFLite counterpart: it is fed to the ONNX model only"));
            inputBinding.tfliteOnly().forEach(p -> warnings.add("TFLite input '" + p.name() + "' " + p.shape()
                    + " has no ONNX counterpart: it is fed seeded values of its own"));
            FeedResolver resolver = new FeedResolver(request.seed());
            Tolerances tolerances = request.tolerances().resolve(tflite.precision());

            OutputJudge judge = null;
            List<InputRecord> records = new ArrayList<>();
            Map<String, Double> clipped = new LinkedHashMap<>();
            Map<String, Tensor> worstOnnxFeeds = null;
            Map<String, Tensor> worstTfliteFeeds = null;
            RunResult worstOnnx = null;
            RunResult worstTflite = null;
            double onnxMs = 0;
            double tfliteMs = 0;
            double compareMs = ms(loaded, System.nanoTime());
            for (int sample = 0; sample < request.samples(); sample++) {
                long t0 = System.nanoTime();
                Map<String, Tensor> onnxFeeds = new LinkedHashMap<>();
                Map<String, Tensor> tfliteFeeds = new LinkedHashMap<>();
                for (Binding b : inputs) {
                    TensorSpec spec = onnx.signature().input(b.onnx()).orElseThrow();
                    FeedValues values = resolver.values(spec, b.onnxShape(), sources.get(b.onnx()), sample);
                    Tensor tfliteValues = b.layout().fromReference(values.tflite(), b.tfliteShape());
                    Quantization q = tflite.signature().input(b.tflite()).orElseThrow().quantization();
                    if (q == null) {
                        onnxFeeds.put(b.onnx(), values.onnx());
                        tfliteFeeds.put(b.tflite(), tfliteValues);
                    } else {
                        QuantizedFeed quantized = QuantizedFeed.of(tfliteValues, q);
                        tfliteFeeds.put(b.tflite(), quantized.codes());
                        // Identical numbers for both models, unless each is fed its own upstream stage.
                        onnxFeeds.put(b.onnx(), values.onnx() == values.tflite()
                                ? b.layout().toReference(quantized.real().asReal(), b.onnxShape()) : values.onnx());
                        clipped.merge(b.onnx(), quantized.clippedShare(), Math::max);
                    }
                    if (sample == 0) {
                        String source = values.description();
                        if (request.samples() > 1 && sources.get(b.onnx()) instanceof FeedSource.Generated g) {
                            source = "seeded " + g.distribution().describe() + " (seeds " + request.seed() + " to "
                                    + (request.seed() + request.samples() - 1) + ", one per sample)";
                        }
                        records.add(new InputRecord(b.onnx(), b.tflite(), b.rule(), spec.dtype(), b.onnxShape(),
                                b.tfliteShape(), b.layout().permutation(), source, onnxShapes.get(b.onnx()).origin(),
                                q == null ? null : q.toString(), null));
                    }
                }
                for (Port p : inputBinding.onnxOnly()) {
                    TensorSpec spec = onnx.signature().input(p.name()).orElseThrow();
                    onnxFeeds.put(p.name(), resolver.values(spec, p.shape(), sources.get(p.name()), sample).onnx());
                }
                for (Port p : inputBinding.tfliteOnly()) {
                    TensorSpec spec = tflite.signature().input(p.name()).orElseThrow();
                    Shape shape = openDimensionsAsOne(p.shape());
                    tfliteFeeds.put(p.name(), resolver.values(spec, shape, new FeedSource.Generated(request.distribution()),
                            sample).tflite());
                }
                request.recorder().record(sample, onnxFeeds);
                if (onnxSettings.captureIntermediates() && tfliteCapture == null) {
                    // One sample, so these are the feeds layers are compared on: the converted model's instrumented
                    // run overlaps with the plain ones, on the second core.
                    Map<String, Tensor> captureFeeds = tfliteFeeds;
                    tfliteCapture = Background.start("parity-tflite-instrumented", () -> {
                        try (ModelRunner captured = runtimes.openTflite(tfliteFile, request.settings().instrumented())) {
                            return new TfliteCapture(captured.graph(), captured.run(captureFeeds));
                        }
                    });
                }
                // The two single-threaded inferences side by side: on the 2-core CI machine the full-size DaSiamRPN
                // detection pair's took 163 ms together against 115 + 110 ms one after the other.
                long t1 = System.nanoTime();
                Map<String, Tensor> deployedFeeds = tfliteFeeds;
                Background<TimedRun, ModelFailureException> tfliteRun = Background.start("parity-tflite-run",
                        () -> TimedRun.of(tflite, deployedFeeds));
                RunResult onnxResult;
                TimedRun tfliteTimed;
                long t2;
                try {
                    onnxResult = tfliteRun.runBeside(() -> onnx.run(onnxFeeds));
                    t2 = System.nanoTime();
                    tfliteTimed = tfliteRun.join();
                } catch (ModelFailureException e) {
                    throw ChosenShapes.explain(e, onnxShapes);
                }
                RunResult tfliteResult = tfliteTimed.result();
                long t3 = System.nanoTime();
                if (judge == null) {
                    PortBinding outputs = PortMatcher.forOutputs().matchOutputs(tensorPorts(onnxResult.outputs()),
                            tensorPorts(tfliteResult.outputs()), request.binds(), onnxResult.outputs(),
                            tfliteResult.outputs());
                    RequestChecks.checkOutputsPair(outputs, onnxResult.outputs(), tfliteResult.outputs());
                    outputs.tfliteOnly().forEach(p -> warnings.add("TFLite output '" + p.name() + "' " + p.shape()
                            + " has no ONNX counterpart and is not compared"));
                    judge = new OutputJudge(request, tolerances.outputs(), outputs, onnxResult, tfliteResult,
                            new ValueRanges(onnx.graph()));
                }
                if (judge.add(sample, onnxResult, tfliteResult)) {
                    worstOnnxFeeds = onnxFeeds;
                    worstTfliteFeeds = tfliteFeeds;
                    worstOnnx = onnxResult;
                    worstTflite = tfliteResult;
                }
                onnxMs += ms(t1, t2);
                tfliteMs += tfliteTimed.ms();
                progress.samplesDone(sample + 1, request.samples());
                compareMs += ms(t0, t1) + ms(t3, System.nanoTime());
            }
            List<InputRecord> withClipping = new ArrayList<>();
            for (InputRecord r : records) {
                Double share = clipped.get(r.onnx());
                withClipping.add(share == null ? r : r.withClippedShare(share));
                if (share != null && share > Clipping.WARNING_SHARE) {
                    warnings.add(String.format(java.util.Locale.ROOT, "%.1f%% of the values fed to TFLite input '%s' lie"
                            + " outside its quantized range (%s) and were clipped: the inputs are probably outside the"
                            + " range the model was calibrated on", 100 * share, r.tflite(), r.quantization()));
                }
            }
            return new PlainRun(inputs, judge.pairs(), withClipping, judge.results(), tolerances, tflite.precision(),
                    warnings, judge.worstSample(),
                    worstOnnxFeeds, worstTfliteFeeds, worstOnnx, worstTflite, onnx.runtime(), tflite.runtime(),
                    onnx.model(), tflite.model(), ms(start, loaded), onnxMs, tfliteMs, compareMs, onnx.graph(),
                    onnxSettings.captureIntermediates(), tfliteCapture);
        } catch (ParityException | RuntimeException | Error e) {
            if (tfliteCapture != null) {
                tfliteCapture.joinQuietly();
            }
            throw e;
        }
    }

    private static PrecisionInfo precisionInfo(Precision precision, Tolerances tolerances) {
        return new PrecisionInfo(precision.id(), precision.description(), tolerances.profile(),
                tolerances.byPrecision() ? "auto" : "given");
    }

    private static Shape openDimensionsAsOne(Shape shape) {
        int[] d = shape.dims();
        for (int i = 0; i < d.length; i++) {
            d[i] = d[i] == Shape.DYNAMIC ? 1 : d[i];
        }
        return Shape.of(d);
    }

    private CapturedRun runInstrumented(RunnerSettings settings, ModelFile onnxFile, ModelFile tfliteFile,
            PlainRun plain) throws ModelFailureException {
        RunnerSettings instrumented = settings.instrumented();
        ModelGraph onnxGraph = plain.onnxGraph();
        RunResult onnxResult = plain.onnx();
        if (!plain.onnxInstrumented()) {
            try (ModelRunner onnx = runtimes.openOnnx(onnxFile, instrumented)) {
                onnxGraph = onnx.graph();
                onnxResult = onnx.run(plain.onnxFeeds());
            }
        }
        if (plain.tfliteCapture() != null) {
            TfliteCapture captured = plain.tfliteCapture().join();
            return new CapturedRun(onnxGraph, onnxResult, captured.graph(), captured.result());
        }
        try (ModelRunner tflite = runtimes.openTflite(tfliteFile, instrumented)) {
            return new CapturedRun(onnxGraph, onnxResult, tflite.graph(), tflite.run(plain.tfliteFeeds()));
        }
    }

    private static List<Port> ports(Map<String, ShapeResolver.InputShape> shapes) {
        return shapes.entrySet().stream().map(e -> new Port(e.getKey(), e.getValue().shape())).toList();
    }

    private static List<Port> specPorts(List<TensorSpec> specs) {
        return specs.stream().map(s -> new Port(s.name(), s.shape())).toList();
    }

    private static List<Port> tensorPorts(Map<String, Tensor> tensors) {
        return tensors.entrySet().stream().map(e -> new Port(e.getKey(), e.getValue().shape())).toList();
    }

    private static ModelInfo info(ModelRef ref) {
        return new ModelInfo(ref.path().toString(), ref.sizeBytes(), ref.sha256());
    }

    private static double ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }
}
