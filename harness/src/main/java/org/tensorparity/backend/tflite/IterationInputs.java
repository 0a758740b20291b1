package org.tensorparity.backend.tflite;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.tensorflowlite.Interpreter;
import org.bytedeco.tensorflowlite.Subgraph;
import org.bytedeco.tensorflowlite.TfLiteTensor;
import org.tensorparity.tensor.Tensor;

/**
 * What each {@code WHILE} body received at the start of its last iteration: the loop's carried values (a recurrent
 * state {@code h}) as they entered it. After the run the body's inputs hold what the loop handed on at its end, and
 * the earlier values are gone, yet they are what the body's operators read: an operator that reads the previous
 * iteration's state can be run alone only when that state is known. {@link LoopGuard} calls {@link #iterationStarts}
 * before each iteration's first operator; the body's inputs are copied then, each iteration over the last.
 */
final class IterationInputs {
    /**
     * The largest body input copied, in bytes: a recurrent state (the precise-lite GRU's 20 units, an LSTM's few
     * thousand) is copied each iteration; a tensor list that holds the whole sequence would make copying quadratic in
     * its length and is left out.
     */
    static final long MAX_BYTES = 1 << 18;

    private final Interpreter interpreter;
    private final Map<Integer, Map<Integer, Tensor>> bySubgraph = new HashMap<>();

    IterationInputs(Interpreter interpreter) {
        this.interpreter = interpreter;
    }

    /** Copies the inputs of body subgraph {@code body}, about to run an iteration. */
    void iterationStarts(int body) {
        Subgraph subgraph = interpreter.subgraph(body);
        Map<Integer, Tensor> copies = new HashMap<>();
        for (int t : TensorCopier.ints(subgraph.inputs())) {
            TfLiteTensor tensor = subgraph.tensor(t);
            var dtype = TensorCopier.dtype(tensor.type());
            boolean quantized = tensor.quantization() != null && tensor.quantization().type() != 0;
            if (dtype.isPresent() && !quantized && !tensor.data().raw().isNull()
                    && tensor.bytes() <= MAX_BYTES) {
                copies.put(t, TensorCopier.read(tensor, dtype.get()));
            }
        }
        bySubgraph.put(body, copies);
    }

    /** The inputs body subgraph {@code body} received at its last iteration, by tensor index; empty when none. */
    Map<Integer, Tensor> of(int body) {
        return bySubgraph.getOrDefault(body, Map.of());
    }

    /** Forgets the last run's copies, before another. */
    void clear() {
        bySubgraph.clear();
    }
}
