package org.tensorparity.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tensorparity.align.IsolationPlan;
import org.tensorparity.align.IsolationPlanner;

/**
 * A reproducer's cut started one operator earlier where it would be fed a value with a bias its ONNX tensor lacks: the
 * run fed an ONNX MatMul's output the output of the FULLY_CONNECTED that also adds the bias of the Add after the
 * MatMul, so a cut from there would add that bias twice, on a correct conversion too. Cut from the MatMul's own inputs
 * instead, the ONNX side computes MatMul and Add and the TFLite side the FULLY_CONNECTED, the bias once on each: the
 * mirror of {@link TrailingBias} at the cut's inputs. {@code parity repro} refused two such roots among the float32
 * mutants of DTLN model_2 and the EMG CNN (a dense layer's bias zeroed, the root its Add).
 */
final class LeadingBias {
    /** How many producers up the cut's inputs may move: the MatMul, and a view after it. */
    private static final int MAX_ROUNDS = 3;

    private LeadingBias() {
    }

    /**
     * {@code plan} with each feed whose TFLite value includes a bias its ONNX tensor lacks ({@link
     * FusedBiasPairing#feedLacksBias}) replaced by the operators that compute that tensor, fed as isolation would feed
     * them; {@code plan} itself when no feed needs it or a producer cannot be run alone (the check then refuses the
     * cut with its reason).
     */
    static IsolationPlan.Isolable widened(IsolationPlan.Isolable plan, ReproBundle.Evidence evidence) {
        IsolationPlan.Isolable widened = plan;
        // A view between the two (tf2onnx's Tensordot reshapes the MatMul's output) is fed the same biased value:
        // each round moves the cut's inputs up one producer.
        for (int round = 0; round < MAX_ROUNDS; round++) {
            IsolationPlan.Isolable next = once(widened, evidence);
            if (next == widened) {
                break;
            }
            widened = next;
        }
        return widened;
    }

    private static IsolationPlan.Isolable once(IsolationPlan.Isolable plan, ReproBundle.Evidence evidence) {
        List<IsolationPlan.Feed> biased = plan.feeds().stream().filter(f -> FusedBiasPairing.feedLacksBias(f, evidence))
                .toList();
        if (biased.isEmpty()) {
            return plan;
        }
        Set<Integer> nodes = new TreeSet<>(plan.nodes());
        List<IsolationPlan.Feed> feeds = new ArrayList<>();
        for (IsolationPlan.Feed feed : biased) {
            if (!(evidence.isolation().planner().plan(feed.onnx()) instanceof IsolationPlan.Isolable producer)
                    || producer.nodes().isEmpty()) {
                return plan;
            }
            nodes.addAll(producer.nodes());
            producer.feeds().stream().filter(f -> feeds.stream().noneMatch(g -> g.onnx().equals(f.onnx())))
                    .forEach(feeds::add);
        }
        plan.feeds().stream().filter(f -> !biased.contains(f) && feeds.stream().noneMatch(g -> g.onnx().equals(f.onnx())))
                .forEach(feeds::add);
        return new IsolationPlan.Isolable(List.copyOf(nodes), IsolationPlanner.operators(evidence.onnx().graph(), nodes),
                feeds);
    }
}
