package org.tensorparity.judge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.IsolatedError;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;

/**
 * Finds where the models part. A pair whose operators were run alone ({@link IsolatedError}) is a root
 * exactly when the error its converted operator adds by itself breaks its isolation rule, whether or not its
 * accumulated error breaks the looser layer rule (a change the layers after it absorb is still a change); a
 * failing pair whose isolated error passes inherits its error. A pair that could not be isolated falls back to accumulated error: it is a
 * root when it fails and none of its upstream pairs fails. "Upstream" is read in the converted graph, where
 * the damage happens: a failure taints every TFLite tensor computed from it. Parallel branches can have
 * several roots; the first divergence is the earliest in layer order that is confidently paired, else the earliest.
 */
public final class DivergenceLocator {
    /** What found the first root; {@link #id()} is the report's {@code locatedBy}. */
    public enum Basis {
        /** The error its operators add alone breaks the isolation rule. */
        ISOLATED("isolated"),
        /** It fails, and no pair upstream of it does (isolation off, or the pair could not be isolated). */
        ACCUMULATED("accumulated"),
        /** No pair fails, but an output does: the earliest pair upstream of it that breaks the outputs' rule. */
        OUTPUT_RULE("output_rule");

        private final String id;

        Basis(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    /**
     * @param roots indices into the layers of the root divergences, earliest first
     * @param basis what found the first root
     * @param inherited indices of the failing pairs downstream of the first root whose isolated error passes
     * @param inDoubt indices of the pairs whose isolated failure may be their pairing's ({@link IsolatedError#pairingInDoubt()})
     */
    public record Located(List<Integer> roots, Basis basis, List<Integer> inherited, List<Integer> inDoubt) {
        /** Whether the first root was found by the error its operators add alone. */
        public boolean isolated() {
            return basis == Basis.ISOLATED;
        }
    }

    private DivergenceLocator() {
    }

    public static Located locate(List<LayerResult> layers, ModelGraph onnxGraph, ModelGraph tfliteGraph) {
        if (layers.stream().noneMatch(l -> l.verdict() == Verdict.FAIL || (l.isolated() != null && l.isolated().credible()
                && l.isolated().fails()))) {
            return new Located(List.of(), Basis.ACCUMULATED, List.of(), List.of());
        }
        List<Integer> accumulated = accumulatedRoots(layers, tfliteGraph);
        List<Integer> roots = new ArrayList<>();
        List<Integer> inDoubt = new ArrayList<>();
        Set<String> belowOnnx = new HashSet<>();
        Set<String> belowTflite = new HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerResult l = layers.get(i);
            IsolatedError alone = l.isolated();
            boolean measured = alone != null && alone.credible();
            if (!(measured ? alone.fails() : accumulated.contains(i))) {
                continue;
            }
            if (measured && !l.pairing().equals("mapping")
                    && (belowOnnx.contains(l.onnx()) || belowTflite.contains(l.tflite()))) {
                // Past a divergence the values no longer confirm pairs, and alignment falls back to shape, position
                // and loose agreement: on the corpus mutants the pairs that fail alone there hold a different tensor
                // (a Conv paired with the next Relu, a Transpose with another Concat), not a second broken operator.
                inDoubt.add(i);
                continue;
            }
            roots.add(i);
            belowOnnx.addAll(onnxGraph.downstreamOf(l.onnx()));
            belowTflite.addAll(tfliteGraph.downstreamOf(l.tflite()));
        }
        if (roots.isEmpty() && !accumulated.isEmpty()) {
            // Every failure passes in isolation: no operator breaks its rule alone, so the one upstream of the
            // first failure that adds the most error is where it starts (a changed operator just below the
            // tolerance whose error an activation downstream magnifies past its own).
            roots.add(largestAddedUpstream(layers, tfliteGraph, accumulated.get(0)));
        }
        if (roots.isEmpty()) {
            return new Located(List.of(), Basis.ACCUMULATED, List.of(), List.of());
        }
        decisiveFirst(roots, layers);
        int first = roots.get(0);
        IsolatedError alone = layers.get(first).isolated();
        boolean byIsolation = alone != null && alone.credible();
        List<Integer> inherited = new ArrayList<>();
        Set<String> downstream = tfliteGraph.downstreamOf(layers.get(first).tflite());
        for (int i = 0; i < layers.size(); i++) {
            LayerResult l = layers.get(i);
            if (i != first && l.verdict() == Verdict.FAIL && downstream.contains(l.tflite()) && l.isolated() != null
                    && l.isolated().credible() && !l.isolated().fails()) {
                inherited.add(i);
            }
        }
        return new Located(roots, byIsolation ? Basis.ISOLATED : Basis.ACCUMULATED, inherited, inDoubt);
    }

