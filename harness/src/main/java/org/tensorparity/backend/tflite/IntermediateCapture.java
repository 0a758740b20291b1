package org.tensorparity.backend.tflite;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.TfLiteNode;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.tensorparity.ModelFailureException;
import org.tensorparity.tensor.InPlaceValues;
import org.tensorparity.tensor.Tensor;

/**
 * Reads every intermediate tensor after a run. Only an interpreter built to preserve all tensors (see
 * {@link NativeHandles#buildInterpreter}) still holds them: otherwise TFLite reuses intermediate buffers
 * and they hold later values.
 */
final class IntermediateCapture {
    private final NativeHandles handles;
    private final TensorNames names;
    private final TensorReader reader;
    private final LoopBodies bodies;
    private final IfBranches branches;

    IntermediateCapture(NativeHandles handles, TensorNames names, TensorReader reader, LoopBodies bodies,
            IfBranches branches) {
        this.handles = handles;
        this.names = names;
        this.reader = reader;
        this.bodies = bodies;
        this.branches = branches;
    }

    /**
     * Every output of every executed node, in execution order. Scratch tensors the interpreter adds
     * (im2col buffers, transposed weights) are never node outputs and lie beyond the file's tensors, so
     * they are not read; nor are values of types a comparison cannot carry. The outputs of the operators of
     * WHILE bodies follow, as the last iteration left them ({@link LoopBodies}), then those of the IF branches taken
     * ({@link IfBranches}).
     *
     * @param lease while it holds, the main graph's float32 values are read in place (null: copied to the heap); the
     *     values of WHILE bodies and IF branches are always copied, as the interpreter writes them again when it runs
     *     those subgraphs
     */
    Map<String, Tensor> nodeOutputs(InPlaceValues.Lease lease) throws ModelFailureException {
        Map<String, Tensor> captured = new LinkedHashMap<>();
        nodeOutputs(name -> !captured.containsKey(name), captured::put, lease);
        return captured;
    }

    /**
     * Hands {@link #nodeOutputs} to {@code each} one at a time, in the same order, reading only those {@code wanted}
     * takes: a caller that keeps each elsewhere (a run in passes spilling them) holds one at a time on the heap.
     */
    void nodeOutputs(Predicate<String> wanted, BiConsumer<String, Tensor> each) throws ModelFailureException {
        nodeOutputs(wanted, each, null);
    }

    private void nodeOutputs(Predicate<String> wanted, BiConsumer<String, Tensor> each, InPlaceValues.Lease lease)
            throws ModelFailureException {
        Interpreter interpreter = handles.interpreter();
        Set<String> seen = new HashSet<>();
        for (int nodeIndex : TensorCopier.ints(interpreter.execution_plan())) {
            TfLiteNode node = interpreter.node_and_registration(nodeIndex).first();
            for (int t : TensorCopier.dims(node.outputs())) {
                if (!names.covers(t) || !seen.add(names.get(t)) || !wanted.test(names.get(t))) {
                    continue;
                }
                TfLiteTensor tensor = interpreter.tensor(t);
                var dtype = TensorCopier.dtype(tensor.type());
                boolean materialized = tensor.bytes() == 0 || !tensor.data().raw().isNull();
                if (dtype.isPresent() && materialized) {
                    each.accept(names.get(t), reader.read(t, dtype.get(), lease));
                }
            }
        }
        for (Map.Entry<String, Tensor> e : bodies.lastIteration(interpreter, handles.iterationInputs()).entrySet()) {
            if (wanted.test(e.getKey())) {
                each.accept(e.getKey(), e.getValue());
            }
        }
        for (Map.Entry<String, Tensor> e : branches.taken(interpreter).entrySet()) {
            if (wanted.test(e.getKey())) {
                each.accept(e.getKey(), e.getValue());
            }
        }
    }
}
