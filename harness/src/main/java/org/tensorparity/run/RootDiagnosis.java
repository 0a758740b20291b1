package org.tensorparity.run;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.align.AlignedPair;
import org.tensorparity.align.Alignment;
import org.tensorparity.align.IsolationPlan;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.compare.DiagnosisKind;
import org.tensorparity.compare.PairJudgement;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.compare.Verdict;
import org.tensorparity.compare.WeightDifference;
import org.tensorparity.judge.RunVerdict;
import org.tensorparity.result.Diagnosis;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.LayerFindings;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;
import org.tensorparity.text.ShortNumber;

/**
 * Says what the converter did at a root cause, by reproducing it: the root's ONNX operators are run alone again on
 * the TFLite model's inputs to them ({@link LayerIsolation}), with one change at a time, and a change after which
 * they compute the TFLite values within the pair's isolation rule (the operator's own float noise) is the finding.
 *
 * <p>The changes, in order: for a layout anomaly, the values compared under the permutation they agree under; the
 * TFLite model's own weights and bias in place of the ONNX ones (a convolution, a fully connected layer or a constant
 * added), which, when it reproduces, is told apart by comparing the two weight tensors ({@link WeightDifference}):
 * int8 codes at other scales, and a scaling another BatchNorm epsilon explains, before the weight kinds; then each
 * activation of the chain replaced by another (ReLU, ReLU6, none); the activation function it computes replaced by
 * another of its family (GELU erf or tanh, Swish, HardSwish, sigmoids); a padded operator's window shifted by one; a
 * convolution's dilation one larger or smaller, the output size kept; a Softmax along another axis; a Reshape reading
 * channels-last data; a Resize with another coordinate transformation or rounding; then the epsilons normalization layers are commonly exported with. Nothing that reproduces is {@link
 * DiagnosisKind#UNKNOWN}, with the near misses. A change ONNX Runtime refuses is named and skipped. Each change
 * costs one isolated run of a few operators: 30 to 241 ms for the whole diagnosis, measured on seven mutants of
 * UltraFace, GTCRN-Micro and Basic Pitch whose layer-by-layer verify took 1.7 to 3.2 s.
 */
final class RootDiagnosis {
    /** The converted model's stored constants, by name, as real values. */
    interface Constants {
        Map<String, Tensor> read(Set<String> names) throws ModelFailureException;
    }

    /** One family of hypotheses, tried on the root's operators in order until one reproduces. */
    @FunctionalInterface
    private interface Step {
        Optional<Diagnosis> test(List<GraphNode> chain) throws ModelFailureException;
    }

    /**
     * An isolated error, as a share of scale, within which operators compute the same function: the largest isolated
     * error of a correct elementwise operator measured was 5.3e-7 (LOGISTIC and GELU, YOLOX-nano's GELU variant).
     */
    private static final double FLOAT_NOISE = 1e-6;

    private RootDiagnosis() {
    }

    /**
     * The findings with each layer {@code isolation} asks for diagnosed: for a failing run, the first divergence and
     * the other roots that fail by themselves (not a layer that lost a fused operator, whose reason already says what
     * was dropped), and, whatever the verdict, the layers asked for by name. A layer diagnosed carries its
     * diagnosis; the first divergence carries its root's.
     *
     * @param warnings where a layer asked for by name that cannot be diagnosed is said
     */
    static LayerFindings diagnosed(LayerFindings findings, LayerAnalysis.Isolation isolation,
            LayerAnalysis.IsolationSetup isolated,
            Alignment alignment, Map<AlignedPair, PairJudgement> judged, Map<AlignedPair, ToleranceRule> isolationRules,
            List<OutputResult> outputs, LayerAnalysis.Side onnx, LayerAnalysis.Side tflite, List<String> warnings) {
        DiagnosisScope scope = isolation.diagnose();
        if (isolation.constants() == null || isolated == null) {
            scope.layers().forEach(name -> warnings.add("--diagnose " + name + ": no layer was isolated, so none can be"
                    + " diagnosed (see --isolate)"));
            return findings;
        }
        FirstDivergence first = findings.firstDivergence();
        List<LayerResult> layers = new ArrayList<>(findings.layers());
        Set<Integer> roots = new LinkedHashSet<>();
        if (scope.roots() && first != null
                && RunVerdict.of(outputs, findings, isolation.policy()).verdict() == Verdict.FAIL) {
            roots.add(first.index());
            for (String other : first.alsoDivergent()) {
                layers.stream().filter(l -> l.onnx().equals(other)).findFirst().ifPresent(l -> roots.add(l.index()));
            }
        }
        Set<Integer> asked = new LinkedHashSet<>();
        Set<String> found = new HashSet<>();
        for (LayerResult l : layers) {
            if (scope.names(l.onnx(), l.tflite())) {
                asked.add(l.index());
                found.add(l.onnx());
                found.add(l.tflite());
            }
        }
        scope.layers().stream().filter(name -> !found.contains(name)).forEach(name -> warnings.add("--diagnose " + name
                + ": no aligned pair holds an ONNX or TFLite tensor of that name"));
        Set<Integer> targets = new LinkedHashSet<>(roots);
        targets.addAll(asked);
        if (targets.isEmpty()) {
            return findings;
        }
        for (int index : targets) {
            LayerResult layer = layers.get(index);
            AlignedPair pair = alignment.pairs().get(index);
            boolean explain = asked.contains(index) || first != null && index == first.index();
            Diagnosis d = diagnoseLayer(layer, pair, explain, asked.contains(index), isolation, isolated, judged,
                    isolationRules, onnx, tflite);
            if (d != null) {
                layers.set(index, layer.withDiagnosis(d));
            }
        }
        FirstDivergence diagnosedFirst = first == null ? null : first.withDiagnosis(layers.get(first.index()).diagnosis());
        return new LayerFindings(findings.alignment(), layers, findings.noiseHotspots(), diagnosedFirst,
                findings.unmatched(), findings.layoutAnomalies());
    }

