package org.tensorparity.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.tensorparity.BadInputException;
import org.tensorparity.ParityException;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.bind.InputResolver;
import org.tensorparity.bind.InputSource;
import org.tensorparity.judge.LayerPolicy;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.result.SuitePair;
import org.tensorparity.result.SuiteReport;
import org.tensorparity.suite.PairSpec;
import org.tensorparity.suite.Stage;
import org.tensorparity.suite.SuiteFile;
import org.tensorparity.tensor.Tensor;

/**
 * Runs every pair of a suite, stage sources first. A stage feeds the upstream pair's ONNX outputs to the
 * downstream ONNX model and its TFLite outputs to the downstream TFLite model, as the pipeline runs on
 * the phone, so the report shows how upstream error propagates. Every name in the suite is checked
 * against the models before anything runs.
 */
public final class SuiteRunner {
    private final Runtimes runtimes;

    /** A suite runner on the runtimes this build links. */
    public SuiteRunner() {
        this(Runtimes.standard());
    }

    public SuiteRunner(Runtimes runtimes) {
        this.runtimes = runtimes;
    }

    /**
     * @param settings runtime configuration for every pair
     * @param layers compare every layer (false: outputs only)
     * @param layerPolicy whether a confident layer divergence fails a pair whose outputs agree
     * @param isolate which aligned pairs get their isolated error measured
     * @param command the command line, recorded in every pair's provenance
     * @param shard {@code i/n} when the suite is a shard, for the report; null otherwise
     * @param afterEachPair called with the report so far once each pair is done, to write what is finished
     */
    public SuiteReport run(SuiteFile suite, RunnerSettings settings, boolean layers, LayerPolicy layerPolicy,
            IsolationMode isolate, List<String> command, String shard, Consumer<SuiteReport> afterEachPair)
            throws ParityException {
        // A pair whose model cannot be read is that pair's failure; a name the suite file gets wrong stops the suite.
        Map<String, ParityException> unreadable = new HashMap<>();
        for (PairSpec pair : suite.pairs()) {
            ModelSignature signature;
            try {
                // The declared names suffice: building a session for them cost as much as the pair's own load.
                signature = runtimes.onnxSignature(ModelFile.read(pair.onnx(), ModelFormat.ONNX));
            } catch (ParityException e) {
                unreadable.put(pair.name(), e);
                continue;
            }
            suite.checkNames(pair.name(), signature);
        }
        Map<String, Verification> done = new HashMap<>();
        List<SuitePair> results = new ArrayList<>();
        for (PairSpec pair : suite.runOrder()) {
            VerifyRequest.Builder request = VerifyRequest.of(pair.onnx(), pair.tflite()).settings(settings)
                    .seed(pair.seed()).distribution(pair.dist()).tolerances(pair.tolerance()).overrides(pair.overrides())
                    .layers(layers).layerPolicy(layerPolicy).isolate(isolate).invocation(command, List.of());
            pair.shapes().forEach(request::shape);
            pair.checks().forEach((output, checks) -> checks.forEach(check -> request.check(output, check)));
            request.sources(sources(pair));
            List<String> stagedFrom = new ArrayList<>();
            String notRun = null;
            for (Stage stage : suite.stagesInto(pair.name())) {
                Verification upstream = done.get(stage.from());
                for (Map.Entry<String, String> wire : stage.wires().entrySet()) {
                    String from = stage.from() + "." + wire.getKey();
                    stagedFrom.add(wire.getValue() + " <- " + from);
                    Tensor onnx = upstream == null ? null : upstream.onnxOutputs().get(wire.getKey());
                    Tensor tflite = upstream == null ? null : upstream.tfliteOutputs().get(wire.getKey());
                    if (onnx == null || tflite == null) {
                        notRun = "upstream output " + from + " is unusable (its pair did not run, or the converter broke its shape)";
                    } else {
                        request.source(wire.getValue(), new InputSource.Staged(onnx, tflite, "stage from " + from));
                    }
                }
            }
            if (unreadable.containsKey(pair.name())) {
                results.add(failed(pair, stagedFrom, unreadable.get(pair.name())));
            } else if (notRun != null) {
                results.add(new SuitePair(pair.name(), stagedFrom, null, notRun, 1));
            } else {
                try {
                    Verification v = new ParityVerifier(runtimes, ProgressListener.NONE).verifyKeepingOutputs(request.build());
                    done.put(pair.name(), v);
                    results.add(SuitePair.verified(pair.name(), stagedFrom, v.report()));
                } catch (ParityException e) {
                    results.add(failed(pair, stagedFrom, e));
                }
            }
            afterEachPair.accept(SuiteReport.judged(suite.path().toString(), shard, results, ""));
        }
        return SuiteReport.judged(suite.path().toString(), shard, results, "");
    }

    /** A pair that could not be verified: the reason with the pair's files, and the exit code a verify would give. */
    private static SuitePair failed(PairSpec pair, List<String> stagedFrom, ParityException e) {
        int exitCode = e instanceof BadInputException ? 2 : 3;
        return new SuitePair(pair.name(), stagedFrom, null, "cannot verify " + pair.onnx().getFileName() + " against "
                + pair.tflite().getFileName() + ": " + e.getMessage(), exitCode);
    }

    /**
     * The pair's own sources with their files read. They are read outside the pair's failure handling: an .npz entry
     * the suite file names wrongly stops the suite (exit 2) rather than failing only this pair.
     */
    private static Map<String, InputSource> sources(PairSpec pair) throws BadInputException {
        Map<String, InputSource> sources = new LinkedHashMap<>();
        for (Map.Entry<String, InputSource> e : pair.inputs().entrySet()) {
            sources.put(e.getKey(), InputResolver.read(e.getValue(), e.getKey(),
                    "pair '" + pair.name() + "', input '" + e.getKey() + "'"));
        }
        return sources;
    }
}
