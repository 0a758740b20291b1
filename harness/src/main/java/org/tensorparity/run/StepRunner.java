package org.tensorparity.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;
import org.tensorparity.ParityException;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.NativeStack;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.bind.Binding;
import org.tensorparity.bind.InputSequence;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.Port;
import org.tensorparity.bind.PortBinding;
import org.tensorparity.bind.PortMatcher;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.compare.Verdict;
import org.tensorparity.judge.DomainCheck;
import org.tensorparity.judge.OutputJudge;
import org.tensorparity.judge.ReportStory;
import org.tensorparity.judge.RunVerdict;
import org.tensorparity.judge.StepStory;
import org.tensorparity.judge.ValueRanges;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.result.Decision;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.StepSeries;
import org.tensorparity.result.StepTrack;
import org.tensorparity.result.Timings;
import org.tensorparity.tensor.Tensor;

/**
 * A streaming verify ({@code --steps N}): both models run N steps on the runners opened once, each fed its own state
 * outputs back as its state inputs (ONNX's to ONNX, TFLite's to TFLite), as an app runs a recurrent model block after
 * block. The state starts at zeros unless an input source is given for it. The other inputs are fresh at every step:
 * seeded with {@code seed + k - 1} at step k, or slice {@code k - 1} of a {@code .npy}/{@code .npz} array whose
 * leading axis is the step ({@link InputSequence}); any other source feeds every step alike.
 *
 * <p>Every output is compared at every step; the report's outputs are judged on their worst step. The layers are then
 * compared once, by an ordinary verify of the worst step's inputs with the ONNX model's state at that step fed to both
 * models: it shows what one step of the conversion computes differently, on the state the stream had reached, without
 * the drift the TFLite model's own state carries.
 */
public final class StepRunner {
    private final Runtimes runtimes;
    private final ParityVerifier singleStep;

    /**
     * @param runtimes where the streaming runners are opened
     * @param singleStep the verifier that compares the layers on the worst step's inputs
     */
    public StepRunner(Runtimes runtimes, ParityVerifier singleStep) {
        this.runtimes = Objects.requireNonNull(runtimes, "runtimes");
        this.singleStep = Objects.requireNonNull(singleStep, "singleStep");
    }

    /** What the steps found, and the worst step's ONNX feeds. */
    private record Streamed(StepSeries series, List<OutputResult> outputs, Map<String, Tensor> worstFeeds,
            Map<String, String> worstDescriptions, double loadMs, double onnxMs, double tfliteMs, double compareMs) {
    }

    public ParityReport run(VerifyRequest request, StepPlan plan) throws ParityException {
        if (request.inputs().samples() > 1) {
            throw new BadInputException("--steps runs one sequence of steps: it does not combine with --samples");
        }
        if (request.inputs().recorder() != InputRecorder.NONE) {
            // A step's inputs hold the state the stream reached: saved alone they would rerun another sequence.
            throw new BadInputException("--save-inputs does not combine with --steps: a sequence is rerun from its"
                    + " seed or its sequence files");
        }
        long start = System.nanoTime();
        ModelFile onnxFile = ModelFile.read(request.models().onnx(), ModelFormat.ONNX);
        ModelFile tfliteFile = runtimes.tfliteSignature(ModelFile.read(request.models().tflite(), ModelFormat.TFLITE),
                request.models().signature());
        Streamed streamed;
        try (RunnerPair runners = RunnerPair.open(runtimes, onnxFile, request.models().settings(), tfliteFile,
                request.models().settings())) {
            // On one thread with the runtimes' large stack, so that each step's two runs need no thread of their own
            // (about 0.5 ms each: NativeStack).
            double loadMs = ms(start, System.nanoTime());
            streamed = NativeStack.call("parity-steps", () -> stream(request, plan, runners, loadMs));
        }
        Map<String, InputSource> atWorst = new LinkedHashMap<>();
        streamed.worstFeeds().forEach((name, values) -> atWorst.put(name,
                new InputSource.Values(values, streamed.worstDescriptions().get(name))));
        VerifyRequest single = new VerifyRequest(request.models(), new VerifyRequest.Inputs(request.inputs().seed(),
                request.inputs().distribution(), 1, request.inputs().shapes(),
                atWorst, InputRecorder.NONE), request.judging(), request.layers(), request.invocation());
        ParityReport layered = singleStep.verify(single);
        return combined(request, streamed, layered, start);
    }

