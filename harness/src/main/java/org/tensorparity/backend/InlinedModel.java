package org.tensorparity.backend;

import java.util.List;
import org.tensorparity.model.ModelFile;

/**
 * A reference model rewritten with the taken branches of some {@code If} nodes inlined into its main graph.
 *
 * @param file the rewritten model, under the original file's name and digest (the report names the user's file)
 * @param inlined the branches inlined, in graph order
 */
public record InlinedModel(ModelFile file, List<InlinedBranch> inlined) {
    public InlinedModel {
        inlined = List.copyOf(inlined);
    }
}
