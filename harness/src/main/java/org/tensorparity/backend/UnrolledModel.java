package org.tensorparity.backend;

import java.util.List;
import org.tensorparity.model.ModelFile;

/**
 * A reference model rewritten with some {@code Loop} nodes of its main graph unrolled.
 *
 * @param file the rewritten model, under the original file's name and digest (the report names the user's file)
 * @param unrolled the loops unrolled, in graph order
 */
public record UnrolledModel(ModelFile file, List<UnrolledLoop> unrolled) {
    public UnrolledModel {
        unrolled = List.copyOf(unrolled);
    }
}