    private Streamed stream(VerifyRequest request, StepPlan plan, RunnerPair runners, double loadMs)
            throws ParityException {
        ModelRunner onnx = runners.onnx();
        ModelRunner tflite = runners.tflite();
        RequestChecks.checkBindsExist(request.models().binds(), onnx.signature(), tflite.signature());
        RequestChecks.checkChecksExist(request.judging().checks(), onnx.signature());
        RequestChecks.checkSourcesExist(request.inputs().sources(), onnx.signature());
        StepFeeds feeds = StepFeeds.prepare(request, plan, onnx.signature(), tflite.signature(),
                onnx.graph().inputDomains(), tflite.graph());
        Tolerances tolerances = request.judging().tolerances().resolve(tflite.precision());
        OutputJudge judge = null;
        // Per output, the ONNX feeds of the step where it differs most: the layers are compared on one of them.
        List<Map<String, Tensor>> largestFeeds = new ArrayList<>();
        double[] largest = null;
        double onnxMs = 0;
        double tfliteMs = 0;
        long loopStart = System.nanoTime();
        for (int step = 1; step <= plan.steps(); step++) {
            InputFeeds.Sample fed = feeds.at(step);
            long t0 = System.nanoTime();
            RunResult onnxResult;
            RunResult tfliteResult;
            long t1;
            try {
                onnxResult = onnx.run(fed.onnx());
                t1 = System.nanoTime();
                tfliteResult = tflite.run(fed.tflite());
            } catch (ModelFailureException e) {
                throw ChosenShapes.explain(e, feeds.shapes());
            }
            long t2 = System.nanoTime();
            onnxMs += ms(t0, t1);
            tfliteMs += ms(t1, t2);
            if (judge == null) {
                PortBinding outputs = PortMatcher.forOutputs().matchOutputs(Port.ofTensors(onnxResult.outputs()),
                        Port.ofTensors(tfliteResult.outputs()), request.models().binds(), onnxResult.outputs(),
                        tfliteResult.outputs());
                RequestChecks.checkOutputsPair(outputs, onnxResult.outputs(), tfliteResult.outputs());
                judge = new OutputJudge(request.judging().overrides(), request.judging().checks(), tolerances.outputs(),
                        outputs, onnxResult, tfliteResult, new ValueRanges(onnx.graph())).countingSteps();
                largest = new double[judge.pairs().size()];
                Arrays.fill(largest, -1);
                judge.pairs().forEach(b -> largestFeeds.add(null));
                feeds.feedBack(outputs, fed, onnxResult, tfliteResult);
            } else {
                feeds.feedBack(null, fed, onnxResult, tfliteResult);
            }
            judge.add(step - 1, onnxResult, tfliteResult);
            for (int i = 0; i < largest.length; i++) {
                if (judge.latestMaxAbs(i) > largest[i]) {
                    largest[i] = judge.latestMaxAbs(i);
                    largestFeeds.set(i, fed.onnx());
                }
            }
        }
        double loopMs = ms(loopStart, System.nanoTime());
        List<OutputResult> outputs = judge.results();
        List<StepTrack> tracks = new ArrayList<>();
        Integer firstFailing = null;
        StepTrack worst = null;
        Map<String, Tensor> worstFeeds = largestFeeds.get(0);
        for (int i = 0; i < judge.pairs().size(); i++) {
            Binding b = judge.pairs().get(i);
            OutputJudge.SampleSeries s = judge.series(i);
            if (s != null) {
                StepTrack track = track(b, s, feeds.feeds(b.onnx()));
                tracks.add(track);
                if (track.firstFailingStep() != null && (firstFailing == null || track.firstFailingStep() < firstFailing)) {
                    firstFailing = track.firstFailingStep();
                }
                if (worst == null || worse(track, worst)) {
                    worst = track;
                    worstFeeds = largestFeeds.get(i);
                }
            }
        }
        int worstStep = worst == null ? 1 : worst.worstStep();
        StepSeries series = new StepSeries(plan.steps(), feeds.feedback(), feeds.describe(), tracks, worstStep,
                firstFailing, worstStep, firstFailing == null ? Verdict.PASS : Verdict.FAIL, loopMs);
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (String name : worstFeeds.keySet()) {
            descriptions.put(name, "step " + worstStep + " of " + plan.steps() + ": " + (feeds.isState(name)
                    ? "the ONNX model's state, fed to both models" : "that step's input"));
        }
        return new Streamed(series, outputs, worstFeeds, descriptions, loadMs, onnxMs, tfliteMs,
                loopMs - onnxMs - tfliteMs);
    }

