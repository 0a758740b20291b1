package org.tensorparity.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
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
 *
 * <p>Up to {@code jobs} pairs run at once, each as soon as the pairs its stages read from are done. Each pair's
 * verify is independent of the others', so the reports are the same whatever the number of jobs, and they are
 * listed in the suite's run order. A pair that runs out of memory beside others is run again alone.
 */
public final class SuiteRunner {
    /** The most pairs a suite runs at once: far beyond any machine's cores, a bound on a typo. */
    public static final int MAX_JOBS = 256;

    /**
     * The memory a pair running beside others is allowed by the default number of jobs: the largest whole-process peak
     * {@code make bench} measures for a layer-by-layer verify, YOLOX-nano with {@code --isolate all} (1.2 GB), rounded
     * up. A pair that needs more and runs out is run again alone.
     */
    private static final long PAIR_MEMORY = 3L << 29;

    private final Runtimes runtimes;
    private final int jobs;
    /** Where each failing pair's reproducer goes, one folder per pair ({@link ReproFolder#ofPair}), and who hears it. */
    private final Path reproDir;
    private final BiConsumer<String, ReproOutcome> reproOutcome;

    /**
     * How many pairs run at once unless told: one per core, and no more than the memory this machine has available
     * holds at {@value #PAIR_MEMORY} bytes a pair; one where the available memory is unknown.
     */
    public static int defaultJobs() {
        int cores = Runtime.getRuntime().availableProcessors();
        OptionalLong available = CapturePlan.memoryAvailable();
        if (available.isEmpty()) {
            return 1;
        }
        return (int) Math.max(1, Math.min(Math.min(cores, MAX_JOBS), available.getAsLong() / PAIR_MEMORY));
    }

    /** A suite runner on the runtimes this build links, running up to {@code jobs} pairs at once. */
    public SuiteRunner(int jobs) {
        this(Runtimes.standard(), jobs);
    }

    public SuiteRunner(Runtimes runtimes, int jobs) {
        this(runtimes, jobs, null, null);
    }

