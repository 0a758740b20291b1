package org.tensorparity.run;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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
import org.tensorparity.compare.BatchNormFold;
import org.tensorparity.compare.QuantizedWeightCheck;
import org.tensorparity.compare.WeightDifference;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * The integer weights a converted operator stores, checked against the weights of the ONNX operator its aligned pair
 * isolates ({@link QuantizedWeightCheck}). Only where the mapping is plain: the pair's TFLite tensor is computed by a
 * CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV or FULLY_CONNECTED (or a reshape or crop of one) whose weights are stored
 * as integer codes, and the ONNX operators run alone for the pair hold one Conv, ConvTranspose, Gemm or MatMul with
 * stored weights, at most an Add of a constant right after it (a bias) and the BatchNormalization after those (folded
 * into the reference); no other operator there may hold a constant of more than one value, which a converter could
 * have folded into the weights too. The converted bias is compared where the ONNX operators add one.
 */
final class StoredWeights {
    private final ModelGraph onnx;
    private final SubgraphRunner runner;
    private final ModelGraph tflite;
    private final Map<String, GraphNode> tfliteProducers;

    StoredWeights(ModelGraph onnx, SubgraphRunner runner, ModelGraph tflite) {
        this.onnx = onnx;
        this.runner = runner;
        this.tflite = tflite;
        this.tfliteProducers = tflite.producers();
    }

    /**
     * A pair's converted kernel operator, the stored tensor its weights are read from, and the one its bias is read
     * from (empty when it adds none; null when its bias is computed, not stored).
     */
    private record Kernel(GraphNode op, String stored, String bias) {
    }

    /**
     * The checks of the pairs whose converted operator stores integer weights, by pair; pairs whose weights or chain do
     * not map are left out. Reads only constants the model holds as integer codes (none in a float model).
     */
    Map<AlignedPair, QuantizedWeightCheck> check(List<AlignedPair> pairs, IsolationPlanner planner,
            RootDiagnosis.Constants constants) throws ModelFailureException {
        Map<AlignedPair, Kernel> kernels = new LinkedHashMap<>();
        for (AlignedPair pair : pairs) {
            kernelOf(pair.tflite()).ifPresent(k -> kernels.put(pair, k));
        }
        Map<AlignedPair, QuantizedWeightCheck> out = new LinkedHashMap<>();
        if (kernels.isEmpty()) {
            return out;
        }
        Set<String> names = new HashSet<>();
        kernels.values().forEach(k -> {
            names.add(k.stored());
            if (k.bias() != null && !k.bias().isEmpty()) {
                names.add(k.bias());
            }
        });
        Map<String, Tensor> stored = constants.read(names);
        // A tensor paired with a TFLite tensor and with its transpose is checked once: the same operators and weights.
        Map<List<String>, Optional<QuantizedWeightCheck>> done = new HashMap<>();
        for (Map.Entry<AlignedPair, Kernel> e : kernels.entrySet()) {
            Tensor w = stored.get(e.getValue().stored());
            if (w == null || w.quantization() == null || w.quantization().storage().isFloatingPoint()
                    || !(planner.plan(e.getKey().onnx()) instanceof IsolationPlan.Isolable plan)) {
                continue;
            }
            List<String> key = List.of(e.getKey().onnx(), e.getValue().op().outputs().get(0));
            Optional<QuantizedWeightCheck> c = done.get(key);
            if (c == null) {
                c = check(plan.nodes().stream().map(i -> onnx.nodes().get(i)).toList(), e.getValue().op(), w,
                        convertedBias(e.getValue(), stored));
                done.put(key, c);
            }
            c.ifPresent(found -> out.put(e.getKey(), found));
        }
        return out;
    }

    /** The kernel operator computing {@code tensor} (through reshapes and crops) when its weights are integer codes. */
    private Optional<Kernel> kernelOf(String tensor) {
        GraphNode op = tfliteProducers.get(tensor);
        while (op != null && KernelLayout.REARRANGING.contains(op.opType()) && !op.inputs().isEmpty()
                && tfliteProducers.get(op.inputs().get(0)) != null) {
            op = tfliteProducers.get(op.inputs().get(0));
        }
        if (op == null || !KernelLayout.KERNELS.contains(op.opType()) || op.inputs().size() < 2) {
            return Optional.empty();
        }
        String stored = storedAs(op.inputs().get(1));
        // TRANSPOSE_CONV reads (output shape, weights, input, bias); the others (input, weights, bias).
        int biasInput = op.opType().equals("TRANSPOSE_CONV") ? 3 : 2;
        String bias = op.inputs().size() <= biasInput || op.inputs().get(biasInput).isEmpty() ? ""
                : storedAs(op.inputs().get(biasInput));
        return tflite.quantizedConstants().contains(stored)
                ? Optional.of(new Kernel(op, stored, bias.isEmpty() || tflite.constants().contains(bias) ? bias : null))
                : Optional.empty();
    }

