package org.tensorparity.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.tensorparity.ModelFailureException;
import org.tensorparity.align.AlignedPair;
import org.tensorparity.align.IsolationPlan;
import org.tensorparity.align.IsolationPlanner;
import org.tensorparity.backend.NativeStack;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.compare.Comparison;
import org.tensorparity.compare.PairJudge;
import org.tensorparity.compare.QuantizationSteps;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.IsolatedError;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/**
 * Measures the error each aligned pair's converted operator adds by itself: the pair's ONNX operators run
 * alone ({@link SubgraphRunner}), fed the TFLite model's values of their inputs, against the pair's TFLite
 * tensor. Pairs are isolated side by side, one ONNX Runtime thread each, on as many threads as there are cores, each
 * thread running its pairs' operators in batches that share one session.
 */
final class LayerIsolation {
    /**
     * What one pair needs: its TFLite value in its compared layout, and its isolation rule.
     *
     * @param profileRule for a pair held to the float32 rule ({@link FloatIsolation}), the profile's isolation rule,
     *     which judges it instead where isolation disproves its pairing; null otherwise
     */
    record Target(AlignedPair pair, TensorLayout layout, ToleranceRule rule, ToleranceRule profileRule) {
        Target(AlignedPair pair, TensorLayout layout, ToleranceRule rule) {
            this(pair, layout, rule, null);
        }
    }

    /**
     * The isolated errors, and the pairs whose pairing isolation disproved: held to the float32 rule, the operators
     * run alone missed the pair's TFLite tensor but reproduced another one, which holds what they compute.
     */
    record Measured(Map<AlignedPair, IsolatedError> errors, Set<AlignedPair> disproved) {
    }

    private record Outcome(IsolatedError error, boolean disproved) {
    }

    /**
     * The most pairs one task isolates, in batches: a batch of small operators shares one ONNX Runtime session
     * ({@link SubgraphRunner#runAll}).
     */
    private static final int BATCH = 16;

    /**
     * The most values, in bytes, a batch of isolated runs is fed and computes while the captured values are in memory.
     * Batches hold their feeds (in the worker's {@link FeedArena}; none for values read in place) and their results at
     * once: on YOLOX-nano (default isolation, 463 pairs) 32 MB raised the peak by 7% over pairs run alone, 8 MB by 1%
     * in the same time.
     */
    static final long BATCH_BYTES = 8L << 20;

    /** Each worker's feeds, in memory ONNX Runtime reads where it is; reset after every batch. */
    private static final ThreadLocal<FeedArena> FEEDS = ThreadLocal.withInitial(FeedArena::new);

    private LayerIsolation() {
    }

