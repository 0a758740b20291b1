package org.tensorparity.backend;

import java.util.Map;
import org.tensorparity.tensor.Tensor;

/**
 * What one inference produced, copied to the heap.
 *
 * @param outputs the model's outputs by name, in signature order
 * @param intermediates every captured node output by name, in execution order (empty unless the runner
 *     was opened with {@link RunnerSettings#captureIntermediates()}); model outputs appear here too
 */
public record RunResult(Map<String, Tensor> outputs, Map<String, Tensor> intermediates) {
    public RunResult {
        outputs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputs));
        intermediates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(intermediates));
    }
}
