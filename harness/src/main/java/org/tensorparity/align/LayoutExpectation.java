package org.tensorparity.align;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.TensorLayout;

/**
 * Which layout a pair should have when its shapes allow several (a square map fits both NHWC and its
 * H/W transpose). The values cannot decide this: a converter that swapped H and W produces values that
 * agree perfectly under the wrong layout. The graphs decide, strongest evidence first:
 * <ol>
 *   <li>a model output keeps the layout binding gave it: that is what the app reads;
 *   <li>a tensor that spatial operators read or write on both sides (ONNX {@code Conv} in NCHW, TFLite
 *       {@code CONV_2D} in NHWC) must be NCHW moved to NHWC;
 *   <li>a TFLite TRANSPOSE carries its input's layout composed with its own permutation, and an
 *       elementwise operator (or a convolution) passes its input's layout on when the ONNX side does too;
 *   <li>otherwise the preferred fitting layout: unchanged, then channels last.
 * </ol>
 * Pairs whose shapes allow one layout only need none of this.
 */
final class LayoutExpectation {
    private static final Set<String> TFLITE_SPATIAL = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV",
            "CONV_3D", "CONV_3D_TRANSPOSE", "MAX_POOL_2D", "AVERAGE_POOL_2D", "L2_POOL_2D", "RESIZE_BILINEAR",
            "RESIZE_NEAREST_NEIGHBOR", "SPACE_TO_DEPTH", "DEPTH_TO_SPACE");
    private static final Set<String> ONNX_SPATIAL = Set.of("Conv", "ConvTranspose", "MaxPool", "AveragePool", "LpPool",
            "GlobalAveragePool", "GlobalMaxPool", "Resize", "Upsample", "DepthToSpace", "SpaceToDepth",
            "BatchNormalization", "InstanceNormalization");
    /**
     * Operators whose output keeps its data input's axis order (elementwise, activations, convolutions, and what cuts
     * or joins tensors along an axis without moving the others: a channel padding written as a Concat with zeros).
     */
    private static final Set<String> TFLITE_KEEPS_AXES = Set.of("ADD", "SUB", "MUL", "DIV", "MAXIMUM", "MINIMUM",
            "RELU", "RELU6", "RELU_N1_TO_1", "RELU_0_TO_1", "LEAKY_RELU", "PRELU", "LOGISTIC", "TANH", "HARD_SWISH",
            "ELU", "GELU", "EXP", "LOG", "SQRT", "RSQRT", "SQUARE", "ABS", "NEG", "POW", "SQUARED_DIFFERENCE",
            "QUANTIZE", "DEQUANTIZE", "CAST", "PAD", "PADV2", "MIRROR_PAD", "CONV_2D", "DEPTHWISE_CONV_2D",
            "TRANSPOSE_CONV", "MAX_POOL_2D", "AVERAGE_POOL_2D", "RESIZE_BILINEAR", "RESIZE_NEAREST_NEIGHBOR",
            "CONCATENATION", "SPLIT", "SPLIT_V", "SLICE");
    private static final Set<String> ONNX_KEEPS_AXES = Set.of("Add", "Sub", "Mul", "Div", "Max", "Min", "Relu", "Clip",
            "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "HardSwish", "HardSigmoid", "Elu", "Gelu", "Exp", "Log", "Sqrt",
            "Pow", "Abs", "Neg", "Softplus", "Erf", "Identity", "Cast", "Pad", "Conv", "ConvTranspose", "MaxPool",
            "AveragePool", "BatchNormalization", "InstanceNormalization", "Resize", "Upsample", "Dropout", "Concat",
            "Split", "Slice");
    /** How far back through axis-keeping ONNX operators an input's partner is looked for. */
    private static final int MAX_ONNX_HOPS = 8;

    private final GraphLayers onnx;
    private final GraphLayers tflite;
    private final Map<String, BoundTensor> outputsByTflite = new HashMap<>();
    /** TFLite tensor to the pair decided so far: its ONNX partner and layout. */
    private final Map<String, Decided> decided = new HashMap<>();

    private record Decided(String onnx, TensorLayout layout) {
    }

    /** The layout decided for a pair, and the evidence for it in words. */
    record Expected(TensorLayout layout, String evidence) {
    }

    LayoutExpectation(GraphLayers onnx, GraphLayers tflite, List<BoundTensor> inputs, List<BoundTensor> outputs) {
        this.onnx = onnx;
        this.tflite = tflite;
        for (BoundTensor b : inputs) {
            if (b.layout() != null) {
                decided.put(b.tflite(), new Decided(b.onnx(), b.layout()));
            }
        }
        outputs.forEach(b -> outputsByTflite.put(b.tflite(), b));
    }

    /**
     * Decides the layout of the pair ({@code onnxName}, {@code tfliteName}) among {@code fitting} (preferred
     * first, never empty) and remembers it for the pairs computed from it. Pairs must be decided in TFLite
     * execution order.
     */
    Expected decide(String onnxName, String tfliteName, List<TensorLayout> fitting) {
        Expected e = fitting.size() == 1 ? new Expected(fitting.get(0), null) : choose(onnxName, tfliteName, fitting);
        decided.put(tfliteName, new Decided(onnxName, e.layout()));
        return e;
    }

    private Expected choose(String onnxName, String tfliteName, List<TensorLayout> fitting) {
        BoundTensor output = outputsByTflite.get(tfliteName);
        if (output != null && output.onnx().equals(onnxName) && output.layout() != null) {
            Optional<TensorLayout> l = find(fitting, output.layout().permutation());
            if (l.isPresent()) {
                return new Expected(l.get(), "layout " + l.get() + ": the model output's layout");
            }
        }
        int rank = fitting.get(0).permutation().rank();
        if (rank >= 3 && touches(tflite, tfliteName, TFLITE_SPATIAL) && touches(onnx, onnxName, ONNX_SPATIAL)) {
            Optional<TensorLayout> l = find(fitting, TensorLayout.channelsLast(rank));
            if (l.isPresent()) {
                return new Expected(l.get(), "layout " + l.get() + ": spatial operators read it as NCHW in ONNX and"
                        + " NHWC in TFLite");
            }
        }
        Optional<Expected> propagated = propagated(onnxName, tfliteName, fitting);
        return propagated.orElseGet(() -> new Expected(fitting.get(0), null));
    }

    private Optional<Expected> propagated(String onnxName, String tfliteName, List<TensorLayout> fitting) {
        // Every data input may carry it: an ADD's inputs come in either order on the two sides.
        for (String source : tflite.dataInputs(tfliteName)) {
            Optional<Expected> e = propagatedFrom(source, onnxName, tfliteName, fitting);
            if (e.isPresent()) {
                return e;
            }
        }
        return Optional.empty();
    }

    private Optional<Expected> propagatedFrom(String source, String onnxName, String tfliteName, List<TensorLayout> fitting) {
        Decided from = decided.get(source);
        if (from == null || from.layout().kind() != TensorLayout.Kind.PERMUTED) {
            return Optional.empty();
        }
        String op = tflite.producerOp(tfliteName);
        if (op.equals("TRANSPOSE") && from.onnx().equals(onnxName)) {
            Optional<Permutation> perm = tflite.transposePermutation(tfliteName);
            if (perm.isPresent() && perm.get().rank() == from.layout().permutation().rank()) {
                Permutation composed = compose(from.layout().permutation(), perm.get());
                return find(fitting, composed).map(l -> new Expected(l, "layout " + l + ": TRANSPOSE " + perm.get()
                        + " of '" + source + "', held in " + from.layout()));
            }
            return Optional.empty();
        }
        if (TFLITE_KEEPS_AXES.contains(op) && reachesThroughAxisKeepingOps(onnxName, from.onnx())) {
            return find(fitting, from.layout().permutation()).map(l -> new Expected(l, "layout " + l + ": "
                    + op + " keeps the layout of '" + source + "'"));
        }
        return Optional.empty();
    }

    /** True when {@code onnxName} is {@code ancestor} or computed from it, through any data input, by axis-keeping ONNX operators. */
    private boolean reachesThroughAxisKeepingOps(String onnxName, String ancestor) {
        List<String> frontier = List.of(onnxName);
        for (int hop = 0; hop <= MAX_ONNX_HOPS && !frontier.isEmpty(); hop++) {
            List<String> next = new java.util.ArrayList<>();
            for (String current : frontier) {
                if (current.equals(ancestor)) {
                    return true;
                }
                String op = onnx.producerOp(current);
                if (op != null && ONNX_KEEPS_AXES.contains(op)) {
                    next.addAll(onnx.dataInputs(current));
                }
            }
            frontier = next;
        }
        return false;
    }

    /** A tensor is touched by a spatial operator when one produces it or reads it. */
    private static boolean touches(GraphLayers graph, String tensor, Set<String> ops) {
        String producer = graph.producerOp(tensor);
        if (producer != null && ops.contains(producer)) {
            return true;
        }
        for (GraphNode consumer : graph.consumers(tensor)) {
            if (ops.contains(consumer.opType())) {
                return true;
            }
        }
        return false;
    }

    /** {@code first} then {@code second}: axis i of the result is axis {@code first[second[i]]} of the source. */
    private static Permutation compose(Permutation first, Permutation second) {
        int[] axes = new int[second.rank()];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = first.axis(second.axis(i));
        }
        return Permutation.of(axes);
    }

    private static Optional<TensorLayout> find(List<TensorLayout> fitting, Permutation p) {
        return fitting.stream().filter(l -> l.permutation().equals(p)).findFirst();
    }
}
