package org.tensorparity.compare;

import java.util.Locale;

/**
 * Named tolerance presets: one {@link ScaleRule} for the model outputs, which decide the verdict, and a
 * looser one for intermediate layers, whose float error grows with depth.
 *
 * <ul>
 *   <li>{@link #DEFAULT}, for float32 conversions: outputs {@code max |a-b| <= 1e-3 x max|ref|}, layers
 *       {@code 5e-3 x max|ref|}. Calibrated on the correct float32 and same-weight pairs of the real
 *       corpus ({@code ../shared/real-pairs}, XNNPACK and builtin kernels, several seeds): outputs reach
 *       6e-5 (1.2e-4 on UltraFace's softmax with other inputs), intermediates 4.7e-4 (UltraFace, BatchNorm
 *       folded on one side only, deep in the network); the onnx2tf, onnx-tf, tf2onnx and keras2onnx pairs
 *       stay below 3e-6. Both bounds keep a margin of about 10x over those, while real conversion bugs and
 *       the corpus mutants move outputs by 4e-3 and more (see the README's margin table).
 *   <li>{@link #FP16}, for conversions that store weights in float16: outputs {@code 1e-2}, layers
 *       {@code 2e-2}. float16's unit roundoff is 4.9e-4, so each layer moves by a few 1e-4 of its scale
 *       and a deep net accumulates about 1e-3 (2.3e-3 on the DaSiamRPN float16 fixture). This profile still
 *       catches layout bugs and gross numeric errors, but not a 1% error in one channel.
 * </ul>
 */
public enum ToleranceProfile {
    DEFAULT("default", 1e-3, 5e-3),
    FP16("fp16", 1e-2, 2e-2);

    private final String id;
    private final ScaleRule rule;
    private final ScaleRule layerRule;

    ToleranceProfile(String id, double outputs, double layers) {
        this.id = id;
        this.rule = ScaleRule.of(outputs);
        this.layerRule = ScaleRule.of(layers);
    }

    /** The profile's name in flags and JSON: {@code "default"} or {@code "fp16"}. */
    public String id() {
        return id;
    }

    /** The rule for model outputs. */
    public ScaleRule rule() {
        return rule;
    }

    /** The rule for intermediate layers. */
    public ScaleRule layerRule() {
        return layerRule;
    }

    /** Both rules. */
    public Tolerances tolerances() {
        return new Tolerances(rule, layerRule);
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
