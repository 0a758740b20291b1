package org.tensorparity.backend;

import java.util.Map;
import org.tensorparity.tensor.Tensor;

/**
 * What one inference produced, copied to the heap (or, for intermediates kept by a {@link TensorSpill}, to disk).
 *
 * @param outputs the model's outputs by name, in signature order
 * @param intermediates every captured node output by name, in execution order (empty unless the runner
 *     was opened with {@link RunnerSettings#captureIntermediates()}); model outputs appear here too
 * @param passes how many passes the instrumented run took ({@link RunnerSettings#passBytes()}); 1 for a run whole
 */
public record RunResult(Map<String, Tensor> outputs, Map<String, Tensor> intermediates, int passes) {
    public RunResult {
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
        intermediates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(intermediates));
        if (passes < 1) {
            throw new IllegalArgumentException("a run takes at least one pass, got " + passes);
        }
    }

    /** The result of a run whole, in one pass. */
    public RunResult(Map<String, Tensor> outputs, Map<String, Tensor> intermediates) {
        this(outputs, intermediates, 1);
    }
}
