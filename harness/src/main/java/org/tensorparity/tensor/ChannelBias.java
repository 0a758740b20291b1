package org.tensorparity.tensor;

/** A bias added along one axis of a tensor: {@code out[..., c, ...] = t[..., c, ...] + bias[c]}. */
public final class ChannelBias {
    private ChannelBias() {
    }

    /**
     * {@code t} with {@code bias[c]} added to every element at index {@code c} of {@code axis}.
     *
     * @throws IllegalArgumentException when the bias does not have one value per index of the axis
     */
    public static Tensor add(Tensor t, float[] bias, int axis) {
        int[] dims = t.shape().dims();
        if (bias.length != dims[axis]) {
            throw new IllegalArgumentException(bias.length + " bias values for axis " + axis + " of " + t.shape());
        }
        int inner = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        float[] in = t.data();
        float[] out = new float[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] + bias[(i / inner) % bias.length];
        }
        return Tensor.wrap(t.dtype(), t.shape(), out);
    }
}
