package org.tensorparity.bind;

/**
 * An ONNX output fed back as an ONNX input at the next step of a streaming run: a recurrent state.
 *
 * @param output the ONNX output
 * @param input the ONNX input it feeds
 * @param foundBy {@code flag} ({@code --feedback}), {@code name} or {@code shape} ({@link StateLinks} says how)
 */
public record StateLink(String output, String input, String foundBy) {
}
