package org.tensorparity.backend.ort;

import ai.onnx.proto.OnnxMl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorparity.backend.InputDomain;

/**
 * Reads from an ONNX graph which values its integer and boolean inputs can take: an index {@code Gather} reads a table
 * with goes in [0, the table's size along the axis); a value the graph only compares with constants (a sample rate
 * tested against 16000) is one of those constants, and the {@code If} the comparison decides is named. Values pass
 * through {@code Cast}, {@code Identity}, {@code Squeeze}, {@code Unsqueeze}, {@code Reshape} and {@code Flatten}
 * unchanged. A boolean mask is all true; a boolean {@code If} condition offers both branches.
 */
final class InputDomains {
    private static final Set<String> PASS_THROUGH = Set.of("Cast", "Identity", "Squeeze", "Unsqueeze", "Reshape",
            "Flatten");
    private static final Set<String> COMPARISONS = Set.of("Equal", "Less", "LessOrEqual", "Greater", "GreaterOrEqual");
    /** Integers held exactly in float32, the type every fed tensor is kept in. */
    private static final long MAX_EXACT = 1L << 24;

    private InputDomains() {
    }

    /**
     * @param integerConstants the graph's small integer constants (initializers and Constant nodes), by name
     */
    static Map<String, InputDomain> of(OnnxMl.GraphProto graph, Map<String, long[]> integerConstants) {
        Map<String, List<Long>> dims = new HashMap<>();
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            dims.put(t.getName(), t.getDimsList());
        }
        Map<String, List<OnnxMl.NodeProto>> consumers = new HashMap<>();
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Constant")) {
                n.getAttributeList().stream().filter(a -> a.getName().equals("value") && a.hasT()).findFirst()
                        .ifPresent(a -> n.getOutputList().forEach(o -> dims.put(o, a.getT().getDimsList())));
            }
            for (String in : new HashSet<>(n.getInputList())) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
        }
        Set<String> weights = dims.keySet();
        Map<String, InputDomain> domains = new LinkedHashMap<>();
        for (OnnxMl.ValueInfoProto input : graph.getInputList()) {
            int type = input.getType().getTensorType().getElemType();
            boolean integer = type == OnnxMl.TensorProto.DataType.INT64_VALUE
                    || type == OnnxMl.TensorProto.DataType.INT32_VALUE;
            if (weights.contains(input.getName())) {
                continue;
            }
            if (type == OnnxMl.TensorProto.DataType.BOOL_VALUE) {
                booleanDomain(input.getName(), consumers).ifPresent(d -> domains.put(input.getName(), d));
            } else if (integer) {
                domainOf(input.getName(), consumers, dims, integerConstants).ifPresent(d -> domains.put(input.getName(), d));
            }
        }
        return domains;
    }

    private static Optional<InputDomain> domainOf(String input, Map<String, List<OnnxMl.NodeProto>> consumers,
            Map<String, List<Long>> dims, Map<String, long[]> integerConstants) {
        Set<String> same = new HashSet<>();
        List<String> frontier = new ArrayList<>(List.of(input));
        List<OnnxMl.NodeProto> uses = new ArrayList<>();
        while (!frontier.isEmpty()) {
            String t = frontier.remove(0);
            if (!same.add(t)) {
                continue;
            }
            for (OnnxMl.NodeProto n : consumers.getOrDefault(t, List.of())) {
                if (PASS_THROUGH.contains(n.getOpType()) && n.getInput(0).equals(t)) {
                    frontier.addAll(n.getOutputList());
                } else {
                    uses.add(n);
                }
            }
        }
        // An index into a table: the table's size bounds it, however else it is used.
        for (OnnxMl.NodeProto n : uses) {
            if (n.getOpType().equals("Gather") && n.getInputCount() > 1 && same.contains(n.getInput(1))
                    && dims.containsKey(n.getInput(0))) {
                List<Long> shape = dims.get(n.getInput(0));
                long axis = n.getAttributeList().stream().filter(a -> a.getName().equals("axis")).findFirst()
                        .map(OnnxMl.AttributeProto::getI).orElse(0L);
                axis = axis < 0 ? axis + shape.size() : axis;
                if (axis >= 0 && axis < shape.size() && shape.get((int) axis) > 0) {
                    long size = Math.min(shape.get((int) axis), MAX_EXACT);
                    return Optional.of(new InputDomain(0, size - 1, "indexes axis " + axis + " of '" + n.getInput(0)
                            + "' " + shape + " (Gather '" + label(n) + "')"));
                }
            }
        }
        // Only compared with constants: one of them.
        List<Long> values = new ArrayList<>();
        List<String> how = new ArrayList<>();
        for (OnnxMl.NodeProto n : uses) {
            if (!COMPARISONS.contains(n.getOpType()) || n.getInputCount() != 2) {
                return Optional.empty();
            }
            String other = same.contains(n.getInput(0)) ? n.getInput(1) : n.getInput(0);
            long[] constant = integerConstants.get(other);
            if (constant == null || constant.length != 1 || Math.abs(constant[0]) > MAX_EXACT) {
                return Optional.empty();
            }
            values.add(constant[0]);
            how.add("compared with " + constant[0] + " by " + n.getOpType() + " '" + label(n) + "'"
                    + decides(n, consumers));
        }
        if (values.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new InputDomain(values.get(0), values.get(0), String.join("; ", how)));
    }

    /**
     * A boolean input used only as a mask ({@code Where}'s condition, an {@code And} operand) is all true as those
     * see it: the mask that keeps every value. One used only as an {@code If}'s condition selects a branch: both
     * values are alternatives, the then_branch's first. It passes through {@code Identity} and shape operators
     * unchanged, and through {@code Not} negated; any other use implies nothing.
     */
    private static Optional<InputDomain> booleanDomain(String input, Map<String, List<OnnxMl.NodeProto>> consumers) {
        Map<String, Boolean> negated = new HashMap<>(Map.of(input, false));
        List<String> frontier = new ArrayList<>(List.of(input));
        List<String> masks = new ArrayList<>();
        Set<Boolean> maskNegations = new HashSet<>();
        List<InputDomain.Alternative> alternatives = new ArrayList<>();
        while (!frontier.isEmpty()) {
            String t = frontier.remove(0);
            boolean not = negated.get(t);
            for (OnnxMl.NodeProto n : consumers.getOrDefault(t, List.of())) {
                boolean first = n.getInputCount() > 0 && n.getInput(0).equals(t);
                if ((PASS_THROUGH.contains(n.getOpType()) && !n.getOpType().equals("Cast") || n.getOpType().equals("Not"))
                        && first) {
                    boolean flips = n.getOpType().equals("Not") != not;
                    n.getOutputList().forEach(o -> {
                        if (negated.putIfAbsent(o, flips) == null) {
                            frontier.add(o);
                        }
                    });
                } else if (n.getOpType().equals("Where") && first || n.getOpType().equals("And")) {
                    masks.add(n.getOpType() + " '" + label(n) + "'");
                    maskNegations.add(not);
                } else if (n.getOpType().equals("If") && first && alternatives.isEmpty()) {
                    String name = "If '" + label(n) + "'";
                    alternatives.add(new InputDomain.Alternative(not ? 0 : 1, "the then_branch of " + name,
                            operators(n, "then_branch")));
                    alternatives.add(new InputDomain.Alternative(not ? 1 : 0, "the else_branch of " + name,
                            operators(n, "else_branch")));
                } else {
                    return Optional.empty();
                }
            }
        }
        if (!masks.isEmpty() && alternatives.isEmpty() && maskNegations.size() == 1) {
            long value = maskNegations.contains(true) ? 0 : 1;
            return Optional.of(new InputDomain(value, value, "a mask, the condition of " + String.join(", ", masks)
                    + (value == 1 ? ": all true" : " through Not: all false, so the mask is all true") + " keeps every"
                    + " value"));
        }
        if (masks.isEmpty() && !alternatives.isEmpty()) {
            InputDomain.Alternative then = alternatives.get(0);
            return Optional.of(new InputDomain(then.value(), then.value(), "it selects a branch: " + then.value()
                    + " takes " + then.branch() + ", " + alternatives.get(1).value() + " " + alternatives.get(1).branch(),
                    alternatives));
        }
        return Optional.empty();
    }

    /** The operator types of {@code node}'s subgraph {@code attribute}, its nested subgraphs' included. */
    private static Set<String> operators(OnnxMl.NodeProto node, String attribute) {
        Set<String> ops = new HashSet<>();
        node.getAttributeList().stream().filter(a -> a.getName().equals(attribute) && a.hasG())
                .forEach(a -> collectOperators(a.getG(), ops));
        return ops;
    }

    private static void collectOperators(OnnxMl.GraphProto graph, Set<String> ops) {
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            ops.add(n.getOpType());
            n.getAttributeList().stream().filter(OnnxMl.AttributeProto::hasG).forEach(a -> collectOperators(a.getG(), ops));
        }
    }

    /** {@code , which decides If 'x' (then_branch for it)} when the comparison's result is an If's condition. */
    private static String decides(OnnxMl.NodeProto comparison, Map<String, List<OnnxMl.NodeProto>> consumers) {
        String result = comparison.getOutput(0);
        boolean negated = false;
        for (int hops = 0; hops < 4; hops++) {
            List<OnnxMl.NodeProto> next = consumers.getOrDefault(result, List.of());
            if (next.size() != 1) {
                return "";
            }
            OnnxMl.NodeProto n = next.get(0);
            if (n.getOpType().equals("If") && n.getInput(0).equals(result)) {
                boolean equality = comparison.getOpType().equals("Equal") || comparison.getOpType().endsWith("OrEqual");
                String branch = equality != negated ? "then_branch" : "else_branch";
                return ", which decides If '" + label(n) + "': the constant takes its " + branch;
            }
            if (n.getOpType().equals("Not")) {
                negated = !negated;
            } else if (!n.getOpType().equals("Cast") && !n.getOpType().equals("Identity")) {
                return "";
            }
            result = n.getOutput(0);
        }
        return "";
    }

    private static String label(OnnxMl.NodeProto n) {
        return n.getName().isEmpty() ? n.getOutput(0) : n.getName();
    }
}
