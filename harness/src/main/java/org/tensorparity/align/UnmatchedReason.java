package org.tensorparity.align;

/** Why a tensor has no counterpart in the other model. */
public enum UnmatchedReason {
    /** Folded into a neighbouring operator (BatchNorm or an activation fused into a conv or pool). */
    FUSED_INTO_NEIGHBOUR,
    /** A pure layout operator (transpose, reshape, squeeze...) whose values another tensor already carries. */
    LAYOUT_ONLY,
    /** Computed only from constants; the converter folded it. */
    CONSTANT_FOLDED,
    /** Added by the converter (transpose at a boundary, dequantize, pad). */
    CONVERTER_INSERTED,
    /** Nothing in the other graph corresponds to it. */
    NO_COUNTERPART
}