    /**
     * @param layouts for each aligned ONNX tensor usable as a feed, its pair and layout (the TFLite value is
     *     mapped back into ONNX layout through it)
     * @param batchBytes the most fed and computed values, in bytes, that one batch of isolated runs holds at once
     *     ({@link SubgraphRunner#runAll}); 0 runs every pair alone
     */
    static Measured measure(SubgraphRunner runner, IsolationPlanner planner, List<Target> targets,
            Map<AlignedPair, TensorLayout> layouts, LayerAnalysis.Side onnx, LayerAnalysis.Side tflite,
            long batchBytes) {
        Map<AlignedPair, IsolatedError> out = new LinkedHashMap<>();
        Set<AlignedPair> disproved = new HashSet<>();
        if (targets.isEmpty()) {
            return new Measured(out, disproved);
        }
        int cores = Runtime.getRuntime().availableProcessors();
        // Enough parts per thread that a thread left with the large early layers does not run alone at the end.
        int part = Math.max(1, Math.min(BATCH, (targets.size() + 4 * cores - 1) / (4 * cores)));
        List<List<Target>> parts = new ArrayList<>();
        for (int from = 0; from < targets.size(); from += part) {
            parts.add(targets.subList(from, Math.min(targets.size(), from + part)));
        }
        int threads = Math.min(parts.size(), cores);
        // Threads with the native stack, so that each operator's run in ONNX Runtime needs no thread of its own.
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> NativeStack.thread(r, "parity-isolate"));
        try {
            List<Future<List<Outcome>>> futures = new ArrayList<>();
            for (List<Target> p : parts) {
                futures.add(pool.submit(() -> measurePart(runner, planner, p, layouts, onnx, tflite, batchBytes)));
            }
            int i = 0;
            for (int k = 0; k < futures.size(); k++) {
                for (Outcome outcome : result(futures.get(k), parts.get(k).size())) {
                    AlignedPair pair = targets.get(i++).pair();
                    out.put(pair, outcome.error());
                    if (outcome.disproved()) {
                        disproved.add(pair);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
            awaitStopped(pool);
        }
        return new Measured(out, disproved);
    }

    /**
     * Waits until every worker has stopped, even when this thread is interrupted (the interrupt is kept): a worker may
     * be reading the converted model's values where its interpreter keeps them, which the caller frees once this
     * returns, and ONNX Runtime's native calls cannot be abandoned half-way.
     */
    private static void awaitStopped(ExecutorService pool) {
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Outcome> result(Future<List<Outcome>> future, int size) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Collections.nCopies(size, new Outcome(IsolatedError.notIsolated("interrupted"), false));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** A pair ready to run alone: its operators, what they are fed, and its ONNX value. */
    private record Prepared(int index, Target target, IsolationPlan.Isolable plan, Fed fed, Tensor reference) {
        SubgraphRunner.Request request() {
            return new SubgraphRunner.Request(plan.nodes(), fed.feeds(), target.pair().onnx(), reference.dtype());
        }
    }

    /** The outcomes of {@code part}'s targets, in order: their runs batched up to {@code batchBytes} of values. */
    private static List<Outcome> measurePart(SubgraphRunner runner, IsolationPlanner planner, List<Target> part,
            Map<AlignedPair, TensorLayout> layouts, LayerAnalysis.Side onnx, LayerAnalysis.Side tflite,
            long batchBytes) {
        Outcome[] out = new Outcome[part.size()];
        FeedArena arena = FEEDS.get();
        List<Prepared> batch = new ArrayList<>();
        long bytes = 0;
        try {
            for (int i = 0; i < part.size(); i++) {
                try {
                    IsolationPlan.Isolable plan = plan(i, planner, part.get(i), out);
                    if (plan == null) {
                        continue;
                    }
                    Tensor reference = valueOf(onnx, part.get(i).pair().onnx());
                    long planned = bytes(plan, reference, onnx);
                    if (!batch.isEmpty() && bytes + planned > batchBytes) {
                        // The batch's feeds are read until it is judged; the arena is written again after.
                        judgeBatch(runner, batch, tflite, out);
                        arena.reset();
                        batch.clear();
                        bytes = 0;
                    }
                    Prepared prepared = new Prepared(i, part.get(i), plan, feeds(plan, layouts, onnx, tflite, arena),
                            reference);
                    if (plan.nodes().isEmpty()) {
                        out[i] = judge(prepared, prepared.fed().feeds().get(part.get(i).pair().onnx()), tflite);
                        continue;
                    }
                    batch.add(prepared);
                    bytes += planned;
                } catch (RuntimeException e) {
                    out[i] = cannotRun(e);
                }
            }
            judgeBatch(runner, batch, tflite, out);
        } finally {
            arena.reset();
        }
        return List.of(out);
    }

    /** Isolation refines the localization; a pair it cannot handle keeps its accumulated error. */
    private static Outcome cannotRun(Exception e) {
        return new Outcome(IsolatedError.notIsolated("cannot be run alone: " + e), false);
    }

    /**
     * The pair's isolation plan; null when the pair needs no isolated run, its outcome then set in {@code out}: its
     * shapes differ, or it is not isolable.
     */
    private static IsolationPlan.Isolable plan(int index, IsolationPlanner planner, Target target, Outcome[] out) {
        if (target.layout() == null) {
            out[index] = new Outcome(IsolatedError.notIsolated("the shapes differ, so the values cannot be compared"),
                    false);
            return null;
        }
        IsolationPlan planned = planner.plan(target.pair().onnx());
        if (planned instanceof IsolationPlan.NotIsolable refused) {
            out[index] = new Outcome(IsolatedError.notIsolated(refused.reason()), false);
            return null;
        }
        return (IsolationPlan.Isolable) planned;
    }

    /** The bytes of the values a run of {@code plan} is fed and computes ({@code reference}'s). */
    private static long bytes(IsolationPlan.Isolable plan, Tensor reference, LayerAnalysis.Side onnx) {
        long values = reference.size();
        for (IsolationPlan.Feed feed : plan.feeds()) {
            values += valueOf(onnx, feed.onnx()).size();
        }
        return 4 * values;
    }

    private static void judgeBatch(SubgraphRunner runner, List<Prepared> batch, LayerAnalysis.Side tflite,
            Outcome[] out) {
        if (batch.isEmpty()) {
            return;
        }
        List<SubgraphRunner.Computed> computed = runner.runAll(batch.stream().map(Prepared::request).toList());
        for (int k = 0; k < batch.size(); k++) {
            Prepared p = batch.get(k);
            try {
                SubgraphRunner.Computed result = computed.get(k);
                if (result instanceof SubgraphRunner.Computed.Value v) {
                    out[p.index()] = judge(p, v.value(), tflite);
                } else if (result instanceof SubgraphRunner.Computed.Failed f
                        && f.cause() instanceof ModelFailureException e) {
                    out[p.index()] = new Outcome(IsolatedError.notIsolated(e.getMessage()), false);
                } else {
                    out[p.index()] = cannotRun(((SubgraphRunner.Computed.Failed) result).cause());
                }
            } catch (RuntimeException e) {
                out[p.index()] = cannotRun(e);
            }
        }
    }

    /** The pair's operators' value computed alone, {@code alone}, against its TFLite tensor. */
    private static Outcome judge(Prepared p, Tensor alone, LayerAnalysis.Side tflite) {
        Target target = p.target();
        Tensor reference = p.reference();
        if (!alone.shape().equals(reference.shape())) {
            return new Outcome(IsolatedError.notIsolated("computed alone it has shape " + alone.shape()
                    + ", in the model " + reference.shape()), false);
        }
        List<String> onnxOps = p.plan().onnxOps();
        List<String> fedFrom = p.fed().fedFrom();
        Tensor candidate = valueOf(tflite, target.pair().tflite());
        Comparison c = PairJudge.compare(alone, candidate, target.layout(), target.rule());
        if (c.verdict() == Verdict.FAIL && target.profileRule() != null) {
            Optional<String> holder = holderOf(alone, target, tflite);
            if (holder.isPresent()) {
                Comparison byProfile = PairJudge.compare(alone, candidate, target.layout(), target.profileRule());
                String why = "TFLite '" + holder.get() + "' holds what these float32 operators compute alone, so the"
                        + " pairing differs, not the operator; by the profile's rule " + byProfile.reason();
                return new Outcome(new IsolatedError(true, onnxOps, fedFrom, byProfile.verdict(),
                        target.profileRule().describe(), why, byProfile.metrics(),
                        QuantizationSteps.of(byProfile.metrics(), alone, candidate), false, false, null), true);
            }
        }
        return new Outcome(new IsolatedError(true, onnxOps, fedFrom, c.verdict(), target.rule().describe(),
                c.reason(), c.metrics(), QuantizationSteps.of(c.metrics(), alone, candidate), false, false, null),
                false);
    }

    /**
     * Another TFLite tensor of the pair's shape that holds {@code alone} within the target's rule, if one does: the
     * tensor the operators run alone compute, where the pair's own does not.
     */
    private static Optional<String> holderOf(Tensor alone, Target target, LayerAnalysis.Side tflite) {
        String own = target.pair().tflite();
        Shape shape = valueOf(tflite, own).shape();
        for (Map.Entry<String, Tensor> e : tflite.captured().entrySet()) {
            if (!e.getKey().equals(own) && e.getValue().shape().equals(shape) && PairJudge.compare(alone,
                    e.getValue().asReal(), target.layout(), target.rule()).verdict() == Verdict.PASS) {
                return Optional.of(e.getKey());
            }
        }
        return Optional.empty();
    }

    /** The values an isolated run is fed, and where each came from in words. */
    record Fed(Map<String, Tensor> feeds, List<String> fedFrom) {
    }

    /**
     * What {@code plan}'s operators are fed: model inputs, exact integer tensors, and the TFLite model's values of
     * the aligned tensors, mapped back into ONNX layout.
     */
    static Fed feeds(IsolationPlan.Isolable plan, Map<AlignedPair, TensorLayout> layouts, LayerAnalysis.Side onnx,
            LayerAnalysis.Side tflite) {
        return feeds(plan, layouts, onnx, tflite, null);
    }

    /**
     * As {@link #feeds(IsolationPlan.Isolable, Map, LayerAnalysis.Side, LayerAnalysis.Side)}, with the float32 values
     * not read in place written into {@code arena} (null: on the heap), readable until it is reset.
     */
    static Fed feeds(IsolationPlan.Isolable plan, Map<AlignedPair, TensorLayout> layouts, LayerAnalysis.Side onnx,
            LayerAnalysis.Side tflite, FeedArena arena) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        List<String> fedFrom = new ArrayList<>();
        for (IsolationPlan.Feed feed : plan.feeds()) {
            Tensor reference = valueOf(onnx, feed.onnx());
            boolean floats = arena != null && reference.dtype() == DType.FLOAT32;
            Tensor value = switch (feed.source()) {
                case MODEL_INPUT, REFERENCE -> {
                    Tensor own = feed.source() == IsolationPlan.Source.MODEL_INPUT ? onnx.feeds().get(feed.onnx())
                            : reference;
                    yield floats && own.dtype() == DType.FLOAT32 && !own.readsInPlace() ? arena.copyOf(own) : own;
                }
                case CANDIDATE -> {
                    AlignedPair p = feed.pair();
                    TensorLayout layout = layouts.get(p);
                    Tensor held = layout.view(valueOf(tflite, p.tflite()).asReal(), p.onnxShape());
                    Permutation back = layout.permutation().inverse();
                    if (!floats) {
                        Tensor mapped = layout.toReference(held, p.onnxShape());
                        yield mapped.readsInPlace() && reference.dtype() == DType.FLOAT32
                                ? mapped.reshape(reference.shape())
                                : Tensor.wrap(reference.dtype(), reference.shape(), mapped.data());
                    }
                    // The reference's shape: a copy of an aligned tensor may have unit axes squeezed or added. Values
                    // read in place in the reference's layout stay there, and ONNX Runtime reads them there.
                    Tensor mapped = !back.isIdentity() ? arena.permuted(held, back)
                            : held.readsInPlace() ? held : arena.copyOf(held);
                    yield mapped.reshape(reference.shape());
                }
            };
            feeds.put(feed.onnx(), value);
            fedFrom.add(feed.onnx() + " <- " + switch (feed.source()) {
                case MODEL_INPUT -> "model input";
                case REFERENCE -> "ONNX";
                case CANDIDATE -> "TFLite '" + feed.pair().tflite() + "'";
            });
        }
        return new Fed(feeds, fedFrom);
    }

    static Tensor valueOf(LayerAnalysis.Side side, String name) {
        Tensor t = side.captured().get(name);
        return t != null ? t : side.feeds().get(name);
    }
}
