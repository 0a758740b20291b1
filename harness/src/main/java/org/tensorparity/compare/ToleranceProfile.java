package org.tensorparity.compare;

import java.util.Locale;

/**
 * Named {@link ScaleRule} presets.
 *
 * <ul>
 *   <li>{@link #DEFAULT}: {@code max |a-b| <= 1e-4 x max|ref|} (floor 1e-30), for float32 conversions.
 *       float32's unit roundoff is 6e-8. A correct conversion reorders sums (a 3x3x256 convolution adds
 *       2304 products), folds batch-norm into the weights and runs other kernels; each of these moves a
 *       layer's values by a small multiple of the roundoff relative to the layer's scale, and the drift
 *       grows slowly with depth. Measured on a synthetic 8-layer network of 192-channel convolutions with
 *       batch-norm and ReLU ({@code DefaultToleranceTest}), at input scales 1e-9, 1 and 1e3 alike:
 *       reordered float32 sums plus folded batch-norm reach 1.1e-6 of the scale. The largest legitimate
 *       drift we know of is ONNX Runtime against itself, 2e-5 between its optimization levels on one conv
 *       net. 1e-4 keeps a margin of 5x over that and about 100x over pure reordering noise, while real
 *       bugs move values by 1e-3 of the scale or (wrong batch-norm epsilon, scrambled layout) much more:
 *       one channel's weights 1% off give 1.4e-3 at its layer and 5e-4 to 7e-4 downstream in the network
 *       above.
 *   <li>{@link #FP16}: {@code max |a-b| <= 1e-2 x max|ref|}, for conversions that store weights in float16.
 *       float16's unit roundoff is 4.9e-4, so each layer's output moves by a few 1e-4 of its scale and a
 *       deep net accumulates about 1e-3 (8e-4 at depth 8 in the network above). This profile still catches
 *       layout bugs and gross numeric errors, but not a 1% error in one channel: use it only for
 *       float16-weight models.
 * </ul>
 */
public enum ToleranceProfile {
    DEFAULT("default", 1e-4),
    FP16("fp16", 1e-2);

    private final String id;
    private final ScaleRule rule;

    ToleranceProfile(String id, double tolerance) {
        this.id = id;
        this.rule = ScaleRule.of(tolerance);
    }

    /** The profile's name in flags and JSON: {@code "default"} or {@code "fp16"}. */
    public String id() {
        return id;
    }

    /** The rule this profile stands for. */
    public ScaleRule rule() {
        return rule;
    }

    /**
     * The profile named {@code id} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the unknown id and the known ones
     */
    public static ToleranceProfile fromId(String id) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        for (ToleranceProfile p : values()) {
            if (p.id.equals(wanted)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown tolerance profile '" + id + "'; expected default or fp16");
    }
}