    /**
     * One layer's diagnosis: null for a root whose operators were not isolated or do not fail alone (nothing to
     * reproduce); {@code unknown} with the reason for the first divergence and a layer asked for by name ({@code
     * explain}) whose operators cannot run alone, and for a layer asked for by name that was not isolated or computes
     * the TFLite values by itself.
     */
    private static Diagnosis diagnoseLayer(LayerResult layer, AlignedPair pair, boolean explain, boolean asked,
            LayerAnalysis.Isolation isolation, LayerAnalysis.IsolationSetup isolated,
            Map<AlignedPair, PairJudgement> judged, Map<AlignedPair, ToleranceRule> isolationRules,
            LayerAnalysis.Side onnx, LayerAnalysis.Side tflite) {
        IsolationPlan plan = isolated.planner().plan(pair.onnx());
        if (plan instanceof IsolationPlan.NotIsolable not) {
            return !explain ? null : unknown("its ONNX operators cannot be run again with a change: " + not.reason());
        }
        IsolationPlan.Isolable isolable = (IsolationPlan.Isolable) plan;
        if (explain && judged.get(pair).layout() == null) {
            Map<String, Tensor> fed = LayerIsolation.feeds(isolable, isolated.layouts(), onnx, tflite).feeds();
            return diagnoseShape(isolation.runner(), isolable, fed, pair, isolationRules.get(pair), onnx, tflite,
                    isolation.constants());
        }
        if (layer.isolated() == null || !layer.isolated().credible() || !layer.isolated().fails()) {
            if (!asked) {
                return null;
            }
            if (layer.isolated() != null && layer.isolated().credible() && layer.isolated().metrics() != null
                    && layer.isolated().metrics().normalizedMaxError() > FLOAT_NOISE) {
                Map<String, Tensor> fed = LayerIsolation.feeds(isolable, isolated.layouts(), onnx, tflite).feeds();
                return diagnoseWithinRule(isolation.runner(), isolable, fed, pair, judged.get(pair).layout(),
                        layer.isolated().metrics().normalizedMaxError(), onnx, tflite, isolation.constants());
            }
            return unknown(layer.isolated() == null ? "it was not isolated"
                    : !layer.isolated().fails() ? "run alone, its ONNX operators compute the TFLite values within the"
                            + " isolation rule: there is nothing to reproduce"
                            : "its isolated error is in doubt: it may measure the pairing or what was fed, not the"
                                    + " operators");
        }
        Map<String, Tensor> fed = LayerIsolation.feeds(isolable, isolated.layouts(), onnx, tflite).feeds();
        PairJudgement j = judged.get(pair);
        return diagnose(isolation.runner(), isolable, fed, pair, j.layout(), isolationRules.get(pair), onnx, tflite,
                isolation.constants(), j.layoutAnomaly() ? j.observedLayout() : null);
    }

    /**
     * Diagnoses a root whose shapes differ (no layout makes them equal), so that it could not be isolated: only a
     * change that gives the ONNX operators the TFLite shape can reproduce it, the padding mode.
     */
    private static Diagnosis diagnoseShape(SubgraphRunner runner, IsolationPlan.Isolable plan, Map<String, Tensor> fed,
            AlignedPair pair, ToleranceRule rule, LayerAnalysis.Side onnx, LayerAnalysis.Side tflite,
            Constants constants) {
        DiagnosisRun run = new DiagnosisRun(runner, plan, fed, pair, null, rule, onnx, tflite, constants, null);
        List<GraphNode> chain = plan.nodes().stream().map(i -> onnx.graph().nodes().get(i)).toList();
        try {
            Optional<Diagnosis> found = new OperatorHypotheses(run).paddingMode(chain);
            if (found.isPresent()) {
                return found.get();
            }
        } catch (ModelFailureException | RuntimeException e) {
            run.tested.add("stopped: " + e.getMessage());
        }
        return run.unknown("the shapes differ (ONNX " + pair.onnxShape() + ", TFLite " + pair.tfliteShape() + ") and no"
                + " change tested gives the ONNX operators the TFLite shape and values");
    }