    /** The stored tensor a TFLite tensor's values come from: itself, or the constant a DEQUANTIZE reads. */
    private String storedAs(String tensor) {
        GraphNode dequantize = tfliteProducers.get(tensor);
        return dequantize != null && dequantize.opType().equals("DEQUANTIZE") && !dequantize.inputs().isEmpty()
                ? dequantize.inputs().get(0) : tensor;
    }

    /** The converted kernel's bias in real values: zeros when it adds none; null when it is not stored. */
    private static float[] convertedBias(Kernel k, Map<String, Tensor> stored) {
        if (k.bias() == null) {
            return null;
        }
        if (k.bias().isEmpty()) {
            return new float[0];
        }
        Tensor b = stored.get(k.bias());
        return b == null ? null : b.asReal().data();
    }

    private Optional<QuantizedWeightCheck> check(List<GraphNode> chain, GraphNode converted, Tensor stored,
            float[] convertedBias) throws ModelFailureException {
        List<GraphNode> weighted = chain.stream().filter(n -> KernelLayout.WEIGHTED.contains(n.opType())).toList();
        if (weighted.size() != 1) {
            return Optional.empty();
        }
        GraphNode main = weighted.get(0);
        Optional<Tensor> onnxW = main.inputs().size() < 2 ? Optional.empty() : runner.weight(main.inputs().get(1));
        if (onnxW.isEmpty()) {
            return Optional.empty();
        }
        String mainOut = main.outputs().get(0);
        GraphNode biasAdd = null;
        for (GraphNode n : chain) {
            if (biasAdd == null && n.opType().equals("Add") && n.inputs().size() == 2 && n.inputs().contains(mainOut)
                    && holdsVector(n)) {
                biasAdd = n;
            }
        }
        String beforeNorm = biasAdd == null ? mainOut : biasAdd.outputs().get(0);
        GraphNode norm = chain.stream().filter(n -> n.opType().equals("BatchNormalization")
                && n.inputs().get(0).equals(beforeNorm)).findFirst().orElse(null);
        for (GraphNode n : chain) {
            if (n != main && n != biasAdd && n != norm && holdsVector(n)) {
                return Optional.empty();
            }
        }
        Shape onnxShape = onnxW.get().shape();
        Permutation outMajor = KernelLayout.outMajor(main, onnxShape.rank(), runner);
        Tensor mapped = inOnnxLayout(converted.opType(), stored.asReal(), outMajor, onnxShape);
        int[] shape = outMajor.apply(onnxShape).dims();
        float[] steps = mapped == null ? null : steps(converted.opType(), stored, shape[0]);
        if (steps == null) {
            return Optional.empty();
        }
        WeightDifference.Weights reference = new WeightDifference.Weights(KernelLayout.inOrder(onnxW.get(), outMajor),
                shape, referenceBias(chain, main, biasAdd, shape[0]));
        if (norm != null) {
            Optional<BatchNormFold> fold = fold(norm, shape[0]);
            if (fold.isEmpty()) {
                return Optional.empty();
            }
            WeightDifference.Weights folded = fold.get().fold(reference);
            reference = new WeightDifference.Weights(folded.kernel(), folded.shape(),
                    reference.bias() == null ? null : folded.bias());
        }
        float[] bias = convertedBias == null || reference.bias() == null ? null
                : convertedBias.length == 0 ? new float[shape[0]] : convertedBias;
        if (bias != null && bias.length != shape[0]) {
            bias = null;
        }
        return QuantizedWeightCheck.of(reference.bias() == null || bias == null
                        ? new WeightDifference.Weights(reference.kernel(), shape, null) : reference,
                new WeightDifference.Weights(KernelLayout.inOrder(mapped, outMajor), shape, bias), steps,
                stored.quantization().storage().name().toLowerCase(Locale.ROOT));
    }

