package org.tensorparity.run;

import java.util.ArrayList;
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
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/**
 * Measures the error each aligned pair's converted operator adds by itself: the pair's ONNX operators run
 * alone ({@link SubgraphRunner}), fed the TFLite model's values of their inputs, against the pair's TFLite
 * tensor. Pairs are isolated side by side, one ONNX Runtime thread each, on as many threads as there are cores.
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

    private LayerIsolation() {
    }

    /**
     * @param layouts for each aligned ONNX tensor usable as a feed, its pair and layout (the TFLite value is
     *     mapped back into ONNX layout through it)
     */
    static Measured measure(SubgraphRunner runner, IsolationPlanner planner, List<Target> targets,
            Map<AlignedPair, TensorLayout> layouts, LayerAnalysis.Side onnx, LayerAnalysis.Side tflite) {
        Map<AlignedPair, IsolatedError> out = new LinkedHashMap<>();
        Set<AlignedPair> disproved = new HashSet<>();
        if (targets.isEmpty()) {
            return new Measured(out, disproved);
        }
        int threads = Math.min(targets.size(), Runtime.getRuntime().availableProcessors());
        // Threads with the native stack, so that each operator's run in ONNX Runtime needs no thread of its own.
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> NativeStack.thread(r, "parity-isolate"));
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Target target : targets) {
                futures.add(pool.submit(() -> {
                    try {
                        return one(runner, planner, target, layouts, onnx, tflite);
                    } catch (RuntimeException e) {
                        // Isolation refines the localization; a pair it cannot handle keeps its accumulated error.
                        return new Outcome(IsolatedError.notIsolated("cannot be run alone: " + e), false);
                    }
                }));
            }
            for (int i = 0; i < targets.size(); i++) {
                Outcome outcome = result(futures.get(i));
                out.put(targets.get(i).pair(), outcome.error());
                if (outcome.disproved()) {
                    disproved.add(targets.get(i).pair());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Measured(out, disproved);
    }

    private static Outcome result(Future<Outcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(IsolatedError.notIsolated("interrupted"), false);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        }
    }

    private static Outcome one(SubgraphRunner runner, IsolationPlanner planner, Target target,
            Map<AlignedPair, TensorLayout> layouts, LayerAnalysis.Side onnx, LayerAnalysis.Side tflite) {
        AlignedPair pair = target.pair();
        if (target.layout() == null) {
            return new Outcome(IsolatedError.notIsolated("the shapes differ, so the values cannot be compared"), false);
        }
        IsolationPlan planned = planner.plan(pair.onnx());
        if (planned instanceof IsolationPlan.NotIsolable refused) {
            return new Outcome(IsolatedError.notIsolated(refused.reason()), false);
        }
        IsolationPlan.Isolable plan = (IsolationPlan.Isolable) planned;
        Fed fed = feeds(plan, layouts, onnx, tflite);
        Map<String, Tensor> feeds = fed.feeds();
        List<String> fedFrom = fed.fedFrom();
        Tensor reference = valueOf(onnx, pair.onnx());
        Tensor alone;
        try {
            alone = plan.nodes().isEmpty() ? feeds.get(pair.onnx())
                    : runner.run(plan.nodes(), feeds, pair.onnx(), reference.dtype());
        } catch (ModelFailureException e) {
            return new Outcome(IsolatedError.notIsolated(e.getMessage()), false);
        }
        if (!alone.shape().equals(reference.shape())) {
            return new Outcome(IsolatedError.notIsolated("computed alone it has shape " + alone.shape()
                    + ", in the model " + reference.shape()), false);
        }
        Tensor candidate = valueOf(tflite, pair.tflite());
        Comparison c = PairJudge.compare(alone, candidate, target.layout(), target.rule());
        if (c.verdict() == Verdict.FAIL && target.profileRule() != null) {
            Optional<String> holder = holderOf(alone, target, tflite);
            if (holder.isPresent()) {
                Comparison byProfile = PairJudge.compare(alone, candidate, target.layout(), target.profileRule());
                String why = "TFLite '" + holder.get() + "' holds what these float32 operators compute alone, so the"
                        + " pairing differs, not the operator; by the profile's rule " + byProfile.reason();
                return new Outcome(new IsolatedError(true, plan.onnxOps(), fedFrom, byProfile.verdict(),
                        target.profileRule().describe(), why, byProfile.metrics(),
                        QuantizationSteps.of(byProfile.metrics(), alone, candidate), false, false), true);
            }
        }
        return new Outcome(new IsolatedError(true, plan.onnxOps(), fedFrom, c.verdict(), target.rule().describe(),
                c.reason(), c.metrics(), QuantizationSteps.of(c.metrics(), alone, candidate), false, false), false);
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
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        List<String> fedFrom = new ArrayList<>();
        for (IsolationPlan.Feed feed : plan.feeds()) {
            Tensor reference = valueOf(onnx, feed.onnx());
            Tensor value = switch (feed.source()) {
                case MODEL_INPUT -> onnx.feeds().get(feed.onnx());
                case REFERENCE -> reference;
                case CANDIDATE -> {
                    AlignedPair p = feed.pair();
                    Tensor mapped = layouts.get(p).toReference(valueOf(tflite, p.tflite()).asReal(), p.onnxShape());
                    // The reference's shape: a copy of an aligned tensor may have unit axes squeezed or added.
                    yield Tensor.wrap(reference.dtype(), reference.shape(), mapped.data());
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
