package org.tensorparity.backend.tflite;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.TfLiteNode;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.tensorparity.ModelFailureException;
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
     */
    Map<String, Tensor> nodeOutputs() throws ModelFailureException {
        Interpreter interpreter = handles.interpreter();
        Map<String, Tensor> captured = new LinkedHashMap<>();
        for (int nodeIndex : TensorCopier.ints(interpreter.execution_plan())) {
            TfLiteNode node = interpreter.node_and_registration(nodeIndex).first();
            for (int t : TensorCopier.dims(node.outputs())) {
                if (!names.covers(t) || captured.containsKey(names.get(t))) {
                    continue;
                }
                TfLiteTensor tensor = interpreter.tensor(t);
                var dtype = TensorCopier.dtype(tensor.type());
                boolean materialized = tensor.bytes() == 0 || !tensor.data().raw().isNull();
                if (dtype.isPresent() && materialized) {
                    captured.put(names.get(t), reader.read(t, dtype.get()));
                }
            }
        }
        captured.putAll(bodies.lastIteration(interpreter, handles.iterationInputs()));
        captured.putAll(branches.taken(interpreter));
        return captured;
    }
}
