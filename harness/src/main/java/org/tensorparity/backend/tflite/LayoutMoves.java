package org.tensorparity.backend.tflite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import org.tensorflow.lite.schema.BuiltinOperator;
import org.tensorflow.lite.schema.BuiltinOptions;
import org.tensorflow.lite.schema.BuiltinOptionsUnion;
import org.tensorflow.lite.schema.OperatorT;
import org.tensorflow.lite.schema.ReshapeOptionsT;
import org.tensorflow.lite.schema.TensorT;
import org.tensorflow.lite.schema.TensorType;
import org.tensorflow.lite.schema.TransposeOptionsT;
import org.tensorparity.backend.CutLayout;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;

/**
 * The TRANSPOSE and RESHAPE operators a {@link TfliteCut} adds of its own so that it is fed and read in ONNX layout
 * where the bundle could not bind its operators' layout: they move values and compute none.
 */
final class LayoutMoves {
    /**
     * Where the cut is fed and read in ONNX layout rather than in its operators': each input by its new name, and the
     * output (or null).
     */
    record Moves(Map<String, CutLayout> inputs, CutLayout output) {
    }

    private LayoutMoves() {
    }

    /**
     * Adds operators of the cut's own that move values without computing any: at each input in {@code moves}, a new
     * input of the same name in ONNX layout, transposed and reshaped into the tensor the operators read (which takes
     * back its name in the file); after the output, the reverse into ONNX layout. The cut fails exactly as its
     * operators do.
     *
     * @param cutInputs the cut's inputs, its tensors' indices; replaced by the ones fed in ONNX layout
     * @param originalName the file's name of a tensor of the cut
     * @param ownData for each tensor of the cut, the data the cut gives it, or null
     * @param codeOf the cut's operator code of a builtin operator, added on first use
     * @return the cut's inputs and output, after the moves
     */
    static int[][] add(int[] cutInputs, IntFunction<String> originalName, List<TensorT> tensorTables,
            List<byte[]> ownData, List<OperatorT> ops, List<String> labels, IntUnaryOperator codeOf, int output,
            Moves moves) {
        List<OperatorT> before = new ArrayList<>();
        List<String> beforeLabels = new ArrayList<>();
        for (int k = 0; k < cutInputs.length; k++) {
            TensorT read = tensorTables.get(cutInputs[k]);
            CutLayout layout = moves.inputs().get(read.getName());
            if (layout == null || (layout.simplified().permutation().isIdentity()
                    && layout.boundShape().equals(Shape.of(read.getShape())))) {
                continue;
            }
            layout = layout.simplified();
            String name = read.getName();
            int fed = add(tensorTables, ownData, copyOf(read, name, layout.boundShape().dims()), null);
            read.setName(originalName.apply(cutInputs[k]));
            Shape readShape = Shape.of(read.getShape());
            Shape at = layout.boundShape();
            int from = fed;
            if (!layout.permutation().isIdentity()) {
                if (!at.equals(layout.onnxShape())) {
                    int to = add(tensorTables, ownData, copyOf(read, name + "/unit_axes", layout.onnxShape().dims()),
                            null);
                    before.add(reshape(codeOf, tensorTables, ownData, from, layout.onnxShape().dims(), to));
                    beforeLabels.add("RESHAPE (added: '" + name + "' to " + layout.onnxShape() + ")");
                    from = to;
                }
                Shape permuted = layout.permutation().apply(layout.onnxShape());
                int to = permuted.equals(readShape) ? cutInputs[k]
                        : add(tensorTables, ownData, copyOf(read, name + "/permuted", permuted.dims()), null);
                before.add(transpose(codeOf, tensorTables, ownData, from, layout.permutation(), to));
                beforeLabels.add("TRANSPOSE (added: '" + name + "' " + layout.permutation() + ")");
                at = permuted;
                from = to;
            }
            if (!at.equals(readShape)) {
                before.add(reshape(codeOf, tensorTables, ownData, from, read.getShape(), cutInputs[k]));
                beforeLabels.add("RESHAPE (added: '" + name + "' to " + readShape + ")");
            }
            cutInputs[k] = fed;
        }
        ops.addAll(0, before);
        labels.addAll(0, beforeLabels);
        CutLayout layout = moves.output() == null ? null : moves.output().simplified();
        if (layout == null) {
            return new int[][] {cutInputs, {output}};
        }
        TensorT computed = tensorTables.get(output);
        String name = computed.getName();
        Shape permuted = layout.permutation().apply(layout.onnxShape());
        int from = output;
        if (!layout.permutation().isIdentity() && !permuted.equals(Shape.of(computed.getShape()))) {
            int to = add(tensorTables, ownData, copyOf(computed, name + "/reshaped", permuted.dims()), null);
            ops.add(reshape(codeOf, tensorTables, ownData, from, permuted.dims(), to));
            labels.add("RESHAPE (added: '" + name + "' to " + permuted + ")");
            from = to;
        }
        if (!layout.permutation().isIdentity()) {
            int to = add(tensorTables, ownData, copyOf(computed, name + "/onnx_layout", layout.onnxShape().dims()), null);
            ops.add(transpose(codeOf, tensorTables, ownData, from, layout.permutation().inverse(), to));
            labels.add("TRANSPOSE (added: '" + name + "' " + layout.permutation().inverse() + ")");
            from = to;
        }
        if (!Shape.of(tensorTables.get(from).getShape()).equals(layout.boundShape())) {
            int to = add(tensorTables, ownData, copyOf(computed, name + "/onnx_shape", layout.boundShape().dims()), null);
            ops.add(reshape(codeOf, tensorTables, ownData, from, layout.boundShape().dims(), to));
            labels.add("RESHAPE (added: '" + name + "' to " + layout.boundShape() + ")");
            from = to;
        }
        return new int[][] {cutInputs, {from}};
    }

