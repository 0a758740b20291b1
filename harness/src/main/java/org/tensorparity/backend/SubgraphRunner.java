package org.tensorparity.backend;

import java.util.ArrayList;
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
     * One of several independent runs asked for at once ({@link #runAll}): the operators, their feeds and the tensor
     * to compute, as {@link #run(List, Map, String, DType)} takes them.
     */
    record Request(List<Integer> nodes, Map<String, Tensor> feeds, String output, DType outputType) {
    }

    /** What one {@link Request} computed, or why it could not be computed. */
    sealed interface Computed {
        /** The requested tensor. */
        record Value(Tensor value) implements Computed {
        }

        /** The run failed: a {@link ModelFailureException} when the runtime refused the operators, else a bug. */
        record Failed(Exception cause) implements Computed {
        }
    }

    /**
     * Runs independent requests, each as {@link #run(List, Map, String, DType)} would alone, and gives their
     * results in request order: a runtime may run them together (one session instead of one each), and one request
     * that fails leaves the others' results as they are.
     */
    default List<Computed> runAll(List<Request> requests) {
        List<Computed> out = new ArrayList<>();
        for (Request r : requests) {
            out.add(runOne(r));
        }
        return out;
    }

    /** {@code request} run alone, its failure kept as its result. */
    default Computed runOne(Request request) {
        try {
            return new Computed.Value(run(request.nodes(), request.feeds(), request.output(), request.outputType()));
        } catch (ModelFailureException | RuntimeException e) {
            return new Computed.Failed(e);
        }
    }

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
