package org.tensorparity.align;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Operator families that mean the same computation in ONNX and in TFLite ({@code Conv} and
 * {@code CONV_2D}), and the operators a converter treats specially.
 */
public final class OpFamily {
    private static final Map<String, String> FAMILY = Map.ofEntries(
            Map.entry("conv", "conv"), Map.entry("conv_2d", "conv"), Map.entry("depthwise_conv_2d", "conv"),
            Map.entry("conv_3d", "conv"),
            Map.entry("convtranspose", "deconv"), Map.entry("transpose_conv", "deconv"),
            Map.entry("maxpool", "maxpool"), Map.entry("max_pool_2d", "maxpool"),
            Map.entry("averagepool", "avgpool"), Map.entry("average_pool_2d", "avgpool"),
            Map.entry("globalaveragepool", "avgpool"), Map.entry("mean", "avgpool"),
            Map.entry("gemm", "matmul"), Map.entry("matmul", "matmul"), Map.entry("fully_connected", "matmul"),
            Map.entry("batch_matmul", "matmul"),
            Map.entry("relu", "act"), Map.entry("relu6", "act"), Map.entry("clip", "act"),
            Map.entry("leakyrelu", "act"), Map.entry("leaky_relu", "act"), Map.entry("prelu", "act"),
            Map.entry("sigmoid", "sigmoid"), Map.entry("logistic", "sigmoid"),
            Map.entry("tanh", "tanh"), Map.entry("hardswish", "hardswish"), Map.entry("hard_swish", "hardswish"),
            Map.entry("add", "add"), Map.entry("sub", "sub"), Map.entry("mul", "mul"), Map.entry("div", "div"),
            Map.entry("concat", "concat"), Map.entry("concatenation", "concat"),
            Map.entry("softmax", "softmax"),
            Map.entry("pad", "pad"), Map.entry("padv2", "pad"), Map.entry("mirror_pad", "pad"),
            Map.entry("resize", "resize"), Map.entry("upsample", "resize"),
            Map.entry("resize_bilinear", "resize"), Map.entry("resize_nearest_neighbor", "resize"),
            Map.entry("reshape", "layout"), Map.entry("flatten", "layout"), Map.entry("squeeze", "layout"),
            Map.entry("unsqueeze", "layout"), Map.entry("expand_dims", "layout"), Map.entry("transpose", "layout"),
            Map.entry("identity", "layout"));

    /** ONNX operators a converter folds into the operator that produces their input. */
    private static final Set<String> FOLDS_INTO_PRODUCER = Set.of(
            "BatchNormalization", "Relu", "Clip", "LeakyRelu", "Add", "Mul", "Sub", "Div");

    /** Operators that only move values around. */
    private static final Set<String> LAYOUT_ONLY = Set.of("layout");

    /** Families of {@link #weighted} operators. */
    private static final Set<String> WEIGHTED = Set.of("conv", "deconv", "matmul");

    /** TFLite operators a converter adds that have no ONNX node behind them. */
    private static final Set<String> CONVERTER_ADDED = Set.of("TRANSPOSE", "DEQUANTIZE", "QUANTIZE", "CAST", "PAD",
            "PADV2");

    private OpFamily() {
    }

    static String of(String opType) {
        String key = opType.toLowerCase(Locale.ROOT);
        return FAMILY.getOrDefault(key, key);
    }

    public static boolean compatible(String onnxOp, String tfliteOp) {
        return of(onnxOp).equals(of(tfliteOp));
    }

    public static boolean foldsIntoProducer(String onnxOp) {
        return FOLDS_INTO_PRODUCER.contains(onnxOp);
    }

    public static boolean layoutOnly(String opType) {
        return LAYOUT_ONLY.contains(of(opType));
    }

    /** Operators that apply learned weights to many inputs at once: convolutions and matrix products. */
    static boolean weighted(String opType) {
        return WEIGHTED.contains(of(opType));
    }

    static boolean converterAdded(String tfliteOp) {
        return CONVERTER_ADDED.contains(tfliteOp);
    }
}
