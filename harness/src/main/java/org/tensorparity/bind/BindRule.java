package org.tensorparity.bind;

/** Why an ONNX tensor was bound to a TFLite tensor, strongest evidence first. */
public enum BindRule {
    /** The user said so with {@code --bind onnx=tflite}. */
    OVERRIDE("--bind"),
    /** Same name on both sides. */
    EXACT_NAME("exact name"),
    /** Same name once converter decorations are removed ({@code serving_default_x:0} is {@code x}). */
    NORMALIZED_NAME("normalized name"),
    /** The only tensor whose shape fits, allowing a layout permutation. */
    SHAPE("shape"),
    /** Among outputs left over whose shapes fit several counterparts, the one whose values agree (one run). */
    VALUES("values"),
    /** Position among the tensors left over; their shapes fit. */
    ORDER("order"),
    /** A part of a TFLite output that concatenates several ONNX outputs (the ONNX model split it). */
    SPLIT("split"),
    /** An ONNX output, a part of which is this TFLite output (the converter merged several into one). */
    MERGED("merged"),
    /** Nothing in the other model answers it (its counterpart name is null). */
    UNBOUND("no counterpart");

    private final String label;

    BindRule(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
