package org.tensorparity.run;

import java.util.List;
import org.tensorparity.align.OpFamily;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.InputDomain;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.bind.InputSource;

/**
 * The value of an ONNX input that only selects an {@code If} branch: the one whose branch the converted model holds.
 * A converter given a fixed selector keeps one branch as plain operators; the branch whose operators, identity and
 * layout moves aside, find the larger share of counterparts among the TFLite model's is the one it kept. When no
 * branch does better (both kept under a TFLite {@code IF}, or nothing to tell them apart), the then_branch's value
 * stays.
 */
final class BranchSelector {
    private BranchSelector() {
    }

    static InputSource.Implied choose(InputDomain domain, ModelGraph tflite) {
        if (domain.alternatives().isEmpty()) {
            return new InputSource.Implied(domain.low(), domain.high(), domain.reason());
        }
        InputDomain.Alternative best = null;
        double bestShare = 0;
        StringBuilder shares = new StringBuilder();
        for (InputDomain.Alternative a : domain.alternatives()) {
            List<String> distinct = a.operators().stream().filter(op -> !op.equals("Constant") && !OpFamily.layoutOnly(op))
                    .sorted().toList();
            long held = distinct.stream().filter(op -> tflite.nodes().stream().map(GraphNode::opType)
                    .anyMatch(t -> OpFamily.compatible(op, t))).count();
            double share = distinct.isEmpty() ? 0 : (double) held / distinct.size();
            shares.append(shares.isEmpty() ? "" : ", ").append(held).append(" of ").append(distinct.size())
                    .append(" operator types of ").append(a.branch());
            if (share > bestShare) {
                best = a;
                bestShare = share;
            } else if (share == bestShare) {
                best = null;
            }
        }
        if (best == null) {
            return new InputSource.Implied(domain.low(), domain.high(), domain.reason() + "; the TFLite model holds as"
                    + " much of either branch (" + shares + "), so " + domain.low() + " is fed");
        }
        return new InputSource.Implied(best.value(), best.value(), "it selects a branch: " + best.value() + " takes "
                + best.branch() + ", the one the TFLite model holds (" + shares + " have a TFLite counterpart)");
    }
}
