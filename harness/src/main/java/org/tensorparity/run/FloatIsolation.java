package org.tensorparity.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.tensorparity.align.AlignedPair;
import org.tensorparity.align.IsolationPlan;
import org.tensorparity.align.IsolationPlanner;
import org.tensorparity.align.OpFamily;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.compare.ScaleRule;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.result.IsolatedError;

/**
 * Which pairs isolation holds to the float32 rule where the profile's is looser. A dynamic-range conversion keeps in
 * float32 the operators whose weights are too few to quantize, and those without weights (539 of YOLOX-nano's 615
 * operators, its depthwise convolutions among them), and they add only float rounding alone: at most 5.8e-7 of scale
 * on YOLOX-nano, against the 5 dB SQNR that int8 weights need. Under the profile's rule a wrong weight there (two
 * channels swapped, a kernel flipped) passed isolation, and so the run; under the float32 rule it fails where it is.
 *
 * <p>A pair is held to it when its isolated run compares like with like: every converted operator between the
 * run's feeds and the pair's TFLite tensor computes in float32 ({@link FloatChains}), and the operator writing that
 * tensor is of the family of one of the ONNX operators run alone. Where values pair tensors only loosely (an int8
 * model's noise hides which of a decomposed PRelu's partial results is the PRelu), isolation checks the pairing
 * itself: a pair whose operators, run alone, reproduce another TFLite tensor instead of their own is judged by the
 * profile's rule ({@link LayerIsolation.Measured#disproved()}), and so is a failing pair fed from a pairing that
 * nothing confirmed at float precision, whose run may measure the wrong feed.
 */
final class FloatIsolation {
    private final Map<AlignedPair, ToleranceRule> floatRules;
    private final Map<AlignedPair, ToleranceRule> profileRules;
    private final Set<AlignedPair> feeds;

    private FloatIsolation(Map<AlignedPair, ToleranceRule> floatRules, Map<AlignedPair, ToleranceRule> profileRules,
            Set<AlignedPair> feeds) {
        this.floatRules = floatRules;
        this.profileRules = profileRules;
        this.feeds = feeds;
    }

    /** Holds no pair to a stricter rule. */
    static FloatIsolation none() {
        return new FloatIsolation(Map.of(), Map.of(), Set.of());
    }

    /**
     * Chooses the pairs of {@code floatRules} that are held to their rule there, and puts it into {@code rules} for
     * them in place of the profile's.
     *
     * @param floatRules the float32 rule at each pair's value range, for the pairs no override applies to
     * @param rules each pair's isolation rule, changed here
     */
    static FloatIsolation choose(Map<AlignedPair, ToleranceRule> floatRules, Map<AlignedPair, ToleranceRule> rules,
            IsolationPlanner planner, ModelGraph onnx, LayerAnalysis.Side tflite) {
        FloatChains chains = new FloatChains(tflite.graph(), tflite.captured());
        Map<AlignedPair, ToleranceRule> profile = new HashMap<>();
        Set<AlignedPair> feeds = new HashSet<>();
        floatRules.forEach((pair, rule) -> {
            if (planner.plan(pair.onnx()) instanceof IsolationPlan.Isolable plan && sameOperator(plan, pair, onnx)
                    && chains.inFloat(pair.tflite(), fed(plan))) {
                profile.put(pair, rules.put(pair, rule));
                plan.feeds().stream().filter(f -> f.pair() != null).forEach(f -> feeds.add(f.pair()));
            }
        });
        return new FloatIsolation(floatRules, profile, feeds);
    }

    /**
     * Whether a pair feeds one held to the float32 rule: isolated too, so that its pairing can be confirmed
     * ({@link #fedUnconfirmed}).
     */
    boolean feedsHeldPair(AlignedPair pair) {
        return feeds.contains(pair);
    }

    /** The profile's isolation rule of a pair held to the float32 rule; null for any other pair. */
    ToleranceRule profileRule(AlignedPair pair) {
        return profileRules.get(pair);
    }

    /**
     * The pairs held to the float32 rule that failed it although a feed's pairing is not confirmed, with their rule in
     * {@code rules} put back to the profile's, as that of the pairs isolation disproved. A pairing is confirmed when
     * the pair's values agree within the float32 rule in the whole run ({@code agreesInFloat}), or when its operators,
     * run alone, reproduce its TFLite tensor within it. An unconfirmed feed may be the wrong tensor (a decomposed
     * operator's partial result), and then the run alone measures it, not the operator.
     */
    List<AlignedPair> fedUnconfirmed(LayerIsolation.Measured measured, IsolationPlanner planner,
            Map<AlignedPair, ToleranceRule> rules, Predicate<AlignedPair> agreesInFloat) {
        measured.disproved().forEach(pair -> rules.put(pair, profileRules.get(pair)));
        Predicate<AlignedPair> confirmed = feed -> agreesInFloat.test(feed)
                || (!measured.disproved().contains(feed) && reproduced(feed, measured.errors().get(feed)));
        List<AlignedPair> again = new ArrayList<>();
        measured.errors().forEach((pair, error) -> {
            if (profileRules.containsKey(pair) && error.fails() && !measured.disproved().contains(pair)
                    && planner.plan(pair.onnx()) instanceof IsolationPlan.Isolable plan
                    && plan.feeds().stream().anyMatch(f -> f.pair() != null && !confirmed.test(f.pair()))) {
                rules.put(pair, profileRules.get(pair));
                again.add(pair);
            }
        });
        return again;
    }

    /** Whether a pair's operators, run alone, reproduce its TFLite tensor within the float32 rule. */
    private boolean reproduced(AlignedPair pair, IsolatedError alone) {
        return alone != null && alone.isolated() && floatRules.get(pair) instanceof ScaleRule rule
                && rule.admits(alone.metrics());
    }

    /** Whether the TFLite operator writing the pair's tensor is of the family of an ONNX operator the plan runs. */
    private static boolean sameOperator(IsolationPlan.Isolable plan, AlignedPair pair, ModelGraph onnx) {
        return plan.nodes().stream().anyMatch(i -> OpFamily.compatible(onnx.nodes().get(i).opType(), pair.tfliteOp()));
    }

    /** The TFLite tensors whose values the plan's run is fed. */
    private static Set<String> fed(IsolationPlan.Isolable plan) {
        Set<String> fed = new HashSet<>();
        plan.feeds().stream().filter(f -> f.pair() != null).forEach(f -> fed.add(f.pair().tflite()));
        return fed;
    }
}
