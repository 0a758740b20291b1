package org.tensorparity.align;

/** Why a tensor has no counterpart in the other model. */
public enum UnmatchedReason {
    /** Folded into a neighbouring operator (BatchNorm or an activation fused into a conv or pool). */
    FUSED_INTO_NEIGHBOUR,
    /** A pure layout operator (transpose, reshape, squeeze...) whose values another tensor already carries. */
    LAYOUT_ONLY,
    /** Holds the same values as another tensor of its model that is paired, so comparing it adds nothing. */
    DUPLICATE_VALUES,
    /** Computed only from constants; the converter folded it. */
    CONSTANT_FOLDED,
    /**
     * Made by the converter: a transpose at a boundary, a dequantize, or an intermediate of an operator
     * the converter expanded (the gates of an unrolled LSTM, an RSQRT that replaces SQRT and DIV); no
     * tensor of the other model holds its values.
     */
    CONVERTER_INSERTED,
    /** Nothing in the other graph corresponds to it. */
    NO_COUNTERPART
}