    /**
     * The bias the ONNX operators add to the weighted operator's output: its own (Conv, ConvTranspose and Gemm hold
     * one as input 2) plus an Add of a stored vector right after it; null when it is not known for sure: none of them
     * adds one (the pair's ONNX tensor may then be one the converter's bias is added to later, as a MatMul's output
     * paired with a FULLY_CONNECTED that fuses the Add after it), a Gemm scales it, or operators before the weighted
     * one in the chain may hold constant offsets a converter folds into the bias.
     */
    private float[] referenceBias(List<GraphNode> chain, GraphNode main, GraphNode biasAdd, int channels)
            throws ModelFailureException {
        String data = main.inputs().get(0);
        if (chain.stream().anyMatch(n -> n != main && n.outputs().contains(data))) {
            return null;
        }
        if (main.opType().equals("Gemm") && runner.attribute(main.index(), "beta").orElse(1.0) != 1.0) {
            return null;
        }
        boolean ownBias = !main.opType().equals("MatMul") && main.inputs().size() > 2
                && !main.inputs().get(2).isEmpty();
        if (!ownBias && biasAdd == null) {
            return null;
        }
        float[] bias = new float[channels];
        if (ownBias) {
            Optional<Tensor> own = runner.weight(main.inputs().get(2));
            if (own.isEmpty() || own.get().size() != channels) {
                return null;
            }
            bias = own.get().data().clone();
        }
        if (biasAdd != null) {
            String other = biasAdd.inputs().get(0).equals(main.outputs().get(0)) ? biasAdd.inputs().get(1)
                    : biasAdd.inputs().get(0);
            Optional<Tensor> added = runner.weight(other);
            if (added.isEmpty() || added.get().size() != channels) {
                return null;
            }
            for (int c = 0; c < channels; c++) {
                bias[c] += added.get().data()[c];
            }
        }
        return bias;
    }

    /** A TFLite weight-shaped tensor in the ONNX weight's layout and shape; null when it does not map. */
    private static Tensor inOnnxLayout(String op, Tensor t, Permutation outMajor, Shape onnxShape) {
        Tensor permuted = KernelLayout.toOnnx(op, t, outMajor);
        Tensor fitted = permuted == null ? null : KernelLayout.fit(permuted, onnxShape);
        return fitted == null ? null : Tensor.wrap(DType.FLOAT32, onnxShape, fitted.data());
    }

    /**
     * Each output channel's quantization step; null when the weights are quantized per channel along another axis than
     * the output channels' (DEPTHWISE_CONV_2D holds them last, the other kernels first).
     */
    private static float[] steps(String op, Tensor stored, int channels) {
        Quantization q = stored.quantization();
        int outAxis = op.equals("DEPTHWISE_CONV_2D") ? stored.shape().rank() - 1 : 0;
        if (q.perChannel() && (q.axis() != outAxis || q.channels() != channels)) {
            return null;
        }
        float[] steps = new float[channels];
        for (int c = 0; c < channels; c++) {
            steps[c] = q.scale(q.perChannel() ? c : 0);
        }
        return steps;
    }

    /** Whether an ONNX operator reads a stored float constant (an initializer or a Constant's) of more than one value. */
    private boolean holdsVector(GraphNode n) throws ModelFailureException {
        for (String in : n.inputs()) {
            if (!in.isEmpty()) {
                Optional<Tensor> c = runner.weight(in);
                if (c.isPresent() && c.get().size() > 1) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The BatchNormalization's fold, when its four parameters are stored vectors of {@code channels}. */
    private Optional<BatchNormFold> fold(GraphNode norm, int channels) throws ModelFailureException {
        Map<Integer, float[]> p = new HashMap<>();
        for (int k = 1; k <= 4; k++) {
            Optional<Tensor> t = norm.inputs().size() > k ? runner.weight(norm.inputs().get(k)) : Optional.empty();
            if (t.isEmpty() || t.get().size() != channels) {
                return Optional.empty();
            }
            p.put(k, t.get().data());
        }
        return Optional.of(new BatchNormFold(p.get(1), p.get(2), p.get(3), p.get(4),
                runner.attribute(norm.index(), "epsilon").orElse(1e-5)));
    }
}