    private static TensorT copyOf(TensorT t, String name, int[] shape) {
        TensorT copy = new TensorT();
        copy.setName(name);
        copy.setType(t.getType());
        copy.setShape(shape);
        copy.setQuantization(t.getQuantization());
        return copy;
    }

    private static int add(List<TensorT> tensorTables, List<byte[]> ownData, TensorT tensor, byte[] data) {
        tensorTables.add(tensor);
        ownData.add(data);
        return tensorTables.size() - 1;
    }

    /** A constant int32 vector, as TRANSPOSE reads its permutation and RESHAPE its shape. */
    private static int int32s(List<TensorT> tensorTables, List<byte[]> ownData, String name, int[] values) {
        TensorT t = new TensorT();
        t.setName(name + "_" + tensorTables.size());
        t.setType(TensorType.INT32);
        t.setShape(new int[] {values.length});
        ByteBuffer data = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            data.putInt(v);
        }
        return add(tensorTables, ownData, t, data.array());
    }

    private static OperatorT transpose(IntUnaryOperator codeOf, List<TensorT> tensorTables, List<byte[]> ownData,
            int input, Permutation p, int output) {
        OperatorT op = new OperatorT();
        op.setOpcodeIndex(codeOf.applyAsInt(BuiltinOperator.TRANSPOSE));
        op.setInputs(new int[] {input, int32s(tensorTables, ownData, "transpose_perm", p.axes())});
        op.setOutputs(new int[] {output});
        BuiltinOptionsUnion options = new BuiltinOptionsUnion();
        options.setType(BuiltinOptions.TransposeOptions);
        options.setValue(new TransposeOptionsT());
        op.setBuiltinOptions(options);
        return op;
    }

    private static OperatorT reshape(IntUnaryOperator codeOf, List<TensorT> tensorTables, List<byte[]> ownData,
            int input, int[] shape, int output) {
        OperatorT op = new OperatorT();
        op.setOpcodeIndex(codeOf.applyAsInt(BuiltinOperator.RESHAPE));
        op.setInputs(new int[] {input, int32s(tensorTables, ownData, "reshape_shape", shape)});
        op.setOutputs(new int[] {output});
        ReshapeOptionsT reshapeOptions = new ReshapeOptionsT();
        reshapeOptions.setNewShape(shape.clone());
        BuiltinOptionsUnion options = new BuiltinOptionsUnion();
        options.setType(BuiltinOptions.ReshapeOptions);
        options.setValue(reshapeOptions);
        op.setBuiltinOptions(options);
        return op;
    }
}
