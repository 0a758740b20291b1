package org.tensorparity.backend;

import java.util.List;

/**
 * A few operators of a model written as a model of their own, for a reproducer a converter's maintainers can run,
 * or why they cannot be.
 */
public sealed interface ModelCut {

    /**
     * The cut model's file.
     *
     * @param bytes the whole file
     * @param weightBytes the bytes of the weights the cut operators read, the bulk of the file
     * @param operators the operators it holds, in execution order ({@code Conv 'name'}, {@code CONV_2D 'output'})
     */
    record Model(byte[] bytes, long weightBytes, List<String> operators) implements ModelCut {
        public Model {
            operators = List.copyOf(operators);
        }
    }

    /** Why these operators cannot stand alone: control flow, a custom operator, a shape known only at run time. */
    record Refused(String reason) implements ModelCut {
    }
}
