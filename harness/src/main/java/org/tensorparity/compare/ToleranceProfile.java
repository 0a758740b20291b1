package org.tensorparity.compare;

import java.util.Locale;
import org.tensorparity.model.Precision;

/**
 * Named tolerance presets, one per kind of conversion: a rule for the model outputs, which decide the
 * verdict, a looser one for intermediate layers, whose error grows with depth, and one for the error a layer's
 * operators add by themselves, run alone on the converted model's own inputs to them (isolation), where no
 * error is inherited and a correct operator adds only its arithmetic's rounding. By default a run picks
 * the profile of the TFLite model's precision ({@link #forPrecision}); {@code --tolerance} names another.
 * Every figure below was measured on the correct conversions of the real corpus ({@code ../shared/real-pairs}),
 * fed inputs from their own domain (YOLOX's COCO images as its samples prepare them, the STFT and blocks of
 * the corpus's speech recording for GTCRN-Micro and DTLN):
 *
 * <ul>
 *   <li>{@link #DEFAULT}, float32: outputs {@code max |a-b| <= 1e-3 x max|ref|}, layers {@code 5e-3}. Correct
 *       pairs reach 6e-5 at outputs (1.2e-4 on UltraFace's softmax with other inputs) and 4.7e-4 deep in
 *       UltraFace (BatchNorm folded on one side only); onnx2tf, tf2onnx and keras2onnx pairs stay below 3e-6.
 *       Real conversion bugs and the corpus mutants move outputs by 1.3e-3 and more.
 *   <li>{@link #FP16}, float16 weights: outputs {@code max |a-b| <= 0.2 x max|ref|} and SQNR at least 30 dB,
 *       layers 0.3 and 25 dB. Correct conversions: outputs 46 to 81 dB with max errors up to 5.6e-2
 *       (YOLOX-Nano: rare outliers in its box regressions), layers 39 dB and up. A layout or weight bug
 *       takes SQNR towards 0 dB.
 *   <li>{@link #DYNAMIC_RANGE}, int8 weights with float activations: SQNR at least 12 dB for outputs, 5 dB
 *       for layers, no useful bound on single elements (YOLOX moves one box term by 0.41 of the scale).
 *       Correct conversions: outputs 21.6 to 28 dB (19.7 dB for DTLN model_2 under the builtin kernels).
 *   <li>{@link #INTEGER}, int8 or int16 activations: SQNR at least 10 dB for outputs (the error's RMS under a
 *       third of the signal's), 0 dB for layers. Of the corpus, GTCRN-Micro's 16x8 conversion reaches 18 dB;
 *       its int8 conversions (3.5 dB) and YOLOX's int8 ones, calibrated on inputs unlike the ones they run
 *       on (7 dB), do not: their reports say where quantization hurts and what saturates. For integer models
 *       task checks ({@code --check}) are the natural gate.
 * </ul>
 *
 * <p>Isolation rules, measured with {@code --isolate all} on every correct pair of the corpus at seeds 0-9 under
 * XNNPACK and the builtin kernels (the largest error any correct operator adds alone), against the corpus mutants:
 *
 * <ul>
 *   <li>{@link #DEFAULT}: {@code max |a-b| <= 1e-3 x max|ref|}. Correct operators add at most 2.6e-4 (UltraFace,
 *       BatchNorm folded on one side only), 3e-5 on every other pair; the weakest mutants (weights truncated to
 *       bfloat16) add 3e-3 and more, every other mutant 1e-2 and more.
 *   <li>{@link #FP16}: {@code 5e-3 x max|ref|} and SQNR at least 40 dB. Correct operators add at most 6.7e-4
 *       (YOLOX-Nano) and stay above 54 dB; float16 weights round by 4.9e-4 of each weight.
 *   <li>{@link #DYNAMIC_RANGE} and {@link #INTEGER}: the layer rules. Correct dynamic-range operators add noise
 *       down to 11 dB SQNR alone (int8 weights), integer ones down to -15 dB where an int8 tensor saturates,
 *       so isolation can only tell gross errors there. A dynamic-range model keeps in float32 the operators whose
 *       weights are too few to quantize; a layer computed by those alone is held to {@link #DEFAULT}'s isolation
 *       rule ({@link #floatIsolationRule()}). They add at most 5.8e-7 of scale alone on the corpus's four
 *       dynamic-range conversions; the weakest mutant in one (weights truncated to bfloat16) 2.5e-3.
 * </ul>
 */
public enum ToleranceProfile {
    DEFAULT("default", ScaleRule.of(1e-3), ScaleRule.of(5e-3), ScaleRule.of(1e-3)),
    FP16("fp16", ScaleRule.withSqnr(0.2, 30), ScaleRule.withSqnr(0.3, 25), ScaleRule.withSqnr(5e-3, 40)),
    DYNAMIC_RANGE("dynamic-range", ScaleRule.withSqnr(1, 12), ScaleRule.withSqnr(1, 5), ScaleRule.withSqnr(1, 5),
            DEFAULT.isolationRule),
    INTEGER("integer", ScaleRule.withSqnr(1, 10), ScaleRule.withSqnr(1, 0), ScaleRule.withSqnr(1, 0));

    private final String id;
    private final ScaleRule rule;
    private final ScaleRule layerRule;
    private final ScaleRule isolationRule;
    private final ScaleRule floatIsolationRule;

    ToleranceProfile(String id, ScaleRule outputs, ScaleRule layers, ScaleRule isolated) {
        this(id, outputs, layers, isolated, null);
    }

    ToleranceProfile(String id, ScaleRule outputs, ScaleRule layers, ScaleRule isolated, ScaleRule isolatedInFloat) {
        this.id = id;
        this.rule = outputs;
        this.layerRule = layers;
        this.isolationRule = isolated;
        this.floatIsolationRule = isolatedInFloat;
    }

    /** The profile's name in flags, suite files and JSON: {@code default}, {@code fp16}, {@code dynamic-range}, {@code integer}. */
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

    /** The rule for the error a layer's operators add by themselves (isolation). */
    public ScaleRule isolationRule() {
        return isolationRule;
    }

    /**
     * The rule for the error of a layer the converted model computes with float32 operators only; null where the
     * {@linkplain #isolationRule() isolation rule} holds for those too.
     */
    public ScaleRule floatIsolationRule() {
        return floatIsolationRule;
    }

    /** The profile's rules, as a fixed choice. */
    public Tolerances tolerances() {
        return tolerances(id, false);
    }

    /** The profile's rules, named {@code profile}, chosen by the model's precision or not. */
    Tolerances tolerances(String profile, boolean byPrecision) {
        return new Tolerances(rule, layerRule, isolationRule, floatIsolationRule, profile, byPrecision);
    }

    /** The profile for a conversion of this precision. */
    public static ToleranceProfile forPrecision(Precision precision) {
        return switch (precision) {
            case FLOAT32 -> DEFAULT;
            case FLOAT16_WEIGHTS -> FP16;
            case DYNAMIC_RANGE -> DYNAMIC_RANGE;
            case INTEGER, INTEGER_IO, INTEGER_16X8, INTEGER_16X8_IO -> INTEGER;
        };
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
        throw new IllegalArgumentException("unknown tolerance profile '" + id
                + "'; expected auto, default, fp16, dynamic-range or integer");
    }
}
