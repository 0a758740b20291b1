package org.tensorparity.judge;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.Subgraph;
import org.tensorparity.compare.ScaleRule;
import org.tensorparity.text.ShortNumber;
import org.tensorparity.compare.ToleranceRule;

/**
 * The magnitude of the values an ONNX tensor can hold when its operator bounds them: 1 for the output of
 * a Sigmoid, Softmax or Tanh, and for what only moves or selects such values (Reshape, Transpose, Slice,
 * Concat of bounded tensors), also through control flow: what an {@code If} returns is what its branches return,
 * a {@code Loop} or {@code Scan} what its body returns (and, for a loop-carried value, what it started from).
 * The tolerance of such a tensor is measured against its range ({@link org.tensorparity.compare.Tolerances#forRange}).
 */
public final class ValueRanges {
    private static final Map<String, Double> BOUNDED = Map.of("Sigmoid", 1.0, "Softmax", 1.0, "HardSigmoid", 1.0,
            "Tanh", 1.0, "Softsign", 1.0);
    private static final Set<String> CARRIES = Set.of("Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten",
            "Identity", "Slice", "Gather", "Split", "Expand", "Tile", "Cast", "Dropout", "Concat");

    /**
     * A tensor's range and where it comes from.
     *
     * @param magnitude the largest magnitude its values can have; 0 when nothing bounds them
     * @param origin the bounding operator, in words ({@code Sigmoid 'p' in the then_branch of If 'vad'}); null when
     *     unbounded
     */
    public record Range(double magnitude, String origin) {
        static final Range NONE = new Range(0, null);

        /**
         * {@code applied}'s text for a tensor of this range, saying why it is measured against the range when that is
         * what the rule does (a scale rule whose minimum scale is the range).
         */
        public String explain(ToleranceRule applied) {
            boolean byRange = magnitude > 0 && applied instanceof ScaleRule s && s.minimumScale() == magnitude;
            return applied.describe() + (byRange ? "; small values are measured against " + origin + "'s range, "
                    + ShortNumber.format(magnitude) : "");
        }
    }

    private final Scope main;

    public ValueRanges(ModelGraph onnx) {
        main = new Scope(onnx.nodes(), onnx.constants(), null, "");
    }

    /** The range of {@code tensor}'s values. */
    public Range of(String tensor) {
        return main.of(tensor);
    }

    /** One graph's tensors: the model's main graph, or a subgraph that may read its enclosing graph's tensors. */
    private static final class Scope {
        private final Map<String, GraphNode> producer = new HashMap<>();
        private final Set<String> constants;
        private final Scope enclosing;
        private final String where;
        private final Map<String, Range> memo = new HashMap<>();

        Scope(List<GraphNode> nodes, Set<String> constants, Scope enclosing, String where) {
            nodes.forEach(n -> n.outputs().forEach(o -> producer.put(o, n)));
            this.constants = constants;
            this.enclosing = enclosing;
            this.where = where;
        }

        Range of(String tensor) {
            Range known = memo.get(tensor);
            if (known != null) {
                return known;
            }
            memo.put(tensor, Range.NONE);
            GraphNode node = producer.get(tensor);
            Range range;
            if (node == null) {
                range = enclosing == null ? Range.NONE : enclosing.of(tensor);
            } else if (BOUNDED.containsKey(node.opType())) {
                range = new Range(BOUNDED.get(node.opType()), node.opType() + " '" + name(node, tensor) + "'" + where);
            } else if (CARRIES.contains(node.opType())) {
                // What no operator produces is a weight, a shape or a model input: only computed values are carried.
                List<String> data = node.inputs().stream().filter(i -> !constants.contains(i) && produced(i)).toList();
                range = data.isEmpty() ? Range.NONE : narrowest(data.stream().map(this::of).toList());
            } else if (!node.subgraphs().isEmpty()) {
                range = returned(node, node.outputs().indexOf(tensor));
            } else {
                range = Range.NONE;
            }
            memo.put(tensor, range);
            return range;
        }

        private boolean produced(String tensor) {
            return producer.containsKey(tensor) || (enclosing != null && enclosing.produced(tensor));
        }

        /** The range of output {@code k} of a control-flow operator: bounded only where every way of making it is. */
        private Range returned(GraphNode node, int k) {
            int bodyOutput = switch (node.opType()) {
                case "Loop" -> k + 1; // the body returns the loop condition first
                default -> k;
            };
            List<Range> ranges = new java.util.ArrayList<>();
            for (Subgraph g : node.subgraphs()) {
                if (bodyOutput >= g.outputs().size()) {
                    return Range.NONE;
                }
                Scope inner = new Scope(g.nodes(), Set.of(), this, " in the " + g.attribute() + " of "
                        + node.opType() + " '" + name(node, node.outputs().get(k)) + "'");
                ranges.add(inner.of(g.outputs().get(bodyOutput)));
            }
            // A value a loop carries is its initial value when the body never runs.
            int initial = switch (node.opType()) {
                case "Loop" -> k + 2;
                case "Scan" -> k;
                default -> -1;
            };
            if (initial >= 0 && initial < node.inputs().size()) {
                ranges.add(of(node.inputs().get(initial)));
            }
            return narrowest(ranges);
        }

        private static Range narrowest(List<Range> ranges) {
            Range out = null;
            for (Range r : ranges) {
                if (r.magnitude() <= 0) {
                    return Range.NONE;
                }
                out = out == null || r.magnitude() < out.magnitude() ? r : out;
            }
            return out == null ? Range.NONE : out;
        }

        private static String name(GraphNode node, String output) {
            return node.name().isEmpty() ? output : node.name();
        }
    }
}
