package org.tensorparity.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.ActivationFunction;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.NodeEdit;
import org.tensorparity.compare.Comparison;
import org.tensorparity.compare.DiagnosisKind;
import org.tensorparity.compare.PairJudge;
import org.tensorparity.result.Diagnosis;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;
import org.tensorparity.tensor.TensorPermuter;
import org.tensorparity.text.ShortName;
import org.tensorparity.text.ShortNumber;

/**
 * The hypotheses of a diagnosis that change one ONNX operator and keep the weights: another activation or activation
 * function, a padded window shifted by one, a dilation one larger or smaller, a Softmax along another axis, a Reshape
 * reading channels-last data, another Resize mode, a normalization's common epsilons.
 */
final class OperatorHypotheses {
    private static final Set<String> NORMALIZATIONS = Set.of("BatchNormalization", "InstanceNormalization",
            "LayerNormalization");

    /**
     * Epsilons normalization layers are exported with: PyTorch's default 1e-5, Keras's 1e-3, TensorFlow's 1e-6 and
     * 1e-12 (BERT's LayerNorm), and none at all.
     */
    private static final List<Float> COMMON_EPSILONS = List.of(1e-5f, 1e-3f, 1e-6f, 1e-12f, 0f);

    /**
     * The activations a converter fuses into a kernel (TFLite's fused_activation_function NONE, RELU, RELU6) as ONNX
     * writes them, each with its words and the constants a replacement reads (Clip's min and max).
     */
    private record Activation(String opType, String words, List<Float> constants) {
    }

    /** Activation operators whose function is smooth or hard, and the operators a decomposed one is written with. */
    private static final Set<String> FUNCTION_OPS = Set.of("Sigmoid", "HardSigmoid", "HardSwish", "Gelu", "Erf",
            "Tanh");

    /** Piecewise-linear activations a converter may have written a smooth or hard function for. */
    private static final Set<String> PIECEWISE = Set.of("Relu", "Clip", "LeakyRelu");

    /** Operators a decomposed activation function is written with. */
    private static final Set<String> ELEMENTWISE = Set.of("Sigmoid", "HardSigmoid", "HardSwish", "Gelu", "Erf",
            "Tanh", "Relu", "Clip", "LeakyRelu", "Mul", "Add", "Sub", "Div", "Pow");

    /**
     * How many elementwise operators back from the one writing the root a function's input is looked for: GELU's tanh
     * form, the longest decomposition, is eight operators as PyTorch exports it below opset 20.
     */
    private static final int FUNCTION_DEPTH = 12;

    private static final List<Activation> ACTIVATIONS = List.of(new Activation("Relu", "ReLU", List.of()),
            new Activation("Clip", "ReLU6 (Clip to [0, 6])", List.of(0f, 6f)),
            new Activation("Identity", "no activation", List.of()));

    /** How many of a tensor's values must sit exactly on its extreme for that extreme to be a clamp's bound. */
    private static final int SATURATED = 4;

    /** Operators with explicit {@code pads}: [begin of each spatial axis..., end of each...]. */
    private static final Set<String> PADDED = Set.of("Conv", "ConvTranspose", "MaxPool", "AveragePool");

    /** Operators normalizing along one {@code axis}, whose output shape does not depend on it. */
    private static final Set<String> AXIS_OPS = Set.of("Softmax", "LogSoftmax", "Hardmax");

    /** Resize's coordinate transformations that need no region of interest. */
    private static final List<String> RESIZE_COORDINATES = List.of("half_pixel", "asymmetric", "align_corners",
            "pytorch_half_pixel", "tf_half_pixel_for_nn");

    /** Resize's roundings of a nearest-neighbour source pixel. */
    private static final List<String> NEAREST_ROUNDING = List.of("round_prefer_floor", "round_prefer_ceil", "floor",
            "ceil");

    private final DiagnosisRun run;

    OperatorHypotheses(DiagnosisRun run) {
        this.run = run;
    }

