package org.tensorparity.align;

/**
 * What alignment's evidence weighs, in one place: the score that picks a structural partner ({@link PairScorer}),
 * the tie-break among equally close value agreements, and the confidence each reported pair carries, from which
 * {@code RunVerdict.CONFIDENT} is derived.
 *
 * <p>None of these was measured or fitted. The structural score was chosen by hand for the first aligner, a
 * dynamic programme over both execution orders (commit d898172), and kept when structure became the fallback
 * for tensors whose values agree with nothing (cb2a709); the tie-breaks and the confidences were chosen with that
 * value-first alignment. Each comment says what its weight is set against and why it is larger or smaller. What pins
 * them is the ground truth: the fixtures' broken conversions (GroundTruthTest), the real corpus (RealPairsTest) and
 * its mutants (RealMutantsTest) are aligned and localized as they must be with exactly these values.
 */
public final class AlignmentWeights {
    private AlignmentWeights() {
    }

    /**
     * Score: the same non-unit dimensions in some order, so that the values could be the same ones rearranged. The
     * largest single part: a converter may rename a layer or change its operator, rarely its shape.
     */
    static final double SHAPE = 1.0;
    /**
     * Score: the same rank and channel count with other spatial sizes, instead of {@link #SHAPE}. Admissible at all
     * so that a converter that broke a shape still pairs its layer, and the break is reported as a shape mismatch,
     * not as a missing layer; about a third of a fitting shape, so a fitting shape wins when the rest is equal.
     */
    static final double BROKEN_SHAPE = 0.35;
    /**
     * Score and tie-break: the operator family of the ONNX fusion chain's head ({@code Conv} for Conv->BN->Relu)
     * equals the TFLite operator's. Half a shared name: many layers share an operator family.
     */
    static final double OPERATOR = 0.3;
    /**
     * Score and tie-break: a normalized name or fused-name part in common, which singles out one layer where an
     * operator family does not; less than a fitting shape, as converters rename freely.
     */
    static final double NAME = 0.6;
    /**
     * Score: the closeness of the layout-invariant value statistics, at most this much (identical statistics).
     * It separates the tensors of a fusion chain, which share shape, operator and name (a conv output from its BN
     * and ReLU outputs); as much as a fitting shape, so that statistics can overrule names.
     */
    static final double STATISTICS = 1.0;
    /**
     * Score: the share of {@link #STATISTICS} a broken shape gets. Values of another shape are not the same values
     * rearranged, so their statistics say less.
     */
    static final double BROKEN_SHAPE_STATISTICS = 0.5;
    /**
     * Score: how fast statistics closeness falls, {@code 1 / (1 + STATISTICS_FALLOFF * d)} for a distance {@code d}
     * of mean, spread and range relative to the ONNX tensor's magnitude: halved at a third of a percent, so that
     * only close statistics score much.
     */
    static final double STATISTICS_FALLOFF = 300.0;
    /**
     * Structural ranking: added to the score of a candidate whose input is the partner of one of the ONNX tensor's
     * nearest paired ancestors, not a tensor computed from it: the direct reader is most likely the same step. Half
     * a fitting shape, so that shape and statistics can still overrule it.
     */
    static final double DIRECT_INPUT = 0.5;
    /**
     * Structural ranking: subtracted per position of distance in execution order, so that of two candidates that
     * score the same the nearer wins. Small enough that a thousand positions cost a thousandth.
     */
    static final double ORDER_DISTANCE = 1e-6;

    /**
     * Tie-break: inputs whose values agree with each other, or are the same bound model input. The strongest cue,
     * above operator and name together: a converter renames and rewrites operators but keeps what a value is
     * computed from.
     */
    static final double INPUTS_AGREE = 1.0;
    /**
     * Tie-break, subtracted: an ONNX tensor inside a fusion chain (a conv output before its BatchNormalization),
     * which a converter normally fuses away, so that the chain's end, which it computes, wins among equally close
     * values. As much as a shared name, the penalty the first aligner gave fusion interiors.
     */
    static final double FUSION_INTERIOR = 0.6;
    /**
     * Tie-break, subtracted: one side only rearranges values (Reshape, Squeeze, Transpose) and the other computes;
     * a copy of a value pairs with a copy first. Less than an operator family in common.
     */
    static final double LAYOUT_ONLY_MISMATCH = 0.2;
    /** Tie-break: the values agree with their elements in place, not permuted. The least of the cues. */
    static final double IDENTITY_LAYOUT = 0.05;
    /**
     * Tie-break, subtracted: per unit of distance between the two tensors' relative positions in their graphs
     * (0 at the same fraction of the execution order, 1 at opposite ends). At most a tenth, below every graph cue
     * but the identity layout.
     */
    static final double ORDER_GAP = 0.1;

    /**
     * Confidence of a pair found by its values at the agreement bound ({@link ValueAgreements#AGREEMENT}). Values
     * that agree are the best evidence alignment has; at the bound they might still be a neighbouring tensor's.
     */
    static final double VALUES_CONFIDENCE = 0.7;
    /**
     * Confidence added to {@link #VALUES_CONFIDENCE} in proportion to how far below the bound the difference is: a
     * pair of identical values is certain (1.0).
     */
    static final double CLOSE_VALUES_CONFIDENCE = 0.3;
    /**
     * Confidence taken from a pair found by values when another free TFLite tensor agrees as closely, so that the
     * structure decided. A pair found by values stays at 0.6 or more.
     */
    static final double RIVALS_DOUBT = 0.1;
    /**
     * Confidence of a pair found by structure alone: no values agree, and it rests on being computed from the
     * partner of a paired ancestor. The cues below add to it, up to 0.75 with all four, about a pair found by values
     * at its bound.
     */
    public static final double STRUCTURE_CONFIDENCE = 0.2;
    /** Confidence a structural pair gains when its shape fits (see {@link #SHAPE}), not only its channel count. */
    public static final double SHAPE_CONFIDENCE = 0.1;
    /**
     * Confidence a structural pair gains when the TFLite tensor reads the partner of one of the ONNX tensor's nearest
     * paired ancestors directly (see {@link #DIRECT_INPUT}). The strongest structural cue, more than two of the
     * others: it leaves the least room for another candidate.
     */
    public static final double DIRECT_CONFIDENCE = 0.25;
    /** Confidence a structural pair gains from an operator family in common (see {@link #OPERATOR}). */
    public static final double OPERATOR_CONFIDENCE = 0.1;
    /** Confidence a structural pair gains from a name part in common (see {@link #NAME}). */
    public static final double NAME_CONFIDENCE = 0.1;
    /**
     * Confidence of a pair alignment did not infer: one the user named in a mapping file, a TFLite transpose of a
     * bound model input, or a bound model output values and structure left unpaired.
     */
    static final double GIVEN_CONFIDENCE = 1.0;
}
