package org.tensorparity.run;

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

/**
 * Says what the converter did at a root cause, by reproducing it: the root's ONNX operators are run alone again on
 * the TFLite model's inputs to them ({@link LayerIsolation}), with one change at a time, and a change after which
 * they compute the TFLite values within the pair's isolation rule (the operator's own float noise) is the finding.
 *
 * <p>The changes, in order: for a layout anomaly, the values compared under the permutation they agree under; the
 * TFLite model's own weights and bias in place of the ONNX ones (a convolution, a fully connected layer or a constant
 * added), which, when it reproduces, is told apart by comparing the two weight tensors ({@link WeightDifference}):
 * int8 codes at other scales, and a scaling another BatchNorm epsilon explains, before the weight kinds; then each
 * activation of the chain replaced by another (ReLU, ReLU6, none); a padded operator's window shifted by one; a
 * convolution's dilation one larger or smaller, the output size kept; a Softmax along another axis; a Reshape reading channels-last data; a Resize with another coordinate transformation
 * or rounding; then the epsilons normalization layers are commonly exported with. Nothing that reproduces is {@link
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

    private RootDiagnosis() {
    }

    /**
     * The findings with the root cause diagnosed, when the run fails and the first divergence is a layer that fails
     * alone (not one that lost a fused operator, whose reason already says what was dropped).
     */
    static LayerFindings diagnosed(LayerFindings findings, LayerAnalysis.Isolation isolation,
            LayerAnalysis.IsolationSetup isolated,
            Alignment alignment, Map<AlignedPair, PairJudgement> judged, Map<AlignedPair, ToleranceRule> isolationRules,
            List<OutputResult> outputs, LayerAnalysis.Side onnx, LayerAnalysis.Side tflite) {
        FirstDivergence first = findings.firstDivergence();
        if (first == null || isolation.constants() == null || isolated == null
                || RunVerdict.of(outputs, findings, isolation.policy()).verdict() != Verdict.FAIL) {
            return findings;
        }
        LayerResult root = findings.layers().get(first.index());
        if (root.isolated() == null || !root.isolated().credible() || !root.isolated().fails()) {
            return findings;
        }
        AlignedPair pair = alignment.pairs().get(first.index());
        if (!(isolated.planner().plan(pair.onnx()) instanceof IsolationPlan.Isolable plan)) {
            return findings;
        }
        Map<String, Tensor> fed = LayerIsolation.feeds(plan, isolated.layouts(), onnx, tflite).feeds();
        PairJudgement j = judged.get(pair);
        Diagnosis d = diagnose(isolation.runner(), plan, fed, pair, j.layout(), isolationRules.get(pair),
                onnx, tflite, isolation.constants(), j.layoutAnomaly() ? j.observedLayout() : null);
        return new LayerFindings(findings.alignment(), findings.layers(), findings.noiseHotspots(),
                first.withDiagnosis(d), findings.unmatched(), findings.layoutAnomalies());
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
            for (Step step : List.<Step>of(weights::weights, operators::activation, operators::padding,
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