    private SuiteRunner(Runtimes runtimes, int jobs, Path reproDir, BiConsumer<String, ReproOutcome> reproOutcome) {
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new IllegalArgumentException("jobs must be 1 to " + MAX_JOBS + ", got " + jobs);
        }
        this.runtimes = runtimes;
        this.jobs = jobs;
        this.reproDir = reproDir;
        this.reproOutcome = reproOutcome;
    }

    /**
     * This runner, also cutting each pair's root cause into a folder of {@code dir} named after the pair
     * ({@code --repro}); {@code outcome} hears, with the pair's name, what became of each pair's bundle, on the thread
     * that verified the pair. Pairs' verdicts do not depend on it. A null {@code dir} writes none.
     */
    public SuiteRunner reproducingInto(Path dir, BiConsumer<String, ReproOutcome> outcome) {
        return new SuiteRunner(runtimes, jobs, dir, dir == null ? null : Objects.requireNonNull(outcome, "outcome"));
    }

    /** One pair's end: its line of the suite report, and its outputs for the stages it feeds (null if it did not run). */
    private record Finished(PairSpec pair, SuitePair result, Verification verification, boolean outOfMemory) {
    }

    /**
     * @param settings runtime configuration for every pair
     * @param layers compare every layer (false: outputs only)
     * @param layerPolicy whether a confident layer divergence fails a pair whose outputs agree
     * @param isolate which aligned pairs get their isolated error measured
     * @param maxMemory bytes each pair's layer-by-layer capture may hold beyond its two models ({@code --max-memory});
     *     0 for the default: the default budget of one verify, shared by the pairs running at once
     * @param command the command line, recorded in every pair's provenance
     * @param shard {@code i/n} when the suite is a shard, for the report; null otherwise
     * @param afterEachPair called with the report so far (the pairs done, in run order) once each pair is done, to
     *     write what is finished; always on the calling thread
     */
    public SuiteReport run(SuiteFile suite, RunnerSettings settings, boolean layers, LayerPolicy layerPolicy,
            IsolationMode isolate, long maxMemory, List<String> command, String shard,
            Consumer<SuiteReport> afterEachPair) throws ParityException {
        if (reproDir != null) {
            ReproFolder.checkSuite(reproDir, suite.pairs().stream().map(PairSpec::name).toList());
        }
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
        List<PairSpec> order = suite.runOrder();
        Map<String, Finished> done = new HashMap<>();
        List<PairSpec> waiting = new ArrayList<>(order);
        List<PairSpec> alone = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(jobs, daemonThreads());
        CompletionService<Finished> finishing = new ExecutorCompletionService<>(pool);
        int running = 0;
        try {
            while (done.size() < order.size()) {
                for (Iterator<PairSpec> it = waiting.iterator(); it.hasNext() && running < jobs && alone.isEmpty(); ) {
                    PairSpec pair = it.next();
                    if (suite.stagesInto(pair.name()).stream().allMatch(s -> done.containsKey(s.from()))) {
                        it.remove();
                        Callable<Finished> task = task(suite, pair, done, unreadable, settings, layers, layerPolicy,
                                isolate, maxMemory, command, jobs > 1);
                        finishing.submit(task);
                        running++;
                    }
                }
                if (running == 0) {
                    // Only pairs that ran out of memory beside others are left to start: each now runs alone.
                    PairSpec pair = alone.remove(0);
                    record(done, task(suite, pair, done, unreadable, settings, layers, layerPolicy, isolate,
                            maxMemory, command, false).call(), order, suite, shard, afterEachPair);
                    continue;
                }
                Finished f = finishing.take().get();
                running--;
                if (f.outOfMemory()) {
                    alone.add(f.pair());
                } else {
                    record(done, f, order, suite, shard, afterEachPair);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("suite interrupted", e);
        } catch (ExecutionException e) {
            // What a pair's thread threw is thrown here, as a one-at-a-time suite would have thrown it.
            Throwable cause = e.getCause();
            if (cause instanceof ParityException p) {
                throw p;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        } catch (ParityException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            pool.shutdownNow();
        }
        return report(done, order, suite, shard);
    }

    private void record(Map<String, Finished> done, Finished f, List<PairSpec> order, SuiteFile suite, String shard,
            Consumer<SuiteReport> afterEachPair) {
        done.put(f.pair().name(), f);
        afterEachPair.accept(report(done, order, suite, shard));
    }

    private static SuiteReport report(Map<String, Finished> done, List<PairSpec> order, SuiteFile suite, String shard) {
        List<SuitePair> results = order.stream().filter(p -> done.containsKey(p.name()))
                .map(p -> done.get(p.name()).result()).toList();
        return SuiteReport.judged(suite.path().toString(), shard, results, "");
    }

    /**
     * One pair's verify, its request built now on the calling thread from the finished upstream pairs. Reading its
     * input files may stop the suite (see {@link #sources}); anything else that goes wrong is the pair's failure.
     *
     * @param besideOthers whether other pairs may run at the same time: then running out of memory is not the
     *     pair's failure but a reason to run it again alone
     */
    private Callable<Finished> task(SuiteFile suite, PairSpec pair, Map<String, Finished> done,
            Map<String, ParityException> unreadable, RunnerSettings settings, boolean layers, LayerPolicy layerPolicy,
            IsolationMode isolate, long maxMemory, List<String> command, boolean besideOthers)
            throws BadInputException {
        VerifyRequest.Builder request = VerifyRequest.of(pair.onnx(), pair.tflite())
                .settings(pair.maxIterations() == null ? settings : settings.withMaxIterations(pair.maxIterations()))
                .signature(pair.signature())
                .seed(pair.seed()).distribution(pair.dist()).tolerances(pair.tolerance()).overrides(pair.overrides())
                .layers(layers).layerPolicy(layerPolicy).isolate(isolate).invocation(command, List.of())
                .maxMemory(pair.maxMemoryBytes() > 0 ? pair.maxMemoryBytes()
                        : maxMemory > 0 || !besideOthers ? maxMemory : CapturePlan.defaultBudget() / jobs);
        pair.shapes().forEach(request::shape);
        pair.checks().forEach((output, checks) -> checks.forEach(check -> request.check(output, check)));
        request.sources(sources(pair));
        List<String> stagedFrom = new ArrayList<>();
        String notRun = null;
        for (Stage stage : suite.stagesInto(pair.name())) {
            Verification upstream = done.get(stage.from()).verification();
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
            SuitePair failed = failed(pair, stagedFrom, unreadable.get(pair.name()));
            return () -> new Finished(pair, failed, null, false);
        }
        if (pair.steps() != null && pair.steps() > StepPlan.MAX_STEPS) {
            SuitePair failed = failed(pair, stagedFrom, new BadInputException("steps must be at most "
                    + StepPlan.MAX_STEPS + ", got " + pair.steps()));
            return () -> new Finished(pair, failed, null, false);
        }
        if (notRun != null) {
            SuitePair skipped = new SuitePair(pair.name(), stagedFrom, null, notRun, 1);
            return () -> new Finished(pair, skipped, null, false);
        }
        VerifyRequest built = request.build();
        return () -> {
            try {
                ParityVerifier verifier = new ParityVerifier(runtimes, ProgressListener.NONE).reproducingInto(
                        reproDir == null ? null : ReproFolder.ofPair(reproDir, pair.name()),
                        reproOutcome == null ? null : o -> reproOutcome.accept(pair.name(), o));
                // A streaming pair hands no outputs on: which step's would a stage feed?
                Verification v = pair.steps() == null ? verifier.verifyKeepingOutputs(built)
                        : new Verification(new StepRunner(runtimes, verifier).run(built, new StepPlan(pair.steps(),
                                pair.feedback())), Map.of(), Map.of());
                return new Finished(pair, SuitePair.verified(pair.name(), stagedFrom, v.report()), v, false);
            } catch (ParityException e) {
                return new Finished(pair, failed(pair, stagedFrom, e), null, false);
            } catch (OutOfMemoryError e) {
                if (!besideOthers) {
                    throw e;
                }
                return new Finished(pair, null, null, true);
            }
        };
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "parity-suite-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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
