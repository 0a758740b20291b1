package org.tensorparity.backend;

/**
 * The smooth and piecewise-linear activations converters are known to exchange for one another: a GELU computed
 * with the tanh approximation where the original used erf, a HardSwish for a Swish (SiLU), a hard sigmoid with
 * Keras's slope 0.2 where PyTorch's is 1/6. Each is a function of one tensor, which a {@link NodeEdit.Function}
 * writes in place of an operator.
 */
public enum ActivationFunction {
    /** {@code 1 / (1 + exp(-x))}. */
    SIGMOID("sigmoid", Family.GATE),
    /** {@code clip(x / 6 + 1/2, 0, 1)}: PyTorch's {@code hardsigmoid}, the gate of ONNX's {@code HardSwish}. */
    HARD_SIGMOID("hard sigmoid (ReLU6(x + 3) / 6)", Family.GATE),
    /** {@code clip(0.2 x + 0.5, 0, 1)}: Keras 2's {@code hard_sigmoid} and ONNX {@code HardSigmoid}'s defaults. */
    HARD_SIGMOID_KERAS("hard sigmoid with Keras's slope (clip(0.2x + 0.5, 0, 1))", Family.GATE),
    /** {@code x * sigmoid(x)}, also called SiLU. */
    SWISH("Swish (x * sigmoid(x))", Family.GATED),
    /** {@code x * ReLU6(x + 3) / 6}. */
    HARD_SWISH("HardSwish (x * ReLU6(x + 3) / 6)", Family.GATED),
    /** {@code x * clip(0.2 x + 0.5, 0, 1)}: a HardSwish built on Keras 2's hard sigmoid. */
    HARD_SWISH_KERAS("HardSwish with Keras's hard sigmoid (x * clip(0.2x + 0.5, 0, 1))", Family.GATED),
    /** {@code x * (1 + erf(x / sqrt 2)) / 2}, the exact GELU. */
    GELU_ERF("GELU (erf)", Family.GATED),
    /** {@code x * (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) / 2}, GELU's tanh approximation. */
    GELU_TANH("GELU with the tanh approximation", Family.GATED);

    /** What an activation does with its input: gates it to [0, 1], or multiplies it by such a gate of itself. */
    public enum Family {
        GATE,
        GATED
    }

    private final String words;
    private final Family family;

    ActivationFunction(String words, Family family) {
        this.words = words;
        this.family = family;
    }

    /** The function in a user's words, with its formula where its name alone is ambiguous. */
    public String words() {
        return words;
    }

    public Family family() {
        return family;
    }
}
