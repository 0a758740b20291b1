package org.tensorparity.compare;

import java.util.Locale;

/**
 * What a converter did to a layer, as a diagnosis names it: the weight kinds tell how the converted model's
 * weights differ from the reference's, the others a change of behaviour with the same weights. Shared by the weight
 * comparison that tells the weight kinds apart and the result model that reports them, as {@link Verdict} is.
 */
public enum DiagnosisKind {
    /** One, several or all output channels' weights scaled. */
    SCALE,
    /** Output channels or units permuted. */
    PERMUTATION,
    /** A bias, BatchNorm shift or LayerNorm beta dropped or changed. */
    OFFSET,
    /** A kernel flipped spatially. */
    KERNEL_FLIP,
    /** A weight matrix transposed. */
    TRANSPOSE,
    /** Weights rounded to a float16, bfloat16 or int8 grid. */
    PRECISION,
    /** The weights differ, in none of the ways above. */
    WEIGHTS_OTHER,
    /** Pads, SAME vs VALID. */
    PADDING,
    /** Stride or dilation. */
    STRIDE,
    /** A normalization's epsilon. */
    EPSILON,
    /** Another activation or other clamp bounds. */
    ACTIVATION,
    /** Another softmax, concat or reduce axis. */
    AXIS,
    /** Another resize coordinate transformation or rounding mode. */
    RESIZE,
    /** Data reinterpreted between NCHW and NHWC by a reshape or flatten. */
    LAYOUT,
    /** A quantization scale or zero point off. */
    QUANTIZATION,
    /** Nothing tested reproduces the converted values. */
    UNKNOWN;

    /** The id in reports: the name in lower case ({@code kernel_flip}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
