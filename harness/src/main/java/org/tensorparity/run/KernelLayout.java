package org.tensorparity.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorPermuter;

/**
 * How a TFLite operator's weight tensor reads in the layout of the ONNX operator that holds the same weights: the
 * mapping a diagnosis feeds the TFLite weights through ({@link WeightHypotheses}), and the check of stored integer
 * weights compares them through ({@link StoredWeights}); and, for both, the bias an ONNX Add after the operator holds,
 * which a converter fuses into the kernel.
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

    /** ONNX operators that only view their first input's values in another shape. */
    private static final Set<String> VIEWS = Set.of("Reshape", "Squeeze", "Unsqueeze", "Flatten", "Identity");

    /**
     * The constant vector of {@code channels} an ONNX Add adds to {@code tensor}, or to a reshaped view of it (Keras'
     * Tensordot reshapes between its MatMul and its bias Add), if one does: the bias a converter fuses into the kernel
     * that computes {@code tensor}.
     */
    static Optional<float[]> biasAddedAfter(ModelGraph onnx, SubgraphRunner runner, String tensor, int channels)
            throws ModelFailureException {
        for (GraphNode n : onnx.nodes()) {
            if (!n.inputs().contains(tensor)) {
                continue;
            }
            if (VIEWS.contains(n.opType()) && n.inputs().get(0).equals(tensor) && !n.outputs().isEmpty()) {
                Optional<float[]> through = biasAddedAfter(onnx, runner, n.outputs().get(0), channels);
                if (through.isPresent()) {
                    return through;
                }
            } else if (n.opType().equals("Add") && n.inputs().size() == 2) {
                String other = n.inputs().get(0).equals(tensor) ? n.inputs().get(1) : n.inputs().get(0);
                Optional<Tensor> c = runner.weight(other);
                if (c.isPresent() && c.get().size() == channels) {
                    return Optional.of(c.get().data());
                }
            }
        }
        return Optional.empty();
    }

    /** The values of an ONNX-layout weight with the output channels first. */
    static float[] inOrder(Tensor w, Permutation outMajor) {
        return TensorPermuter.permute(w, outMajor).data();
    }
}
