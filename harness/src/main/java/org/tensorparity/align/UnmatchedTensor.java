package org.tensorparity.align;

/**
 * A tensor left without a partner.
 *
 * @param model "onnx" or "tflite"
 * @param name tensor name
 * @param opType its producing operator
 * @param reason why it has no counterpart
 * @param detail the evidence for the reason, in words
 */
public record UnmatchedTensor(String model, String name, String opType, UnmatchedReason reason, String detail) {
}
