package org.tensorparity.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorPermuter;

/**
 * How a TFLite operator's weight tensor reads in the layout of the ONNX operator that holds the same weights: the
 * mapping a diagnosis feeds the TFLite weights through ({@link WeightHypotheses}), and the check of stored integer
 * weights compares them through ({@link StoredWeights}).
 */
final class KernelLayout {
    /** TFLite operators that only move or crop their first input's values. */
    static final Set<String> REARRANGING = Set.of("STRIDED_SLICE", "SLICE", "RESHAPE", "TRANSPOSE", "SQUEEZE",
            "EXPAND_DIMS");

    /** ONNX operators whose weights a TFLite {@link #KERNELS} operator holds. */
    static final Set<String> WEIGHTED = Set.of("Conv", "ConvTranspose", "Gemm", "MatMul");

    /** TFLite operators with a weight tensor (input 1) and a bias, mapped into ONNX layout by {@link #toOnnx}. */
    static final Set<String> KERNELS = Set.of("CONV_2D", "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV", "FULLY_CONNECTED");

    private KernelLayout() {
    }

    /** {@code t} reshaped to {@code shape} when only unit axes differ (a 1-D convolution held as 2-D); else null. */
    static Tensor fit(Tensor t, Shape shape) {
        if (t.shape().equals(shape)) {
            return t;
        }
        if (t.size() != shape.elementCount() || !nonUnitDims(t.shape()).equals(nonUnitDims(shape))) {
            return null;
        }
        return t.reshape(shape);
    }

    static int nonUnitAxes(Shape s) {
        return nonUnitDims(s).size();
    }

    private static List<Integer> nonUnitDims(Shape s) {
        List<Integer> out = new ArrayList<>();
        for (int d : s.dims()) {
            if (d != 1) {
                out.add(d);
            }
        }
        return out;
    }

    /**
     * How an ONNX operator's weights are read with the output channels first: Conv holds [out, in, spatial...] and
     * Gemm with transB [out, in] already; MatMul and Gemm without it hold [in, out]; ConvTranspose [in, out,
     * spatial...].
     */
    static Permutation outMajor(GraphNode main, int rank, SubgraphRunner runner) throws ModelFailureException {
        boolean inOut = main.opType().equals("MatMul") || main.opType().equals("ConvTranspose")
                || (main.opType().equals("Gemm") && runner.attribute(main.index(), "transB").orElse(0.0) == 0);
        if (!inOut || rank < 2) {
            return Permutation.identity(rank);
        }
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        axes[0] = 1;
        axes[1] = 0;
        return Permutation.of(axes);
    }

    /**
     * A TFLite weight in the ONNX layout: CONV_2D's [out, h, w, in] as Conv's [out, in, h, w]; DEPTHWISE_CONV_2D's [1,
     * h, w, out] as [out, 1, h, w]; TRANSPOSE_CONV's [out, h, w, in] as ConvTranspose's [in, out, h, w];
     * FULLY_CONNECTED's [out, in] as the ONNX matrix is held ({@code outMajor}). Null when the rank does not fit.
     */
    static Tensor toOnnx(String op, Tensor w, Permutation outMajor) {
        int rank = w.shape().rank();
        return switch (op) {
            case "CONV_2D" -> rank == 4 ? TensorPermuter.permute(w, Permutation.of(0, 3, 1, 2)) : null;
            case "DEPTHWISE_CONV_2D", "TRANSPOSE_CONV" -> rank == 4
                    ? TensorPermuter.permute(w, Permutation.of(3, 0, 1, 2)) : null;
            default -> rank != 2 ? null : outMajor.isIdentity() ? w : TensorPermuter.permute(w, Permutation.of(1, 0));
        };
    }

    /** The values of an ONNX-layout weight with the output channels first. */
    static float[] inOrder(Tensor w, Permutation outMajor) {
        return TensorPermuter.permute(w, outMajor).data();
    }
}