    /**
     * Moves the earliest decisive root (a confidently paired pair that fails alone) ahead of earlier roots that are not
     * decisive. Roots are never downstream of one another, so they sit on parallel branches, and of two there the one
     * whose pairing is certain is where the models part for sure: in DTLN model_2's dynamic-range conversion with an
     * LSTM matrix read transposed, a strided slice paired by structure alone (confidence 0.4) with the last Dense's
     * reshape failed alone earlier in layer order than the LSTM's MatMul, whose stored weights prove the change.
     */
    private static void decisiveFirst(List<Integer> roots, List<LayerResult> layers) {
        for (int k = 0; k < roots.size(); k++) {
            LayerResult l = layers.get(roots.get(k));
            IsolatedError alone = l.isolated();
            // As LayerAnalysis marks a pair decisive once the roots are known: none of them is in doubt.
            if (alone != null && alone.credible() && alone.fails() && l.confidence() >= RunVerdict.CONFIDENT) {
                if (k > 0) {
                    roots.add(0, roots.remove(k));
                }
                return;
            }
        }
    }

    /**
     * Where the models part when every pair meets the layers' rule and an output fails: the pairs upstream of a
     * failing output, in the converted graph, whose accumulated error breaks the outputs' own rule ({@code
     * breaksOutputRule}, by index) and none of whose upstream pairs does, earliest first. The layers' rule is looser
     * than the outputs' so that float rounding accumulated with depth passes; a change small enough to pass it (an
     * LSTM's gate weights scaled in one row, int8 values clipped at a concatenation) still shows where the error first
     * reaches what the outputs are held to. No roots when no output fails or no such pair exists.
     */
    public static Located beyondOutputRule(List<LayerResult> layers, ModelGraph tfliteGraph, List<OutputResult> outputs,
            IntPredicate breaksOutputRule) {
        Set<String> failingOutputs = new HashSet<>();
        outputs.stream().filter(o -> o.verdict() == Verdict.FAIL && o.tflite() != null)
                .forEach(o -> failingOutputs.add(o.tflite()));
        if (failingOutputs.isEmpty()) {
            return new Located(List.of(), Basis.OUTPUT_RULE, List.of(), List.of());
        }
        Set<String> upstream = tfliteGraph.upstreamOf(failingOutputs);
        boolean[] breaks = new boolean[layers.size()];
        Set<String> breaking = new HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerResult l = layers.get(i);
            breaks[i] = l.metrics() != null && upstream.contains(l.tflite()) && breaksOutputRule.test(i);
            if (breaks[i]) {
                breaking.add(l.tflite());
            }
        }
        Set<String> rootTensors = roots(tfliteGraph, breaking);
        List<Integer> roots = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            if (breaks[i] && rootTensors.contains(layers.get(i).tflite())) {
                roots.add(i);
            }
        }
        return new Located(roots, Basis.OUTPUT_RULE, List.of(), List.of());
    }

    /** Failing pairs none of whose upstream pairs fail, by accumulated error alone. */
    private static List<Integer> accumulatedRoots(List<LayerResult> layers, ModelGraph tfliteGraph) {
        Set<String> failing = new HashSet<>();
        for (LayerResult l : layers) {
            if (l.verdict() == Verdict.FAIL) {
                failing.add(l.tflite());
            }
        }
        Set<String> rootTensors = roots(tfliteGraph, failing);
        List<Integer> roots = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerResult l = layers.get(i);
            if (l.verdict() == Verdict.FAIL && rootTensors.contains(l.tflite())) {
                roots.add(i);
            }
        }
        return roots;
    }

    /** The tensors of {@code marked} that no other marked tensor is upstream of, in the converted graph. */
    private static Set<String> roots(ModelGraph tfliteGraph, Set<String> marked) {
        Set<String> rootTensors = new HashSet<>();
        Set<String> tainted = new HashSet<>();
        for (GraphNode node : tfliteGraph.nodes()) {
            boolean taintedInput = node.inputs().stream().anyMatch(tainted::contains);
            for (String out : node.outputs()) {
                if (marked.contains(out) && !taintedInput) {
                    rootTensors.add(out);
                }
                if (taintedInput || marked.contains(out)) {
                    tainted.add(out);
                }
            }
        }
        return rootTensors;
    }

    /** Of the isolated pairs at or upstream of {@code failure} in the TFLite graph, the one adding most error. */
    private static int largestAddedUpstream(List<LayerResult> layers, ModelGraph tfliteGraph, int failure) {
        Set<String> upstream = tfliteGraph.upstreamOf(Set.of(layers.get(failure).tflite()));
        int best = failure;
        double most = -1;
        for (int i = 0; i < layers.size(); i++) {
            LayerResult l = layers.get(i);
            IsolatedError alone = l.isolated();
            if (upstream.contains(l.tflite()) && alone != null && alone.credible()
                    && alone.metrics().normalizedMaxError() > most) {
                most = alone.metrics().normalizedMaxError();
                best = i;
            }
        }
        return best;
    }
}