    /**
     * Each Reshape or Flatten of a fed tensor reading it in another axis order, the batch axis kept: a converter that
     * reshaped NHWC data as if it were NCHW (PyTorch's {@code .view} kept as it was after the layout changed), or that
     * dropped the transpose before a reshape, keeps the right shape and scrambles the values. Channels last is tried
     * first, then the order the TFLite model holds the fed tensor in, then the other orders of up to five axes (at most
     * 23 isolated runs of a few operators, and a wrong order that moves data cannot reproduce real values).
     */
    Optional<Diagnosis> layout(List<GraphNode> chain) {
        Optional<Diagnosis> dropped = droppedTranspose(chain);
        if (dropped.isPresent()) {
            return dropped;
        }
        for (GraphNode node : chain) {
            if (!(node.opType().equals("Reshape") || node.opType().equals("Flatten")) || node.inputs().isEmpty()) {
                continue;
            }
            String data = node.inputs().get(0);
            Tensor value = run.fed.get(data);
            boolean alone = chain.stream().filter(n -> n.inputs().contains(data)).count() == 1;
            if (value == null || !alone || value.shape().rank() < 3 || value.shape().rank() > 5) {
                continue;
            }
            for (Permutation order : readingOrders(value, data)) {
                Tensor reordered = TensorPermuter.permute(value, order);
                boolean channelsLast = order.equals(TensorLayout.channelsLast(value.shape().rank()));
                String words = DiagnosisRun.named(node) + " reading " + ShortName.quoted(data)
                        + (channelsLast ? " channels last" : " in axis order " + java.util.Arrays.toString(order.axes()));
                DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, Map.of(data, reordered), List.of()));
                if (o.reproduced()) {
                    return Optional.of(run.found(DiagnosisKind.LAYOUT, channelsLast
                            ? DiagnosisRun.named(node) + " reads " + ShortName.quoted(data) + " in channels-last (NHWC)"
                                    + " order where ONNX reads it channels first: the converter reshaped NHWC data as if"
                                    + " it were NCHW"
                            : DiagnosisRun.named(node) + " reads " + ShortName.quoted(data) + " with its axes in the"
                                    + " order " + java.util.Arrays.toString(order.axes()) + " where ONNX reads them in"
                                    + " their own: the converter reshaped the data in another layout (a transpose"
                                    + " dropped or reversed)", o.error()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Each Transpose of the chain that hands a Reshape or Flatten its data, replaced by an Identity: a converter that
     * dropped the transpose reshapes the data in the layout it holds it in.
     */
    private Optional<Diagnosis> droppedTranspose(List<GraphNode> chain) {
        for (GraphNode transpose : chain) {
            if (!transpose.opType().equals("Transpose") || transpose.outputs().isEmpty()) {
                continue;
            }
            String out = transpose.outputs().get(0);
            Optional<GraphNode> reshape = chain.stream().filter(n -> (n.opType().equals("Reshape")
                    || n.opType().equals("Flatten")) && !n.inputs().isEmpty() && n.inputs().get(0).equals(out)).findFirst();
            if (reshape.isEmpty()) {
                continue;
            }
            // The data as the TFLite model holds it: the raw TFLite tensor fed to the transpose, when the chain is fed
            // there, so that dropping the transpose reads it in the converted model's own layout.
            String source = transpose.inputs().get(0);
            Map<String, Tensor> raw = run.plan.feeds().stream().filter(f -> f.onnx().equals(source) && f.pair() != null)
                    .findFirst().map(f -> Map.of(source, LayerIsolation.valueOf(run.tflite, f.pair().tflite())))
                    .orElse(Map.of());
            String words = DiagnosisRun.named(transpose) + " dropped before " + DiagnosisRun.named(reshape.get())
                    + (raw.isEmpty() ? "" : ", reading " + ShortName.quoted(source) + " in the TFLite layout");
            DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, raw,
                    List.of(new NodeEdit.Replace(transpose.index(), "Identity", List.of()))));
            if (o.reproduced()) {
                return Optional.of(run.found(DiagnosisKind.LAYOUT, DiagnosisRun.named(reshape.get()) + " reads the data"
                        + " of " + DiagnosisRun.named(transpose) + " untransposed: the converter dropped the transpose and"
                        + " reshaped the data in the layout it holds it in", o.error()));
            }
        }
        return Optional.empty();
    }

    /** The axis orders to try for {@code data}: channels last, the TFLite model's own order, then the rest. */
    private List<Permutation> readingOrders(Tensor value, String data) {
        int rank = value.shape().rank();
        java.util.LinkedHashSet<Permutation> orders = new java.util.LinkedHashSet<>();
        orders.add(TensorLayout.channelsLast(rank));
        run.plan.feeds().stream().filter(f -> f.onnx().equals(data) && f.pair() != null && f.pair().layout() != null)
                .map(f -> f.pair().layout().permutation()).filter(p -> p.rank() == rank).forEach(orders::add);
        for (Permutation p : Permutation.all(rank)) {
            if (p.axes()[0] == 0) {
                orders.add(p);
            }
        }
        return orders.stream().filter(p -> movesData(value, p)).toList();
    }

    /** Whether reading {@code value} in the order {@code p} changes the order of its axes longer than one. */
    private static boolean movesData(Tensor value, Permutation p) {
        int last = -1;
        for (int axis : p.axes()) {
            if (value.shape().dim(axis) > 1) {
                if (axis < last) {
                    return true;
                }
                last = axis;
            }
        }
        return false;
    }

    /**
     * The operators unchanged, their output compared under the permutation the values agree under rather than the one
     * the graphs imply: a TRANSPOSE with the wrong permutation (height and width swapped) reproduces that way.
     */
    Optional<Diagnosis> permutedLayout(List<GraphNode> chain) {
        String words = "the TFLite values read with axes permuted " + java.util.Arrays.toString(run.observed.permutation()
                .axes()) + " in place of " + java.util.Arrays.toString(run.layout.permutation().axes());
        Tensor alone;
        try {
            alone = chain.isEmpty() ? run.fed.get(run.pair.onnx())
                    : run.runner.run(run.plan.nodes(), run.fed, run.pair.onnx(), run.onnxValue(run.pair.onnx()).dtype());
        } catch (ModelFailureException | RuntimeException e) {
            run.tested.add(words + ": skipped, ONNX Runtime cannot run it (" + e.getMessage() + ")");
            return Optional.empty();
        }
        if (alone == null) {
            return Optional.empty();
        }
        Comparison c = PairJudge.compare(alone, LayerIsolation.valueOf(run.tflite, run.pair.tflite()), run.observed, run.rule);
        DiagnosisRun.Outcome o = run.record(words, c);
        return o.reproduced() ? Optional.of(run.found(DiagnosisKind.LAYOUT, "the TFLite tensor holds the values with its"
                + " axes permuted " + java.util.Arrays.toString(run.observed.permutation().axes()) + " where the graphs imply "
                + java.util.Arrays.toString(run.layout.permutation().axes()) + " (a TRANSPOSE with the wrong permutation)",
                o.error())) : Optional.empty();
    }

    /**
     * Each Resize with each other coordinate transformation (how output pixels map onto input ones: TensorFlow's
     * align_corners and half_pixel flags against ONNX's modes) and, for nearest, each other rounding.
     */
    Optional<Diagnosis> resize(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode node : chain) {
            if (!node.opType().equals("Resize")) {
                continue;
            }
            String mode = run.runner.text(node.index(), "mode").orElse("nearest");
            List<String> attributes = new ArrayList<>(List.of("coordinate_transformation_mode"));
            if (mode.equals("nearest")) {
                attributes.add("nearest_mode");
            }
            for (String attribute : attributes) {
                boolean coordinates = attribute.equals("coordinate_transformation_mode");
                String current = run.runner.text(node.index(), attribute)
                        .orElse(coordinates ? "half_pixel" : "round_prefer_floor");
                for (String other : coordinates ? RESIZE_COORDINATES : NEAREST_ROUNDING) {
                    if (other.equals(current)) {
                        continue;
                    }
                    String words = DiagnosisRun.named(node) + " with " + attribute + " " + other;
                    DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, Map.of(),
                            List.of(new NodeEdit.StringAttribute(node.index(), attribute, other))));
                    if (o.reproduced()) {
                        return Optional.of(run.found(DiagnosisKind.RESIZE, String.format(Locale.ROOT,
                                "%s resizes with %s %s where ONNX has %s", DiagnosisRun.named(node), attribute, other, current),
                                o.error()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Each normalization of the chain with each epsilon it is commonly exported with. */
    Optional<Diagnosis> commonEpsilon(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode norm : chain) {
            if (!NORMALIZATIONS.contains(norm.opType())) {
                continue;
            }
            double current = run.runner.attribute(norm.index(), "epsilon").orElse(1e-5);
            for (float eps : COMMON_EPSILONS) {
                if (eps == (float) current) {
                    continue;
                }
                String words = DiagnosisRun.named(norm) + " with epsilon " + ShortNumber.format(eps);
                DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, Map.of(),
                        List.of(new NodeEdit.FloatAttribute(norm.index(), "epsilon", eps))));
                if (o.reproduced()) {
                    return Optional.of(run.found(DiagnosisKind.EPSILON, String.format(Locale.ROOT,
                            "%s epsilon %s where ONNX has %s", norm.opType(), ShortNumber.format(eps),
                            ShortNumber.format(current)), o.error()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Each activation of the chain (Relu, Clip, Identity) replaced by each other one: a converter that fused ReLU6 for
     * ReLU, or dropped the activation.
     */
    Optional<Diagnosis> activation(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode node : chain) {
            Activation current = ACTIVATIONS.stream().filter(a -> a.opType().equals(node.opType())).findFirst()
                    .orElse(null);
            if (current == null) {
                continue;
            }
            for (Activation other : ACTIVATIONS) {
                if (other.opType().equals(node.opType())) {
                    continue;
                }
                String words = other.words() + " in place of " + DiagnosisRun.named(node);
                DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, Map.of(),
                        List.of(new NodeEdit.Replace(node.index(), other.opType(), other.constants()))));
                if (o.reproduced()) {
                    return Optional.of(run.found(DiagnosisKind.ACTIVATION, other.words() + " where ONNX has "
                            + (node.opType().equals("Clip") ? DiagnosisRun.named(node) : current.words()), o.error()));
                }
            }
            Optional<Diagnosis> bounds = clampBounds(node, current);
            if (bounds.isPresent()) {
                return bounds;
            }
        }
        return Optional.empty();
    }

    /**
     * The activation replaced by a Clip to the bounds the TFLite values saturate at: a converter that fused another
     * clamp (RELU_N1_TO_1, a ReLU6 for a ReLU with another cap). A bound counts as hit when at least {@value
     * #SATURATED} of the values sit exactly on it (a clamp puts every value beyond it there; a plain tensor's extreme
     * is one value); an unhit side stays open.
     */
    private Optional<Diagnosis> clampBounds(GraphNode node, Activation current) {
        float[] v = LayerIsolation.valueOf(run.tflite, run.pair.tflite()).asReal().data();
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        int atLo = 0;
        int atHi = 0;
        for (float x : v) {
            atLo += x == lo ? 1 : 0;
            atHi += x == hi ? 1 : 0;
        }
        float min = atLo >= SATURATED ? lo : -Float.MAX_VALUE;
        float max = atHi >= SATURATED ? hi : Float.MAX_VALUE;
        if (max == Float.MAX_VALUE || !(min < max)) {
            // No cap hit: an open clamp is ReLU or no activation, tried above.
            return Optional.empty();
        }
        String range = "[" + (min == -Float.MAX_VALUE ? "-inf" : ShortNumber.format(min)) + ", "
                + ShortNumber.format(max) + "]";
        String words = "Clip to " + range + " in place of " + DiagnosisRun.named(node);
        DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, Map.of(),
                List.of(new NodeEdit.Replace(node.index(), "Clip", List.of(min, max)))));
        return o.reproduced() ? Optional.of(run.found(DiagnosisKind.ACTIVATION, "a clamp to " + range + " where ONNX has "
                + (node.opType().equals("Clip") ? DiagnosisRun.named(node) : current.words()), o.error()))
                : Optional.empty();
    }

    /**
     * The activation function the root's operators compute, replaced by each other one of its family (a gate of
     * {@code x}, or {@code x} times such a gate): a converter that wrote GELU's tanh approximation for the erf one, a
     * HardSwish for a Swish, or a hard sigmoid with Keras's slope for PyTorch's. The function's input {@code x} is found
     * walking back from the operator writing the root, through at most {@value #FUNCTION_DEPTH} elementwise operators:
     * an activation operator's input, or the tensor a decomposed function reads twice ({@code x * sigmoid(x)}).
     */
    Optional<Diagnosis> activationFunction(List<GraphNode> chain) throws ModelFailureException {
        GraphNode writer = chain.stream().filter(n -> n.outputs().contains(run.pair.onnx())).findFirst().orElse(null);
        if (writer == null || !ELEMENTWISE.contains(writer.opType())) {
            return Optional.empty();
        }
        List<GraphNode> cone = cone(writer);
        boolean smooth = cone.stream().anyMatch(n -> FUNCTION_OPS.contains(n.opType()));
        if (!smooth && !PIECEWISE.contains(writer.opType())) {
            return Optional.empty();
        }
        String x = functionInput(writer, cone);
        boolean computable = x != null && (run.fed.containsKey(x)
                || chain.stream().anyMatch(n -> n != writer && n.outputs().contains(x)));
        if (!computable) {
            return Optional.empty();
        }
        ActivationFunction current = current(writer, cone);
        ActivationFunction.Family family = writer.opType().equals("Sigmoid") || writer.opType().equals("HardSigmoid")
                ? ActivationFunction.Family.GATE : ActivationFunction.Family.GATED;
        String has = current != null ? current.words() : DiagnosisRun.named(writer);
        for (ActivationFunction other : ActivationFunction.values()) {
            if (other == current || other.family() != family) {
                continue;
            }
            String words = other.words() + " of " + ShortName.quoted(x) + " in place of " + DiagnosisRun.named(writer);
            DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, Map.of(),
                    List.of(new NodeEdit.Function(writer.index(), x, other))));
            if (o.reproduced()) {
                return Optional.of(run.found(DiagnosisKind.ACTIVATION, other.words() + " where ONNX has " + has,
                        o.error()));
            }
        }
        return Optional.empty();
    }

    /** The writer and the elementwise operators it is computed from, nearest first, up to the depth searched. */
    private List<GraphNode> cone(GraphNode writer) {
        List<GraphNode> nodes = run.onnx.graph().nodes();
        Map<String, GraphNode> producers = new java.util.HashMap<>();
        for (GraphNode n : nodes.subList(0, writer.index())) {
            n.outputs().forEach(o -> producers.put(o, n));
        }
        List<GraphNode> cone = new ArrayList<>(List.of(writer));
        for (int k = 0; k < cone.size() && cone.size() < FUNCTION_DEPTH; k++) {
            for (String input : cone.get(k).inputs()) {
                GraphNode p = producers.get(input);
                if (p != null && ELEMENTWISE.contains(p.opType()) && !cone.contains(p)
                        && cone.size() < FUNCTION_DEPTH) {
                    cone.add(p);
                }
            }
        }
        return cone;
    }

    /**
     * What the function reads: a one-input activation's input; else the tensor the cone reads at least twice and does
     * not compute itself ({@code x} in {@code x * sigmoid(x)}), null when there is none.
     */
    private String functionInput(GraphNode writer, List<GraphNode> cone) {
        if (PIECEWISE.contains(writer.opType()) || FUNCTION_OPS.contains(writer.opType())) {
            return writer.inputs().isEmpty() ? null : writer.inputs().get(0);
        }
        Set<String> computed = new java.util.HashSet<>();
        cone.forEach(n -> computed.addAll(n.outputs()));
        Map<String, Integer> reads = new java.util.LinkedHashMap<>();
        for (GraphNode n : cone) {
            for (String input : new java.util.LinkedHashSet<>(n.inputs())) {
                if (!computed.contains(input) && !run.onnx.graph().constants().contains(input)) {
                    reads.merge(input, n.inputs().stream().filter(input::equals).count() > 1 ? 2 : 1, Integer::sum);
                }
            }
        }
        return reads.entrySet().stream().filter(e -> e.getValue() >= 2).map(Map.Entry::getKey).findFirst()
                .orElse(null);
    }

    /** The function the ONNX operators compute, told by the operators they use; null for a piecewise one (ReLU). */
    private ActivationFunction current(GraphNode writer, List<GraphNode> cone) throws ModelFailureException {
        Set<String> ops = new java.util.HashSet<>();
        cone.forEach(n -> ops.add(n.opType()));
        return switch (writer.opType()) {
            case "Gelu" -> run.runner.text(writer.index(), "approximate").filter("tanh"::equals).isPresent()
                    ? ActivationFunction.GELU_TANH : ActivationFunction.GELU_ERF;
            case "HardSwish" -> ActivationFunction.HARD_SWISH;
            case "Sigmoid" -> ActivationFunction.SIGMOID;
            case "HardSigmoid" -> kerasSlope(writer) ? ActivationFunction.HARD_SIGMOID_KERAS
                    : ActivationFunction.HARD_SIGMOID;
            default -> {
                if (ops.contains("Erf")) {
                    yield ActivationFunction.GELU_ERF;
                } else if (ops.contains("Tanh")) {
                    yield ActivationFunction.GELU_TANH;
                } else if (ops.contains("HardSigmoid")) {
                    GraphNode gate = cone.stream().filter(n -> n.opType().equals("HardSigmoid")).findFirst().get();
                    yield kerasSlope(gate) ? ActivationFunction.HARD_SWISH_KERAS : ActivationFunction.HARD_SWISH;
                } else if (ops.contains("Sigmoid")) {
                    yield ActivationFunction.SWISH;
                }
                yield null;
            }
        };
    }

    /** Whether a HardSigmoid has Keras's slope 0.2, ONNX's default, rather than PyTorch's 1/6. */
    private boolean kerasSlope(GraphNode hardSigmoid) throws ModelFailureException {
        return Math.abs(run.runner.attribute(hardSigmoid.index(), "alpha").orElse(0.2) - 0.2) < 1e-3;
    }

    /**
     * Each padded operator's window shifted by one along one spatial axis, the output size kept: padding moved from
     * the end to the beginning or back, as TensorFlow's SAME (the odd pixel at the end) and a symmetric or explicit
     * padding differ.
     */
    Optional<Diagnosis> padding(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode node : chain) {
            if (!PADDED.contains(node.opType())) {
                continue;
            }
            Optional<List<Long>> pads = run.runner.ints(node.index(), "pads");
            if (pads.isEmpty() || pads.get().size() % 2 != 0) {
                continue;
            }
            List<Long> p = pads.get();
            int axes = p.size() / 2;
            for (int axis = 0; axis < axes; axis++) {
                for (int shift : new int[] {-1, 1}) {
                    long begin = p.get(axis) + shift;
                    long end = p.get(axis + axes) - shift;
                    if (begin < 0 || end < 0) {
                        continue;
                    }
                    List<Long> changed = new ArrayList<>(p);
                    changed.set(axis, begin);
                    changed.set(axis + axes, end);
                    String words = DiagnosisRun.named(node) + " with pads " + changed + " in place of " + p;
                    DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, Map.of(),
                            List.of(new NodeEdit.IntsAttribute(node.index(), "pads", changed))));
                    if (o.reproduced()) {
                        return Optional.of(run.found(DiagnosisKind.PADDING, String.format(Locale.ROOT,
                                "%s padded %s (begins, then ends) where ONNX pads %s: the window shifted by one along"
                                        + " spatial axis %d", DiagnosisRun.named(node), changed, p, axis), o.error()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Each padded operator with TensorFlow's SAME padding (output size ceil(input / stride), the extra pad at the end)
     * or VALID padding (none) in place of its own, when that changes its pads: a converter that mistranslated the
     * padding mode changes the output's shape, so the values are compared in whichever layout the TFLite shape fits.
     */
    Optional<Diagnosis> paddingMode(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode node : chain) {
            if (!PADDED.contains(node.opType()) || node.opType().equals("ConvTranspose") || node.inputs().isEmpty()) {
                continue;
            }
            Tensor input = run.fed.containsKey(node.inputs().get(0)) ? run.fed.get(node.inputs().get(0))
                    : run.onnxValue(node.inputs().get(0));
            Optional<List<Long>> kernel = kernelShape(node);
            if (input == null || kernel.isEmpty() || input.shape().rank() != kernel.get().size() + 2) {
                continue;
            }
            int axes = kernel.get().size();
            List<Long> strides = run.runner.ints(node.index(), "strides").orElse(ones(axes));
            List<Long> dilations = run.runner.ints(node.index(), "dilations").orElse(ones(axes));
            List<Long> pads = run.runner.ints(node.index(), "pads").orElse(zeros(2 * axes));
            List<Long> same = zeros(2 * axes);
            for (int a = 0; a < axes; a++) {
                long in = input.shape().dim(a + 2);
                long out = (in + strides.get(a) - 1) / strides.get(a);
                long window = (kernel.get().get(a) - 1) * dilations.get(a) + 1;
                long total = Math.max((out - 1) * strides.get(a) + window - in, 0);
                same.set(a, total / 2);
                same.set(a + axes, total - total / 2);
            }
            List<Map.Entry<String, List<Long>>> modes = List.of(Map.entry("SAME", same),
                    Map.entry("VALID", zeros(2 * axes)));
            for (Map.Entry<String, List<Long>> mode : modes) {
                if (mode.getValue().equals(pads)) {
                    continue;
                }
                String words = DiagnosisRun.named(node) + " with " + mode.getKey() + " padding " + mode.getValue()
                        + " in place of " + pads;
                DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, Map.of(),
                        List.of(new NodeEdit.IntsAttribute(node.index(), "pads", mode.getValue()))));
                if (o.reproduced()) {
                    return Optional.of(run.found(DiagnosisKind.PADDING, String.format(Locale.ROOT,
                            "%s padded %s (%s, begins then ends) where ONNX pads %s: the converter changed the padding"
                                    + " mode, and with it the output's shape", DiagnosisRun.named(node), mode.getValue(),
                            mode.getKey(), pads), o.error()));
                }
            }
        }
        return Optional.empty();
    }

    /** The window's size: the {@code kernel_shape} attribute, else a convolution's weight shape past its two axes. */
    private Optional<List<Long>> kernelShape(GraphNode node) throws ModelFailureException {
        Optional<List<Long>> declared = run.runner.ints(node.index(), "kernel_shape");
        if (declared.isPresent() || !node.opType().equals("Conv") || node.inputs().size() < 2) {
            return declared;
        }
        Optional<Tensor> w = run.runner.weight(node.inputs().get(1));
        if (w.isEmpty() || w.get().shape().rank() < 3) {
            return Optional.empty();
        }
        List<Long> k = new ArrayList<>();
        for (int a = 2; a < w.get().shape().rank(); a++) {
            k.add((long) w.get().shape().dim(a));
        }
        return Optional.of(k);
    }

    private static List<Long> ones(int n) {
        return new ArrayList<>(java.util.Collections.nCopies(n, 1L));
    }

    private static List<Long> zeros(int n) {
        return new ArrayList<>(java.util.Collections.nCopies(n, 0L));
    }

    /**
     * Each convolution's dilation made one larger or smaller on every spatial axis, its pads moved with it so that the
     * output keeps its size: a dilated convolution converted as a plain one (or the other way) with the same shapes.
     */
    Optional<Diagnosis> dilation(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode node : chain) {
            if (!node.opType().equals("Conv") || node.inputs().size() < 2) {
                continue;
            }
            Optional<Tensor> w = run.runner.weight(node.inputs().get(1));
            Optional<List<Long>> pads = run.runner.ints(node.index(), "pads");
            if (w.isEmpty() || pads.isEmpty()) {
                continue;
            }
            int axes = w.get().shape().rank() - 2;
            List<Long> dilations = run.runner.ints(node.index(), "dilations").orElse(java.util.Collections.nCopies(axes, 1L));
            if (axes < 1 || pads.get().size() != 2 * axes || dilations.size() != axes
                    || dilations.stream().distinct().count() != 1) {
                continue;
            }
            long current = dilations.get(0);
            for (long other : new long[] {current - 1, current + 1}) {
                List<Long> changedPads = new ArrayList<>(pads.get());
                boolean fits = other >= 1;
                for (int a = 0; a < axes && fits; a++) {
                    // The kernel's extent changes by (other - current) * (k - 1); half of it on each side keeps the size.
                    long grow = (other - current) * (w.get().shape().dim(2 + a) - 1);
                    fits = grow % 2 == 0 && changedPads.get(a) + grow / 2 >= 0 && changedPads.get(a + axes) + grow / 2 >= 0;
                    changedPads.set(a, changedPads.get(a) + grow / 2);
                    changedPads.set(a + axes, changedPads.get(a + axes) + grow / 2);
                }
                if (!fits || changedPads.equals(pads.get())) {
                    continue;
                }
                List<Long> changed = java.util.Collections.nCopies(axes, other);
                String words = DiagnosisRun.named(node) + " with dilations " + changed + " and pads " + changedPads;
                DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, Map.of(), List.of(
                        new NodeEdit.IntsAttribute(node.index(), "dilations", changed),
                        new NodeEdit.IntsAttribute(node.index(), "pads", changedPads))));
                if (o.reproduced()) {
                    return Optional.of(run.found(DiagnosisKind.STRIDE, String.format(Locale.ROOT,
                            "%s dilated %s (pads %s) where ONNX has dilations %s (pads %s)", DiagnosisRun.named(node), changed,
                            changedPads, dilations, pads.get()), o.error()));
                }
            }
        }
        return Optional.empty();
    }

    /** Each Softmax-like operator's axis set to each other axis of its input. */
    Optional<Diagnosis> axis(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode node : chain) {
            Tensor value = run.onnxValue(node.outputs().get(0));
            if (!AXIS_OPS.contains(node.opType()) || value == null) {
                continue;
            }
            int rank = value.shape().rank();
            Optional<Double> set = run.runner.attribute(node.index(), "axis");
            int current = set.map(a -> (int) Math.floorMod(a.longValue(), (long) rank)).orElse(-1);
            for (int axis = 0; axis < rank; axis++) {
                if (axis == current || value.shape().dim(axis) == 1) {
                    continue;
                }
                String words = DiagnosisRun.named(node) + " along axis " + axis;
                DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, Map.of(), List.of(new NodeEdit.IntAttribute(node.index(), "axis",
                        axis))));
                if (o.reproduced()) {
                    return Optional.of(run.found(DiagnosisKind.AXIS, String.format(Locale.ROOT, "%s along axis %d where ONNX"
                            + " has %s", DiagnosisRun.named(node), axis, current < 0 ? "its default axis" : "axis " + current),
                            o.error()));
                }
            }
        }
        return Optional.empty();
    }
}
