package org.tensorparity.backend;

import java.util.List;
import java.util.Map;
import org.tensorparity.ModelFailureException;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Tensor;

/**
 * Runs a few operators of a reference model on their own, fed values chosen by the caller: how much error
 * one converted operator adds is measured by feeding the reference operator the converted model's own
 * inputs to it. Open in try-with-resources; safe to call from several threads at once.
 */
public interface SubgraphRunner extends AutoCloseable {

    /**
     * Runs the operators {@code nodes} (indices into the model's {@link ModelGraph#nodes()}, in execution
     * order) alone, with the model's own weights.
     *
     * @param feeds a value for every tensor the operators read that neither they nor the model's weights
     *     provide, by tensor name
     * @param output the tensor to compute
     * @param outputType its element type in the model
     */
    default Tensor run(List<Integer> nodes, Map<String, Tensor> feeds, String output, DType outputType)
            throws ModelFailureException {
        return run(nodes, feeds, output, outputType, List.of());
    }

    /**
     * Runs the operators as {@link #run(List, Map, String, DType)} does, with {@code edits} made to them. A feed
     * named like one of the model's weights replaces that weight.
     */
    Tensor run(List<Integer> nodes, Map<String, Tensor> feeds, String output, DType outputType,
            List<NodeEdit> edits) throws ModelFailureException;

    /**
     * The value of a weight stored in the model (an initializer): its values in float, its stored element type kept;
     * empty for a name that is no stored floating-point weight.
     */
    java.util.Optional<Tensor> weight(String name) throws ModelFailureException;

    /**
     * The value of a numeric (float or int) attribute of operator {@code node} (an index into the model's {@link
     * ModelGraph#nodes()}); empty when the operator does not set it.
     */
    java.util.Optional<Double> attribute(int node, String name) throws ModelFailureException;

    /** The value of a string attribute of operator {@code node}; empty when the operator does not set it. */
    java.util.Optional<String> text(int node, String name) throws ModelFailureException;

    /** The values of an ints attribute of operator {@code node}; empty when the operator does not set it. */
    java.util.Optional<List<Long>> ints(int node, String name) throws ModelFailureException;

    @Override
    void close();
}
