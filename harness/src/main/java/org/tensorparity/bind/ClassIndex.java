package org.tensorparity.bind;

import java.util.Optional;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * An output pair where one model gives class scores and the other the index of the best class: an ONNX
 * graph that ends in ArgMax (int64 ids) against a TFLite model that ends in Softmax (probabilities), or
 * the reverse. The evident relation is compared: the indices against the argmax of the scores along the
 * axis the index side lacks.
 *
 * @param onnxIsIndex true when the ONNX output holds the indices and the TFLite output the scores
 * @param axis the scores' axis the argmax runs along
 */
public record ClassIndex(boolean onnxIsIndex, int axis) {

    /**
     * The relation between two outputs, when one is integer-typed and its shape is the other's (floating
     * point) shape without one axis; the last such axis is preferred.
     */
    public static Optional<ClassIndex> between(Shape onnx, DType onnxType, Shape tflite, DType tfliteType) {
        if (isIndex(onnxType) && tfliteType.isFloatingPoint()) {
            return removedAxis(tflite, onnx).map(a -> new ClassIndex(true, a));
        }
        if (isIndex(tfliteType) && onnxType.isFloatingPoint()) {
            return removedAxis(onnx, tflite).map(a -> new ClassIndex(false, a));
        }
        return Optional.empty();
    }

    private static boolean isIndex(DType t) {
        return t == DType.INT64 || t == DType.INT32;
    }

    /** The axis of {@code scores} whose removal gives {@code indices}' shape (a size-1 axis may stand for it). */
    private static Optional<Integer> removedAxis(Shape scores, Shape indices) {
        for (int axis = scores.rank() - 1; axis >= 0; axis--) {
            if (scores.dim(axis) > 1 && (without(scores, axis).equals(indices) || withUnit(scores, axis).equals(indices))) {
                return Optional.of(axis);
            }
        }
        return Optional.empty();
    }

    private static Shape without(Shape s, int axis) {
        int[] d = new int[s.rank() - 1];
        for (int i = 0, k = 0; i < s.rank(); i++) {
            if (i != axis) {
                d[k++] = s.dim(i);
            }
        }
        return Shape.of(d);
    }

    /** ArgMax with keepdims=1: the axis stays, with size 1. */
    private static Shape withUnit(Shape s, int axis) {
        int[] d = s.dims();
        d[axis] = 1;
        return Shape.of(d);
    }

    /** The index of the largest score along {@link #axis()}, shaped like {@code like} (the index side's output). */
    public Tensor argmax(Tensor scores, Shape like) {
        int[] d = scores.shape().dims();
        int outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= d[i];
        }
        int inner = 1;
        for (int i = axis + 1; i < d.length; i++) {
            inner *= d[i];
        }
        int n = d[axis];
        float[] v = scores.data();
        float[] out = new float[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int in = 0; in < inner; in++) {
                int best = 0;
                float bestValue = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < n; k++) {
                    float x = v[(o * n + k) * inner + in];
                    // The first of equal maxima wins, as ONNX ArgMax and numpy argmax choose.
                    if (x > bestValue || (Float.isNaN(x) && !Float.isNaN(bestValue))) {
                        best = k;
                        bestValue = x;
                    }
                }
                out[o * inner + in] = best;
            }
        }
        return Tensor.wrap(DType.INT64, like, out);
    }

    /** In words, for reports: {@code argmax of TFLite 'Identity' over axis 1}. */
    public String describe(String scoresModel, String scoresName) {
        return "argmax of " + scoresModel + " '" + scoresName + "' over axis " + axis;
    }
}
