package org.tensorparity.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.align.AlignedPair;
import org.tensorparity.align.IsolationPlan;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.NodeEdit;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.compare.BatchNormFold;
import org.tensorparity.compare.Comparison;
import org.tensorparity.compare.DiagnosisKind;
import org.tensorparity.compare.PairJudge;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.compare.Verdict;
import org.tensorparity.compare.WeightDifference;
import org.tensorparity.result.Diagnosis;
import org.tensorparity.tensor.ChannelBias;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;
import org.tensorparity.tensor.TensorPermuter;
import org.tensorparity.text.ShortName;
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

    /** TFLite operators that only move or crop their first input's values. */
    private static final Set<String> REARRANGING = Set.of("STRIDED_SLICE", "SLICE", "RESHAPE", "TRANSPOSE", "SQUEEZE",
            "EXPAND_DIMS");
    /** ONNX operators that only re-shape their first input's values. */
    private static final Set<String> VIEWS = Set.of("Reshape", "Squeeze", "Unsqueeze", "Flatten", "Identity");
    /** ONNX operators whose weights a TFLite {@link #KERNELS} operator holds. */
    private static final Set<String> WEIGHTED = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");
    /** TFLite operators with a weight tensor (input 1) and a bias, mapped into ONNX layout by {@link #toOnnx}. */
    private static final Set<String> KERNELS = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "FULLY_CONNECTED");
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

    private static final List<Activation> ACTIVATIONS = List.of(new Activation("Relu", "ReLU", List.of()),
            new Activation("Clip", "ReLU6 (Clip to [0, 6])", List.of(0f, 6f)),
            new Activation("Identity", "no activation", List.of()));
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
    /** Near misses reported: the closest three say whether anything came near. */
    private static final int ALTERNATIVES = 3;

    private final SubgraphRunner runner;
    private final IsolationPlan.Isolable plan;
    private final Map<String, Tensor> fed;
    private final AlignedPair pair;
    private final TensorLayout layout;
    private final ToleranceRule rule;
    private final LayerAnalysis.Side onnx;
    private final LayerAnalysis.Side tflite;
    private final Constants constants;
    private final TensorLayout observed;
    private final List<String> tested = new ArrayList<>();
    private final List<Diagnosis.Attempt> misses = new ArrayList<>();

    private RootDiagnosis(SubgraphRunner runner, IsolationPlan.Isolable plan, Map<String, Tensor> fed, AlignedPair pair,
            TensorLayout layout, ToleranceRule rule, LayerAnalysis.Side onnx, LayerAnalysis.Side tflite,
            Constants constants, TensorLayout observed) {
        this.runner = runner;
        this.plan = plan;
        this.fed = fed;
        this.pair = pair;
        this.layout = layout;
        this.rule = rule;
        this.onnx = onnx;
        this.tflite = tflite;
        this.constants = constants;
        this.observed = observed;
    }

    /**
     * One change to the isolated run: weights fed in place of the model's, attribute values, and a bias added to what
     * the operators compute (the TFLite layer's, where the ONNX operators have no bias of their own), or null.
     */
    private record Hypothesis(String words, Map<String, Tensor> feeds, List<NodeEdit> edits, AddedBias bias) {
        Hypothesis(String words, Map<String, Tensor> feeds, List<NodeEdit> edits) {
            this(words, feeds, edits, null);
        }
    }

    /** A bias added along {@code axis} of an isolated output. */
    private record AddedBias(float[] values, int axis) {
    }

    /** What a hypothesis left: null error when it could not run. */
    private record Outcome(boolean reproduced, Double error) {
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
        return new RootDiagnosis(runner, plan, fed, pair, layout, rule, onnx, tflite, constants, observed).run();
    }

    private Diagnosis run() {
        List<GraphNode> chain = plan.nodes().stream().map(i -> onnx.graph().nodes().get(i)).toList();
        if (observed != null) {
            Optional<Diagnosis> permuted = permutedLayout(chain);
            if (permuted.isPresent()) {
                return permuted.get();
            }
        }
        if (chain.isEmpty()) {
            return unknown("the ONNX side is a model input: no operator to change");
        }
        try {
            for (Step step : List.<Step>of(this::weights, this::activation, this::padding, this::dilation, this::axis,
                    this::layout, this::resize, this::commonEpsilon)) {
                Optional<Diagnosis> found = step.test(chain);
                if (found.isPresent()) {
                    return found.get();
                }
            }
        } catch (ModelFailureException e) {
            tested.add("reading the weights: " + e.getMessage());
        } catch (RuntimeException e) {
            // The diagnosis explains a failure the run has already found; an operator it cannot handle leaves that
            // failure as it is, named, rather than ending the run.
            tested.add("stopped: " + e);
        }
        return unknown("no change tested reproduces the TFLite values");
    }

    /**
     * The TFLite model's weights fed to the ONNX operator that holds them; empty when they do not reproduce or do
     * not apply (the reason is in {@link #tested}).
     */
    private Optional<Diagnosis> weights(List<GraphNode> chain) throws ModelFailureException {
        GraphNode converted = producer(pair.tflite());
        if (converted == null) {
            tested.add("TFLite weights: no TFLite operator computes " + ShortName.quoted(pair.tflite()));
            return Optional.empty();
        }
        // A crop or a reshape of the weighted operator's output (onnx2tf crops a TRANSPOSE_CONV's padded output with
        // a STRIDED_SLICE) computes nothing of its own: the weights are the operator's before it.
        while (REARRANGING.contains(converted.opType()) && !converted.inputs().isEmpty()
                && producer(converted.inputs().get(0)) != null) {
            converted = producer(converted.inputs().get(0));
        }
        GraphNode main = chain.stream().filter(n -> WEIGHTED.contains(n.opType())).findFirst().orElse(null);
        if (main != null && KERNELS.contains(converted.opType())) {
            return kernel(chain, main, converted);
        }
        GraphNode add = chain.stream().filter(n -> n.opType().equals("Add")).findFirst().orElse(null);
        if (add != null && converted.opType().equals("ADD")) {
            return addedConstant(add, converted);
        }
        tested.add("TFLite weights: " + converted.opType() + " holds no weights tensor-parity maps onto ONNX "
                + String.join(", ", chain.stream().map(GraphNode::opType).distinct().toList()));
        return Optional.empty();
    }

    private Optional<Diagnosis> kernel(List<GraphNode> chain, GraphNode main, GraphNode converted)
            throws ModelFailureException {
        String what = "TFLite " + converted.opType() + " weights in ONNX " + named(main);
        Optional<Tensor> onnxW = runner.weight(main.inputs().get(1));
        if (onnxW.isEmpty()) {
            tested.add(what + ": the ONNX weight " + ShortName.quoted(main.inputs().get(1)) + " is computed, not stored");
            return Optional.empty();
        }
        Map<String, Tensor> tfl = tfliteValues(converted.inputs().subList(1, converted.inputs().size()));
        Tensor stored = tfl.get(converted.inputs().get(1));
        Tensor tW = stored == null ? null : stored.asReal();
        if (tW == null) {
            tested.add(what + ": the TFLite weight " + ShortName.quoted(converted.inputs().get(1)) + " is not stored");
            return Optional.empty();
        }
        // TRANSPOSE_CONV reads (output shape, weights, input, bias); the others (input, weights, bias).
        int biasInput = converted.opType().equals("TRANSPOSE_CONV") ? 3 : 2;
        Tensor tB = converted.inputs().size() > biasInput && tfl.get(converted.inputs().get(biasInput)) != null
                ? tfl.get(converted.inputs().get(biasInput)).asReal() : null;
        Shape onnxShape = onnxW.get().shape();
        Permutation outMajor = outMajor(main, onnxShape.rank());
        Tensor mapped = toOnnx(converted.opType(), tW, outMajor);
        mapped = mapped == null ? null : fit(mapped, onnxShape);
        if (mapped == null) {
            tested.add(what + ": TFLite weights " + tW.shape() + " do not map onto ONNX " + onnxShape);
            return Optional.empty();
        }
        mapped = Tensor.wrap(onnxW.get().dtype(), onnxShape, mapped.data());
        int channels = onnxShape.dim(outMajor.axis(0));
        if (tB != null && tB.size() != channels) {
            tested.add(what + ": TFLite bias of " + tB.size() + " values for " + channels + " output channels");
            return Optional.empty();
        }
        float[] tBias = tB == null ? new float[channels] : tB.data();
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put(main.inputs().get(1), mapped);
        List<NodeEdit> edits = new ArrayList<>();
        String onnxBiasName = main.opType().equals("MatMul") ? null : main.inputs().size() > 2 ? main.inputs().get(2) : null;
        GraphNode biasAdd = null;
        if (main.opType().equals("MatMul")) {
            biasAdd = chain.stream().filter(n -> n.opType().equals("Add") && n.inputs().contains(main.outputs().get(0)))
                    .findFirst().orElse(null);
            onnxBiasName = biasAdd == null ? null
                    : biasAdd.inputs().stream().filter(i -> !i.equals(main.outputs().get(0))).findFirst().orElse(null);
        }
        Tensor onnxBias = onnxBiasName == null ? null : runner.weight(onnxBiasName).orElse(null);
        if (onnxBiasName != null && (onnxBias == null || onnxBias.size() != channels)) {
            tested.add(what + ": the ONNX bias " + ShortName.quoted(onnxBiasName) + " is not a stored vector of "
                    + channels);
            return Optional.empty();
        }
        String mainOut = biasAdd == null ? main.outputs().get(0) : biasAdd.outputs().get(0);
        AddedBias added = null;
        GraphNode norm = chain.stream().filter(n -> n.opType().equals("BatchNormalization")
                && n.inputs().get(0).equals(mainOut)).findFirst().orElse(null);
        int[] shape = outMajor.apply(onnxShape).dims();
        float[] onnxKernel = inOrder(onnxW.get(), outMajor);
        WeightDifference.Weights referenceWeights = new WeightDifference.Weights(onnxKernel, shape,
                onnxBias == null ? new float[channels] : onnxBias.data());
        BatchNormFold fold = null;
        if (norm != null) {
            // The TFLite kernel holds the BatchNormalization folded in: the ONNX one is made the identity (epsilon 0,
            // unit variance and scale, zero mean) and adds the TFLite bias, and the reference is folded to compare.
            List<Tensor> bn = new ArrayList<>();
            for (int k = 1; k <= 4; k++) {
                Optional<Tensor> p = runner.weight(norm.inputs().get(k));
                if (p.isEmpty() || p.get().size() != channels) {
                    tested.add(what + ": the BatchNormalization's parameters are not stored vectors of " + channels);
                    return Optional.empty();
                }
                bn.add(p.get());
            }
            fold = new BatchNormFold(bn.get(0).data(), bn.get(1).data(), bn.get(2).data(), bn.get(3).data(),
                    runner.attribute(norm.index(), "epsilon").orElse(1e-5));
            referenceWeights = fold.fold(referenceWeights);
            if (onnxBiasName != null) {
                feeds.put(onnxBiasName, Tensor.wrap(onnxBias.dtype(), onnxBias.shape(), new float[channels]));
            }
            feeds.put(norm.inputs().get(1), filled(bn.get(0), 1));
            feeds.put(norm.inputs().get(2), Tensor.wrap(bn.get(1).dtype(), bn.get(1).shape(), tBias.clone()));
            feeds.put(norm.inputs().get(3), filled(bn.get(2), 0));
            feeds.put(norm.inputs().get(4), filled(bn.get(3), 1));
            edits.add(new NodeEdit.FloatAttribute(norm.index(), "epsilon", 0f));
            what += " (its BatchNormalization folded in)";
        } else if (onnxBiasName != null) {
            feeds.put(onnxBiasName, Tensor.wrap(onnxBias.dtype(), onnxBias.shape(), tBias.clone()));
        } else if (maxAbs(tBias) > 0) {
            if (!pair.onnx().equals(main.outputs().get(0))) {
                tested.add(what + ": the TFLite layer adds a bias the ONNX operators have no place for");
                return Optional.empty();
            }
            // The ONNX operator's own output is paired with a TFLite layer that adds a bias: the ONNX bias, if any, is
            // added by an Add after it, outside the isolated operators (or was dropped).
            added = new AddedBias(tBias, main.opType().startsWith("Conv") ? 1 : onnxValue(pair.onnx()).shape().rank() - 1);
            referenceWeights = new WeightDifference.Weights(onnxKernel, shape,
                    downstreamBias(main.outputs().get(0), channels).orElse(new float[channels]));
            what += " plus the TFLite bias";
        }
        Outcome o = test(new Hypothesis(what, feeds, edits, added));
        if (!o.reproduced()) {
            return Optional.empty();
        }
        float[] convertedKernel = inOrder(mapped, outMajor);
        Quantization q = stored.quantization();
        if (q != null && (!q.perChannel() || q.channels() == channels)) {
            // Weights are quantized along their output channels, whichever axis holds them in the TFLite layout.
            float[] scales = new float[channels];
            for (int c = 0; c < channels; c++) {
                scales[c] = q.scale(q.perChannel() ? c : 0);
            }
            Optional<WeightDifference.Found> quantized = WeightDifference.ofQuantized(referenceWeights, convertedKernel,
                    scales, q.storage().name().toLowerCase(Locale.ROOT));
            if (quantized.isPresent()) {
                return Optional.of(found(quantized.get().kind(), quantized.get().detail(), o.error()));
            }
        }
        WeightDifference.Found f = WeightDifference.of(referenceWeights,
                new WeightDifference.Weights(convertedKernel, shape, tBias));
        if (f.kind() == DiagnosisKind.SCALE && fold != null) {
            Optional<Diagnosis> epsilon = epsilonFromWeights(norm, fold, onnxKernel, convertedKernel);
            if (epsilon.isPresent()) {
                return epsilon;
            }
        }
        if (f.kind() == DiagnosisKind.WEIGHTS_OTHER && fold != null) {
            // A change made to the ONNX operator before its BatchNormalization (its channels swapped, its kernel
            // rounded) shows in its own weights, once the TFLite ones are unfolded by the same BatchNormalization.
            WeightDifference.Weights unfolded = fold.unfold(new WeightDifference.Weights(convertedKernel, shape, tBias));
            Optional<WeightDifference.Found> before = unfolded == null ? Optional.empty()
                    : Optional.of(WeightDifference.of(new WeightDifference.Weights(onnxKernel, shape,
                            onnxBias == null ? null : onnxBias.data()), unfolded))
                            .filter(b -> b.kind() != DiagnosisKind.WEIGHTS_OTHER);
            if (before.isPresent()) {
                return Optional.of(found(before.get().kind(), before.get().detail() + " (in " + named(main)
                        + ", before its BatchNormalization)", o.error()));
            }
        }
        return Optional.of(found(f.kind(), f.detail(), o.error()));
    }

    /**
     * The constant vector of {@code channels} an ONNX Add adds to {@code tensor}, or to a reshaped view of it (Keras'
     * Tensordot reshapes between its MatMul and its bias Add), if one does.
     */
    private Optional<float[]> downstreamBias(String tensor, int channels) throws ModelFailureException {
        for (GraphNode n : onnx.graph().nodes()) {
            if (!n.inputs().contains(tensor)) {
                continue;
            }
            if (VIEWS.contains(n.opType()) && n.inputs().get(0).equals(tensor) && !n.outputs().isEmpty()) {
                Optional<float[]> through = downstreamBias(n.outputs().get(0), channels);
                if (through.isPresent()) {
                    return through;
                }
            } else if (n.opType().equals("Add") && n.inputs().size() == 2) {
                String other = n.inputs().get(0).equals(tensor) ? n.inputs().get(1) : n.inputs().get(0);
                Optional<Tensor> c = runner.weight(other);
                if (c.isPresent() && c.get().size() == channels) {
                    return Optional.of(c.get().data());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Each Reshape or Flatten of a fed tensor reading it channels last: a converter that reshaped NHWC data as if it
     * were NCHW (PyTorch's {@code .view} kept as it was after the layout changed) keeps the right shape and scrambles
     * the values.
     */
    private Optional<Diagnosis> layout(List<GraphNode> chain) {
        for (GraphNode node : chain) {
            if (!(node.opType().equals("Reshape") || node.opType().equals("Flatten")) || node.inputs().isEmpty()) {
                continue;
            }
            String data = node.inputs().get(0);
            Tensor value = fed.get(data);
            boolean alone = chain.stream().filter(n -> n.inputs().contains(data)).count() == 1;
            if (value == null || !alone || value.shape().rank() < 3 || value.shape().rank() > 5) {
                continue;
            }
            int rank = value.shape().rank();
            int[] axes = new int[rank];
            axes[0] = 0;
            for (int i = 1; i < rank - 1; i++) {
                axes[i] = i + 1;
            }
            axes[rank - 1] = 1;
            Tensor channelsLast = TensorPermuter.permute(value, Permutation.of(axes));
            String words = named(node) + " reading " + ShortName.quoted(data) + " channels last";
            Outcome o = test(new Hypothesis(words, Map.of(data, channelsLast), List.of()));
            if (o.reproduced()) {
                return Optional.of(found(DiagnosisKind.LAYOUT, named(node) + " reads " + ShortName.quoted(data)
                        + " in channels-last (NHWC) order where ONNX reads it channels first: the converter reshaped"
                        + " NHWC data as if it were NCHW", o.error()));
            }
        }
        return Optional.empty();
    }

    /**
     * The operators unchanged, their output compared under the permutation the values agree under rather than the one
     * the graphs imply: a TRANSPOSE with the wrong permutation (height and width swapped) reproduces that way.
     */
    private Optional<Diagnosis> permutedLayout(List<GraphNode> chain) {
        String words = "the TFLite values read with axes permuted " + java.util.Arrays.toString(observed.permutation()
                .axes()) + " in place of " + java.util.Arrays.toString(layout.permutation().axes());
        Tensor alone;
        try {
            alone = chain.isEmpty() ? fed.get(pair.onnx())
                    : runner.run(plan.nodes(), fed, pair.onnx(), onnxValue(pair.onnx()).dtype());
        } catch (ModelFailureException | RuntimeException e) {
            tested.add(words + ": skipped, ONNX Runtime cannot run it (" + e.getMessage() + ")");
            return Optional.empty();
        }
        if (alone == null) {
            return Optional.empty();
        }
        Comparison c = PairJudge.compare(alone, LayerIsolation.valueOf(tflite, pair.tflite()), observed, rule);
        Outcome o = record(words, c);
        return o.reproduced() ? Optional.of(found(DiagnosisKind.LAYOUT, "the TFLite tensor holds the values with its"
                + " axes permuted " + java.util.Arrays.toString(observed.permutation().axes()) + " where the graphs imply "
                + java.util.Arrays.toString(layout.permutation().axes()) + " (a TRANSPOSE with the wrong permutation)",
                o.error())) : Optional.empty();
    }

    /**
     * Each Resize with each other coordinate transformation (how output pixels map onto input ones: TensorFlow's
     * align_corners and half_pixel flags against ONNX's modes) and, for nearest, each other rounding.
     */
    private Optional<Diagnosis> resize(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode node : chain) {
            if (!node.opType().equals("Resize")) {
                continue;
            }
            String mode = runner.text(node.index(), "mode").orElse("nearest");
            List<String> attributes = new ArrayList<>(List.of("coordinate_transformation_mode"));
            if (mode.equals("nearest")) {
                attributes.add("nearest_mode");
            }
            for (String attribute : attributes) {
                boolean coordinates = attribute.equals("coordinate_transformation_mode");
                String current = runner.text(node.index(), attribute)
                        .orElse(coordinates ? "half_pixel" : "round_prefer_floor");
                for (String other : coordinates ? RESIZE_COORDINATES : NEAREST_ROUNDING) {
                    if (other.equals(current)) {
                        continue;
                    }
                    String words = named(node) + " with " + attribute + " " + other;
                    Outcome o = test(new Hypothesis(words, Map.of(),
                            List.of(new NodeEdit.StringAttribute(node.index(), attribute, other))));
                    if (o.reproduced()) {
                        return Optional.of(found(DiagnosisKind.RESIZE, String.format(Locale.ROOT,
                                "%s resizes with %s %s where ONNX has %s", named(node), attribute, other, current),
                                o.error()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** One family of hypotheses, tried on the root's operators in order until one reproduces. */
    @FunctionalInterface
    private interface Step {
        Optional<Diagnosis> test(List<GraphNode> chain) throws ModelFailureException;
    }

    /** Each normalization of the chain with each epsilon it is commonly exported with. */
    private Optional<Diagnosis> commonEpsilon(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode norm : chain) {
            if (!NORMALIZATIONS.contains(norm.opType())) {
                continue;
            }
            double current = runner.attribute(norm.index(), "epsilon").orElse(1e-5);
            for (float eps : COMMON_EPSILONS) {
                if (eps == (float) current) {
                    continue;
                }
                String words = named(norm) + " with epsilon " + ShortNumber.format(eps);
                Outcome o = test(new Hypothesis(words, Map.of(),
                        List.of(new NodeEdit.FloatAttribute(norm.index(), "epsilon", eps))));
                if (o.reproduced()) {
                    return Optional.of(found(DiagnosisKind.EPSILON, String.format(Locale.ROOT,
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
    private Optional<Diagnosis> activation(List<GraphNode> chain) throws ModelFailureException {
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
                String words = other.words() + " in place of " + named(node);
                Outcome o = test(new Hypothesis(words, Map.of(),
                        List.of(new NodeEdit.Replace(node.index(), other.opType(), other.constants()))));
                if (o.reproduced()) {
                    return Optional.of(found(DiagnosisKind.ACTIVATION, other.words() + " where ONNX has "
                            + (node.opType().equals("Clip") ? named(node) : current.words()), o.error()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Each padded operator's window shifted by one along one spatial axis, the output size kept: padding moved from
     * the end to the beginning or back, as TensorFlow's SAME (the odd pixel at the end) and a symmetric or explicit
     * padding differ.
     */
    private Optional<Diagnosis> padding(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode node : chain) {
            if (!PADDED.contains(node.opType())) {
                continue;
            }
            Optional<List<Long>> pads = runner.ints(node.index(), "pads");
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
                    String words = named(node) + " with pads " + changed + " in place of " + p;
                    Outcome o = test(new Hypothesis(words, Map.of(),
                            List.of(new NodeEdit.IntsAttribute(node.index(), "pads", changed))));
                    if (o.reproduced()) {
                        return Optional.of(found(DiagnosisKind.PADDING, String.format(Locale.ROOT,
                                "%s padded %s (begins, then ends) where ONNX pads %s: the window shifted by one along"
                                        + " spatial axis %d", named(node), changed, p, axis), o.error()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Each convolution's dilation made one larger or smaller on every spatial axis, its pads moved with it so that the
     * output keeps its size: a dilated convolution converted as a plain one (or the other way) with the same shapes.
     */
    private Optional<Diagnosis> dilation(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode node : chain) {
            if (!node.opType().equals("Conv") || node.inputs().size() < 2) {
                continue;
            }
            Optional<Tensor> w = runner.weight(node.inputs().get(1));
            Optional<List<Long>> pads = runner.ints(node.index(), "pads");
            if (w.isEmpty() || pads.isEmpty()) {
                continue;
            }
            int axes = w.get().shape().rank() - 2;
            List<Long> dilations = runner.ints(node.index(), "dilations").orElse(java.util.Collections.nCopies(axes, 1L));
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
                String words = named(node) + " with dilations " + changed + " and pads " + changedPads;
                Outcome o = test(new Hypothesis(words, Map.of(), List.of(
                        new NodeEdit.IntsAttribute(node.index(), "dilations", changed),
                        new NodeEdit.IntsAttribute(node.index(), "pads", changedPads))));
                if (o.reproduced()) {
                    return Optional.of(found(DiagnosisKind.STRIDE, String.format(Locale.ROOT,
                            "%s dilated %s (pads %s) where ONNX has dilations %s (pads %s)", named(node), changed,
                            changedPads, dilations, pads.get()), o.error()));
                }
            }
        }
        return Optional.empty();
    }

    /** Each Softmax-like operator's axis set to each other axis of its input. */
    private Optional<Diagnosis> axis(List<GraphNode> chain) throws ModelFailureException {
        for (GraphNode node : chain) {
            Tensor value = onnxValue(node.outputs().get(0));
            if (!AXIS_OPS.contains(node.opType()) || value == null) {
                continue;
            }
            int rank = value.shape().rank();
            Optional<Double> set = runner.attribute(node.index(), "axis");
            int current = set.map(a -> (int) Math.floorMod(a.longValue(), (long) rank)).orElse(-1);
            for (int axis = 0; axis < rank; axis++) {
                if (axis == current || value.shape().dim(axis) == 1) {
                    continue;
                }
                String words = named(node) + " along axis " + axis;
                Outcome o = test(new Hypothesis(words, Map.of(), List.of(new NodeEdit.IntAttribute(node.index(), "axis",
                        axis))));
                if (o.reproduced()) {
                    return Optional.of(found(DiagnosisKind.AXIS, String.format(Locale.ROOT, "%s along axis %d where ONNX"
                            + " has %s", named(node), axis, current < 0 ? "its default axis" : "axis " + current),
                            o.error()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The epsilon that folds the ONNX BatchNormalization into the TFLite kernel's per-channel factors (their median
     * over channels), tested alone with the ONNX weights: every channel scaled as one other epsilon explains is that
     * epsilon, not a scaling.
     */
    private Optional<Diagnosis> epsilonFromWeights(GraphNode norm, BatchNormFold fold, float[] unfolded,
            float[] folded) throws ModelFailureException {
        java.util.OptionalDouble implied = fold.impliedEpsilon(unfolded, folded);
        if (implied.isEmpty()) {
            return Optional.empty();
        }
        float eps = (float) implied.getAsDouble();
        double current = runner.attribute(norm.index(), "epsilon").orElse(1e-5);
        String words = named(norm) + " with epsilon " + ShortNumber.format(eps)
                + " (what the TFLite kernel's channel factors imply)";
        Outcome o = test(new Hypothesis(words, Map.of(), List.of(new NodeEdit.FloatAttribute(norm.index(), "epsilon", eps))));
        return o.reproduced() ? Optional.of(found(DiagnosisKind.EPSILON, String.format(Locale.ROOT,
                "BatchNormalization folded with epsilon %s where ONNX has %s", ShortNumber.format(eps),
                ShortNumber.format(current)), o.error())) : Optional.empty();
    }

    /** The TFLite ADD's constant in place of the ONNX Add's. */
    private Optional<Diagnosis> addedConstant(GraphNode add, GraphNode converted) throws ModelFailureException {
        String onnxName = null;
        Tensor onnxC = null;
        for (String in : add.inputs()) {
            Optional<Tensor> w = runner.weight(in);
            if (w.isPresent()) {
                onnxName = in;
                onnxC = w.get();
            }
        }
        // The constant input: stored in the file, or a DEQUANTIZE of one (not the activation the ADD adds it to).
        List<String> constantInputs = converted.inputs().stream().filter(i -> tflite.graph().constants().contains(i)
                || (producer(i) != null && producer(i).opType().equals("DEQUANTIZE"))).toList();
        Map<String, Tensor> tfl = tfliteValues(constantInputs);
        Tensor tC = constantInputs.stream().map(tfl::get).filter(t -> t != null).findFirst().map(Tensor::asReal)
                .orElse(null);
        String what = "TFLite ADD constant in ONNX " + named(add);
        if (onnxC == null || tC == null) {
            tested.add(what + ": " + (onnxC == null ? "the ONNX Add adds no stored constant" : "the TFLite ADD adds no stored constant"));
            return Optional.empty();
        }
        // A vector along one axis maps by its order alone, whatever axis each layout puts it on.
        if (tC.size() != onnxC.size() || nonUnitAxes(tC.shape()) > 1 || nonUnitAxes(onnxC.shape()) > 1) {
            tested.add(what + ": TFLite " + tC.shape() + " does not map onto ONNX " + onnxC.shape());
            return Optional.empty();
        }
        Tensor mapped = Tensor.wrap(onnxC.dtype(), onnxC.shape(), tC.data().clone());
        Outcome o = test(new Hypothesis(what, Map.of(onnxName, mapped), List.of()));
        if (!o.reproduced()) {
            return Optional.empty();
        }
        WeightDifference.Found f = WeightDifference.ofOffset(onnxC.data(), mapped.data());
        return Optional.of(found(f.kind(), f.detail(), o.error()));
    }

    /**
     * The TFLite values of {@code names} as the file stores them: a constant, or the constant a DEQUANTIZE reads
     * (float16 weights), whose output XNNPACK may never write; else the captured value. A quantized one comes as its
     * real values with its quantization kept.
     */
    private Map<String, Tensor> tfliteValues(List<String> names) throws ModelFailureException {
        Map<String, String> storedAs = new HashMap<>();
        for (String name : names) {
            GraphNode p = producer(name);
            storedAs.put(name, p != null && p.opType().equals("DEQUANTIZE") && !p.inputs().isEmpty()
                    ? p.inputs().get(0) : name);
        }
        Map<String, Tensor> stored = constants.read(Set.copyOf(storedAs.values()));
        Map<String, Tensor> out = new HashMap<>();
        for (String name : names) {
            Tensor t = stored.containsKey(storedAs.get(name)) ? stored.get(storedAs.get(name))
                    : tflite.captured().get(name);
            if (t != null) {
                out.put(name, t);
            }
        }
        return out;
    }

    /** Runs one hypothesis and records it in {@link #tested}; a run ONNX Runtime refuses is named and skipped. */
    private Outcome test(Hypothesis h) {
        Map<String, Tensor> feeds = new LinkedHashMap<>(fed);
        feeds.putAll(h.feeds());
        Tensor alone;
        try {
            alone = runner.run(plan.nodes(), feeds, pair.onnx(), onnxValue(pair.onnx()).dtype(), h.edits());
            if (h.bias() != null) {
                alone = ChannelBias.add(alone, h.bias().values(), h.bias().axis());
            }
        } catch (ModelFailureException | RuntimeException e) {
            tested.add(h.words() + ": skipped, ONNX Runtime cannot run it (" + e.getMessage() + ")");
            return new Outcome(false, null);
        }
        Tensor candidate = LayerIsolation.valueOf(tflite, pair.tflite());
        if (!alone.shape().equals(onnxValue(pair.onnx()).shape())) {
            tested.add(h.words() + ": skipped, it computes shape " + alone.shape());
            return new Outcome(false, null);
        }
        return record(h.words(), PairJudge.compare(alone, candidate, layout, rule));
    }

    /** Records in {@link #tested} whether {@code words} reproduced the TFLite values, as {@code c} says. */
    private Outcome record(String words, Comparison c) {
        double error = c.metrics().normalizedMaxError();
        boolean reproduced = c.verdict() == Verdict.PASS;
        tested.add(words + ": " + (reproduced ? "reproduces" : "does not reproduce") + " the TFLite values ("
                + ShortNumber.format(error) + " of scale)");
        if (!reproduced) {
            misses.add(new Diagnosis.Attempt(words, error));
        }
        return new Outcome(reproduced, error);
    }

    private GraphNode producer(String tfliteTensor) {
        return tflite.graph().nodes().stream().filter(n -> n.outputs().contains(tfliteTensor)).findFirst().orElse(null);
    }

    /** An operator in words: its type, and its name where it has one. */
    private static String named(GraphNode n) {
        return n.name().isEmpty() ? n.opType() : n.opType() + " " + ShortName.quoted(n.name());
    }

    private Tensor onnxValue(String name) {
        return LayerIsolation.valueOf(onnx, name);
    }

    private Diagnosis found(DiagnosisKind kind, String detail, Double error) {
        return new Diagnosis(kind, detail, error, tested, nearMisses());
    }

    private Diagnosis unknown(String why) {
        return new Diagnosis(DiagnosisKind.UNKNOWN, why, null, tested, nearMisses());
    }

    private List<Diagnosis.Attempt> nearMisses() {
        return misses.stream().sorted(Comparator.comparingDouble(Diagnosis.Attempt::error)).limit(ALTERNATIVES).toList();
    }

    /** {@code t} reshaped to {@code shape} when only unit axes differ (a 1-D convolution held as 2-D); else null. */
    private static Tensor fit(Tensor t, Shape shape) {
        if (t.shape().equals(shape)) {
            return t;
        }
        if (t.size() != shape.elementCount() || !nonUnitDims(t.shape()).equals(nonUnitDims(shape))) {
            return null;
        }
        return t.reshape(shape);
    }

    private static List<Integer> nonUnitDims(Shape s) {
        List<Integer> out = new ArrayList<>();
        for (int d : s.dims()) {
            if (d != 1) {
                out.add(d);
            }
        }
        return out;
    }

    private static int nonUnitAxes(Shape s) {
        return nonUnitDims(s).size();
    }

    /**
     * How an ONNX operator's weights are read with the output channels first: Conv holds [out, in, spatial...] and
     * Gemm with transB [out, in] already; MatMul and Gemm without it hold [in, out]; ConvTranspose [in, out, spatial...].
     */
    private Permutation outMajor(GraphNode main, int rank) throws ModelFailureException {
        boolean inOut = main.opType().equals("MatMul") || main.opType().equals("ConvTranspose")
                || (main.opType().equals("Gemm") && runner.attribute(main.index(), "transB").orElse(0.0) == 0);
        if (!inOut || rank < 2) {
            return Permutation.identity(rank);
        }
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        axes[0] = 1;
        axes[1] = 0;
        return Permutation.of(axes);
    }

    /**
     * A TFLite weight in the ONNX layout: CONV_2D's [out, h, w, in] as Conv's [out, in, h, w]; DEPTHWISE_CONV_2D's [1,
     * h, w, out] as [out, 1, h, w]; TRANSPOSE_CONV's [out, h, w, in] as ConvTranspose's [in, out, h, w];
     * FULLY_CONNECTED's [out, in] as the ONNX matrix is held ({@code outMajor}). Null when the rank does not fit.
     */
    private static Tensor toOnnx(String op, Tensor w, Permutation outMajor) {
        int rank = w.shape().rank();
        return switch (op) {
            case "CONV_2D" -> rank == 4 ? TensorPermuter.permute(w, Permutation.of(0, 3, 1, 2)) : null;
            case "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV" -> rank == 4 ? TensorPermuter.permute(w, Permutation.of(3, 0, 1, 2))
                    : null;
            default -> rank != 2 ? null : outMajor.isIdentity() ? w : TensorPermuter.permute(w, Permutation.of(1, 0));
        };
    }

    /** The values of an ONNX-layout weight with the output channels first. */
    private static float[] inOrder(Tensor w, Permutation outMajor) {
        return TensorPermuter.permute(w, outMajor).data();
    }

    private static Tensor filled(Tensor like, float value) {
        float[] v = new float[like.size()];
        java.util.Arrays.fill(v, value);
        return Tensor.wrap(like.dtype(), like.shape(), v);
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
