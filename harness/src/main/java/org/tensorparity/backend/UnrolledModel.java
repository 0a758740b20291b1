package org.tensorparity.backend;

import java.util.List;
import org.tensorparity.model.ModelFile;

/**
 * A reference model rewritten with some {@code Loop} and {@code Scan} nodes of its main graph unrolled.
 *
 * @param file the rewritten model (the one given when no loop was unrolled), under the original file's name and digest (the report names the user's file)
 * @param unrolled the loops unrolled, in graph order
 * @param notUnrolled for each {@code Loop} or {@code Scan} of the main graph left whole, why
 */
public record UnrolledModel(ModelFile file, List<UnrolledLoop> unrolled, List<String> notUnrolled) {
    public UnrolledModel {
        unrolled = List.copyOf(unrolled);
        notUnrolled = List.copyOf(notUnrolled);
    }
}
