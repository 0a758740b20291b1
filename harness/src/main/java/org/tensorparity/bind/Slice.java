package org.tensorparity.bind;

import org.tensorparity.tensor.Tensor;

/**
 * The part of one model's output that another model's output holds, where a converter split an output in two or
 * merged two into one (a detector's boxes of two anchor grids concatenated): {@code [start:end]} of {@code axis}.
 *
 * @param side the model whose output is cut: {@code tflite} when the ONNX model split it, {@code onnx} when the
 *     converter merged the ONNX model's outputs
 * @param axis the axis along which the parts are concatenated, in that model's layout
 * @param start first index of the part, inclusive
 * @param end last index of the part, exclusive
 */
public record Slice(Side side, int axis, int start, int end) {
    /** Which model's output is cut. */
    public enum Side {
        ONNX("onnx", "ONNX"),
        TFLITE("tflite", "TFLite");

        private final String id;
        private final String label;

        Side(String id, String label) {
            this.id = id;
            this.label = label;
        }

        /** The stable form for JSON. */
        public String id() {
            return id;
        }

        public String label() {
            return label;
        }
    }

    public Slice {
        if (axis < 0 || start < 0 || end <= start) {
            throw new IllegalArgumentException("no slice [" + start + ":" + end + "] of axis " + axis);
        }
    }

    /** The part of {@code whole} this slice names. */
    public Tensor of(Tensor whole) {
        return whole.slice(axis, start, end);
    }

    /** "TFLite 'regressors' [0:512] of axis 1", naming the cut tensor {@code tensor}. */
    public String describe(String tensor) {
        return side.label() + " '" + tensor + "' [" + start + ":" + end + "] of axis " + axis;
    }
}
