package org.tensorparity.model;

/**
 * What a converted model computes in, as its file says: the kinds TFLiteConverter and onnx2tf produce.
 * Each has a tolerance profile of its own (see {@code ToleranceProfile#forPrecision}).
 */
public enum Precision {
    /** Float32 weights and activations. */
    FLOAT32("float32", "float32"),
    /** Float16 weights expanded by DEQUANTIZE; float32 activations and I/O. */
    FLOAT16_WEIGHTS("float16-weights", "float16 weights"),
    /** Int8 weights, float activations (the kernels quantize activations on the fly). */
    DYNAMIC_RANGE("dynamic-range", "dynamic range (int8 weights, float activations)"),
    /** Int8 weights and activations; float inputs and outputs (QUANTIZE in, DEQUANTIZE out). */
    INTEGER("integer", "full integer (int8 weights and activations, float I/O)"),
    /** Int8 weights and activations with an integer input or output (or both). */
    INTEGER_IO("integer-io", "full integer with integer I/O"),
    /** Int16 activations with int8 weights (16x8), float inputs and outputs. */
    INTEGER_16X8("integer-16x8", "16x8 integer (int16 activations, int8 weights, float I/O)"),
    /** Int16 activations with int8 weights and an int16 input or output (or both). */
    INTEGER_16X8_IO("integer-16x8-io", "16x8 integer with int16 I/O");

    private final String id;
    private final String description;

    Precision(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The kind's name in JSON reports: {@code float32}, {@code float16-weights}, {@code dynamic-range}, ... */
    public String id() {
        return id;
    }

    /** In words, for reports. */
    public String description() {
        return description;
    }

    /** True for the kinds whose activations are integers. */
    public boolean integerActivations() {
        return this == INTEGER || this == INTEGER_IO || this == INTEGER_16X8 || this == INTEGER_16X8_IO;
    }
}