    private static StepTrack track(Binding b, OutputJudge.SampleSeries s, String feeds) {
        List<Double> maxAbs = new ArrayList<>(s.maxAbs().length);
        int worst = 0;
        Integer firstFailing = null;
        int failing = 0;
        for (int k = 0; k < s.maxAbs().length; k++) {
            maxAbs.add(s.maxAbs()[k]);
            if (!s.passed()[k]) {
                failing++;
                firstFailing = firstFailing == null ? k + 1 : firstFailing;
            }
            worst = s.maxAbs()[k] > s.maxAbs()[worst] ? k : worst;
        }
        return new StepTrack(b.onnx(), b.tflite(), feeds, s.scale(), s.relativeTolerance(), maxAbs, worst + 1,
                firstFailing, failing, failing == 0 ? Verdict.PASS : Verdict.FAIL);
    }

    /** A failing output is worse than a passing one; among equals, the larger relative error at its worst step. */
    private static boolean worse(StepTrack a, StepTrack b) {
        if (a.verdict() != b.verdict()) {
            return a.verdict() == Verdict.FAIL;
        }
        return a.relativeError(a.worstStep()) > b.relativeError(b.worstStep());
    }

    private ParityReport combined(VerifyRequest request, Streamed streamed, ParityReport layered, long start) {
        List<OutputResult> outputs = streamed.outputs();
        RunVerdict decided = RunVerdict.of(outputs, layered.layerFindings(), request.layers().policy());
        List<String> warnings = new ArrayList<>();
        Optional<String> outOfDomain = DomainCheck.warning(outputs, layered.layers());
        outOfDomain.ifPresent(warnings::add);
        if (decided.warning() != null && !layered.warnings().contains(decided.warning())) {
            warnings.add(decided.warning());
        }
        if (layered.layerFindings() != null) {
            warnings.add("layers were compared once, on step " + streamed.series().layerStep() + "'s inputs (the"
                    + " worst step) with the ONNX model's state at that step fed to both models");
        }
        warnings.addAll(layered.warnings());
        String summary = StepStory.of(streamed.series()) + " " + ReportStory.summarize(decided, outputs,
                layered.layerFindings(), outOfDomain.isPresent());
        Decision decision = new Decision(decided.verdict(), summary, layered.layerPolicy(), decided.layerVerdict(),
                decided.failedBy(), warnings);
        Timings t = layered.timings();
        Timings timings = new Timings(t.loadMs() + streamed.loadMs(), t.onnxInferenceMs() + streamed.onnxMs(),
                t.tfliteInferenceMs() + streamed.tfliteMs(), t.compareMs() + streamed.compareMs(), t.diagnosisMs(),
                ms(start, System.nanoTime()));
        return new ParityReport(layered.schemaVersion(), decision, layered.setup(), layered.inputs(), outputs,
                layered.layerFindings(), layered.instrumentation(), timings, streamed.series());
    }

    private static double ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }
}
