package org.tensorparity.result;

/**
 * One state pair of a streaming run: each model's output fed back as its own input at the next step.
 *
 * @param onnxOutput the ONNX output fed back
 * @param onnxInput the ONNX input it feeds
 * @param tfliteOutput the TFLite output paired with {@code onnxOutput}, fed back to the TFLite model
 * @param tfliteInput the TFLite input paired with {@code onnxInput}
 * @param foundBy how the pair was found: {@code flag} ({@code --feedback}), {@code name} (the output is named after
 *     the input, {@code state} and {@code stateN}) or {@code shape} (the only input past the first of its shape and type)
 */
public record StateFeedback(String onnxOutput, String onnxInput, String tfliteOutput, String tfliteInput,
        String foundBy) {
}
