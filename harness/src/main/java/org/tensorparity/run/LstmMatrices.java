package org.tensorparity.run;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.align.AlignedPair;
import org.tensorparity.align.IsolationPlan;
import org.tensorparity.align.IsolationPlanner;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.compare.QuantizedWeightCheck;
import org.tensorparity.compare.WeightDifference;
import org.tensorparity.tensor.Tensor;

/**
 * An ONNX LSTM's stored matrices checked against the integer weights of the cell a converter unrolls
 * ({@link StoredWeights} checks the other kernels): the pairs whose isolated ONNX operators hold one forward LSTM and
 * no other stored vector, against the TFLite FULLY_CONNECTED operators of a cell unrolled as Keras writes it, its
 * input and recurrent matrices [4 * hidden, input] and [4 * hidden, hidden], the gates in Keras' order (input, forget,
 * cell, output) where ONNX holds them as (input, output, forget, cell). Each ONNX matrix is checked against the one
 * FULLY_CONNECTED of its shape with integer weights that the rule confirms (the fewest rows off), so that two LSTMs of
 * one size each find their own; the pair reports the input matrix's check unless only the recurrent one differs. On
 * DTLN model_1's dynamic-range conversion all four matrices are within 0.5 steps.
 */
final class LstmMatrices {
    /** ONNX's LSTM gate blocks (i, o, f, c) in the order Keras holds them (i, f, c, o). */
    private static final int[] KERAS_GATES = {0, 2, 3, 1};

    private final ModelGraph onnx;
    private final SubgraphRunner runner;
    private final ModelGraph tflite;
    private final Map<String, GraphNode> producers;

    LstmMatrices(ModelGraph onnx, SubgraphRunner runner, ModelGraph tflite) {
        this.onnx = onnx;
        this.runner = runner;
        this.tflite = tflite;
        this.producers = tflite.producers();
    }

    /** The checks of {@code pairs} whose isolated operators hold one LSTM whose matrices map; the others left out. */
    Map<AlignedPair, QuantizedWeightCheck> check(List<AlignedPair> pairs, IsolationPlanner planner,
            RootDiagnosis.Constants constants) throws ModelFailureException {
        Map<AlignedPair, GraphNode> cells = new LinkedHashMap<>();
        for (AlignedPair pair : pairs) {
            if (planner.plan(pair.onnx()) instanceof IsolationPlan.Isolable plan) {
                List<GraphNode> chain = plan.nodes().stream().map(i -> onnx.nodes().get(i)).toList();
                List<GraphNode> lstms = chain.stream().filter(n -> n.opType().equals("LSTM")).toList();
                boolean othersHoldVectors = false;
                for (GraphNode n : chain) {
                    othersHoldVectors |= !lstms.contains(n) && StoredWeights.holdsVector(runner, n);
                }
                if (lstms.size() == 1 && !othersHoldVectors) {
                    cells.put(pair, lstms.get(0));
                }
            }
        }
        Map<AlignedPair, QuantizedWeightCheck> out = new LinkedHashMap<>();
        if (cells.isEmpty()) {
            return out;
        }
        Set<String> matrices = new HashSet<>();
        for (GraphNode n : tflite.nodes()) {
            if (n.opType().equals("FULLY_CONNECTED") && n.inputs().size() > 1) {
                String w = StoredWeights.storedAs(producers, n.inputs().get(1));
                if (tflite.quantizedConstants().contains(w)) {
                    matrices.add(w);
                }
            }
        }
        Map<String, Tensor> stored = matrices.isEmpty() ? Map.of() : constants.read(matrices);
        Map<GraphNode, Optional<QuantizedWeightCheck>> done = new HashMap<>();
        for (Map.Entry<AlignedPair, GraphNode> e : cells.entrySet()) {
            Optional<QuantizedWeightCheck> c = done.get(e.getValue());
            if (c == null) {
                c = check(e.getValue(), stored.values());
                done.put(e.getValue(), c);
            }
            c.ifPresent(found -> out.put(e.getKey(), found));
        }
        return out;
    }

    private Optional<QuantizedWeightCheck> check(GraphNode lstm, Collection<Tensor> matrices)
            throws ModelFailureException {
        if (lstm.inputs().size() < 3) {
            return Optional.empty();
        }
        Optional<Tensor> w = runner.weight(lstm.inputs().get(1));
        Optional<Tensor> r = runner.weight(lstm.inputs().get(2));
        if (w.isEmpty() || r.isEmpty() || w.get().shape().rank() != 3 || w.get().shape().dim(0) != 1
                || r.get().shape().rank() != 3 || r.get().shape().dim(0) != 1 || w.get().shape().dim(1) % 4 != 0) {
            return Optional.empty();
        }
        Optional<QuantizedWeightCheck> input = matrixCheck(kerasOrder(w.get()), matrices);
        Optional<QuantizedWeightCheck> recurrent = matrixCheck(kerasOrder(r.get()), matrices);
        if (input.isEmpty() || recurrent.isEmpty()) {
            return input.isEmpty() ? recurrent : input;
        }
        return !input.get().differs() && recurrent.get().differs() ? recurrent : input;
    }

    /** An ONNX LSTM matrix [1, 4 * hidden, n] as Keras' [4 * hidden, n], gate blocks reordered. */
    private static WeightDifference.Weights kerasOrder(Tensor onnxMatrix) {
        int rows = onnxMatrix.shape().dim(1);
        int cols = onnxMatrix.shape().dim(2);
        int block = rows / 4 * cols;
        float[] from = onnxMatrix.data();
        float[] to = new float[from.length];
        for (int g = 0; g < 4; g++) {
            System.arraycopy(from, KERAS_GATES[g] * block, to, g * block, block);
        }
        return new WeightDifference.Weights(to, new int[] {rows, cols}, null);
    }

    /**
     * The check of {@code reference} against the integer matrix of its shape the rule confirms with the fewest rows
     * off; empty when none does.
     */
    private static Optional<QuantizedWeightCheck> matrixCheck(WeightDifference.Weights reference,
            Collection<Tensor> matrices) {
        QuantizedWeightCheck best = null;
        for (Tensor m : matrices) {
            if (m.shape().rank() != 2 || m.shape().dim(0) != reference.shape()[0]
                    || m.shape().dim(1) != reference.shape()[1] || !StoredWeights.integerCodes(m)) {
                continue;
            }
            float[] steps = StoredWeights.steps("FULLY_CONNECTED", m, reference.channels());
            if (steps == null) {
                continue;
            }
            Optional<QuantizedWeightCheck> c = QuantizedWeightCheck.of(reference,
                    new WeightDifference.Weights(m.asReal().data(), reference.shape(), null), steps,
                    StoredWeights.storageOf(m));
            if (c.isPresent() && (best == null || c.get().channelsOff() < best.channelsOff())) {
                best = c.get();
            }
        }
        return Optional.ofNullable(best);
    }
}