    /**
     * Diagnoses a layer asked for by name whose operators, run alone, compute the TFLite values within the isolation
     * rule but further from them than float rounding: a change of function can move values by less than any rule
     * allows (GELU's tanh approximation moved YOLOX-nano's GELU-variant activations by 6.9e-6 of scale, where its
     * exact GELUs agree to 4.2e-7). Only the activation and epsilon hypotheses are tried, judged by a rule ten times
     * tighter than the unchanged operators' error: reproducing a difference that small proves a change of function,
     * while weights compared that closely would only find the float rounding of folding.
     *
     * @param error the unchanged operators' error, as a share of scale
     */
    private static Diagnosis diagnoseWithinRule(SubgraphRunner runner, IsolationPlan.Isolable plan,
            Map<String, Tensor> fed, AlignedPair pair, TensorLayout layout, double error, LayerAnalysis.Side onnx,
            LayerAnalysis.Side tflite, Constants constants) {
        ToleranceRule tighter = ToleranceRule.scale(error / 10);
        DiagnosisRun run = new DiagnosisRun(runner, plan, fed, pair, layout, tighter, onnx, tflite, constants, null);
        OperatorHypotheses operators = new OperatorHypotheses(run);
        List<GraphNode> chain = plan.nodes().stream().map(i -> onnx.graph().nodes().get(i)).toList();
        try {
            for (Step step : List.<Step>of(operators::activation, operators::activationFunction,
                    operators::commonEpsilon)) {
                Optional<Diagnosis> found = step.test(chain);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        } catch (ModelFailureException | RuntimeException e) {
            run.tested.add("stopped: " + e.getMessage());
        }
        return run.unknown("run alone, its ONNX operators compute the TFLite values within the isolation rule, and no"
                + " change of activation or epsilon tested reproduces the " + ShortNumber.format(error) + " of scale"
                + " between them: there is nothing to reproduce");
    }

    private static Diagnosis unknown(String why) {
        return new Diagnosis(DiagnosisKind.UNKNOWN, why, null, List.of(), List.of());
    }

    /**
     * Diagnoses the root cause {@code pair}, whose operators fail alone.
     *
     * @param plan the pair's isolated operators
     * @param fed what they were fed when isolated
     * @param layout the pair's compared layout
     * @param rule the pair's isolation rule: a hypothesis reproduces when the changed operators meet it
     * @param observed with a layout anomaly (the values agree only under a permutation no converter should make), that
     *     permutation; else null
     */
    static Diagnosis diagnose(SubgraphRunner runner, IsolationPlan.Isolable plan, Map<String, Tensor> fed,
            AlignedPair pair, TensorLayout layout, ToleranceRule rule, LayerAnalysis.Side onnx, LayerAnalysis.Side tflite,
            Constants constants, TensorLayout observed) {
        DiagnosisRun run = new DiagnosisRun(runner, plan, fed, pair, layout, rule, onnx, tflite, constants, observed);
        WeightHypotheses weights = new WeightHypotheses(run);
        OperatorHypotheses operators = new OperatorHypotheses(run);
        List<GraphNode> chain = plan.nodes().stream().map(i -> onnx.graph().nodes().get(i)).toList();
        if (observed != null) {
            Optional<Diagnosis> permuted = operators.permutedLayout(chain);
            if (permuted.isPresent()) {
                return permuted.get();
            }
        }
        if (chain.isEmpty()) {
            return run.unknown("the ONNX side is a model input: no operator to change");
        }
        try {
            for (Step step : List.<Step>of(weights::weights, operators::activation, operators::activationFunction,
                    operators::padding,
                    operators::dilation, operators::axis, operators::layout, operators::resize,
                    operators::commonEpsilon)) {
                Optional<Diagnosis> found = step.test(chain);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        } catch (ModelFailureException e) {
            run.tested.add("reading the weights: " + e.getMessage());
        } catch (RuntimeException e) {
            // The diagnosis explains a failure the run has already found; an operator it cannot handle leaves that
            // failure as it is, named, rather than ending the run.
            run.tested.add("stopped: " + e);
        }
        return run.unknown("no change tested reproduces the TFLite values");
    }
}
