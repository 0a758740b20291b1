package org.tensorparity.run;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
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
import org.tensorparity.tensor.TensorPermuter;

/**
 * The integer weights a converted operator stores, checked against the weights of the ONNX operator its aligned pair
 * isolates ({@link QuantizedWeightCheck}). Only where the mapping is plain: the pair's TFLite tensor is computed by a
 * CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV or FULLY_CONNECTED (or a reshape or crop of one) whose weights are stored
 * as integer codes, and the ONNX operators run alone for the pair hold one Conv, ConvTranspose, Gemm or MatMul with
 * stored weights, at most an Add of a constant right after it (a bias) and the BatchNormalization after those (folded
 * into the reference); no other operator there may hold a constant of more than one value, which a converter could
 * have folded into the weights too. The converted bias is compared where the ONNX operators add one, or where the
 * converter fused into the kernel the Add after them.
 *
 * <p>A BatchNormalization the converter kept apart is checked the same way ({@link QuantizedWeightCheck#ofFactors}):
 * the pair's TFLite tensor is computed as {@code x * factor + shift} (a MUL of stored integer factors, then an ADD; or
 * the ADD first) from the very tensor the ONNX BatchNormalization is fed when run alone, the factors and shifts one per
 * channel along that tensor's channel axis, so that they are the BatchNormalization's {@code gamma / sqrt(var + eps)}
 * and {@code beta - mean * gamma / sqrt(var + eps)}, each rounded to its nearest code. Where the pair's ONNX operators
 * are the weighted operator and that BatchNormalization together, and the MUL reads the converted kernel's output (or
 * its crop), both the kernel's weights and the factors are checked. An LSTM's matrices are {@link LstmMatrices}'.
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
     * A pair's converted BatchNormalization kept as elementwise operators: {@code data * factors + shifts}, or
     * {@code (data + shifts) * factors} when {@code shiftFirst}; {@code shifts} null when only the MUL computes the
     * pair's tensor; {@code kernel} the quantized kernel computing {@code data} (through reshapes and crops), or null.
     */
    private record Factors(GraphNode mul, String data, String factors, String shifts, boolean shiftFirst,
            Kernel kernel) {
    }

    /** Where each reference channel's value sits in a converted constant vector; null when it runs elsewhere. */
    @FunctionalInterface
    private interface ChannelIndex {
        int[] of(Tensor vector, int channels);
    }

    /**
     * The checks of the pairs whose converted operator stores integer weights, by pair; pairs whose weights or chain do
     * not map are left out. Reads only constants the model holds as integer codes (none in a float model).
     */
    Map<AlignedPair, QuantizedWeightCheck> check(List<AlignedPair> pairs, IsolationPlanner planner,
            RootDiagnosis.Constants constants) throws ModelFailureException {
        Map<AlignedPair, Kernel> kernels = new LinkedHashMap<>();
        Map<AlignedPair, Factors> factors = new LinkedHashMap<>();
        for (AlignedPair pair : pairs) {
            Optional<Kernel> kernel = kernelOf(pair.tflite());
            if (kernel.isPresent()) {
                kernels.put(pair, kernel.get());
            } else {
                factorsOf(pair.tflite()).ifPresent(f -> factors.put(pair, f));
            }
        }
        Map<AlignedPair, QuantizedWeightCheck> out = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        kernels.values().forEach(k -> {
            names.add(k.stored());
            if (k.bias() != null && !k.bias().isEmpty()) {
                names.add(k.bias());
            }
        });
        factors.values().forEach(f -> {
            names.add(f.factors());
            if (f.shifts() != null) {
                names.add(f.shifts());
            }
            if (f.kernel() != null) {
                names.add(f.kernel().stored());
                if (f.kernel().bias() != null && !f.kernel().bias().isEmpty()) {
                    names.add(f.kernel().bias());
                }
            }
        });
        Map<String, Tensor> stored = names.isEmpty() ? Map.of() : constants.read(names);
        // A tensor paired with a TFLite tensor and with its transpose is checked once: the same operators and weights.
        Map<List<String>, Optional<QuantizedWeightCheck>> done = new HashMap<>();
        for (Map.Entry<AlignedPair, Kernel> e : kernels.entrySet()) {
            Tensor w = stored.get(e.getValue().stored());
            if (!integerCodes(w) || !(planner.plan(e.getKey().onnx()) instanceof IsolationPlan.Isolable plan)) {
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
        for (Map.Entry<AlignedPair, Factors> e : factors.entrySet()) {
            Factors f = e.getValue();
            if (!integerCodes(stored.get(f.factors()))
                    || !(planner.plan(e.getKey().onnx()) instanceof IsolationPlan.Isolable plan)
                    || plan.nodes().isEmpty() || plan.nodes().size() > 2) {
                continue;
            }
            List<String> key = List.of(e.getKey().onnx(), f.mul().outputs().get(0));
            Optional<QuantizedWeightCheck> c = done.get(key);
            if (c == null) {
                List<GraphNode> chain = plan.nodes().stream().map(i -> onnx.nodes().get(i)).toList();
                c = chain.size() == 1 ? check(chain.get(0), plan, f, stored)
                        : checkAfterKernel(chain.get(0), chain.get(1), f, stored);
                done.put(key, c);
            }
            c.ifPresent(found -> out.put(e.getKey(), found));
        }
        out.putAll(new LstmMatrices(onnx, runner, tflite).check(
                pairs.stream().filter(p -> !out.containsKey(p)).toList(), planner, constants));
        return out;
    }

    static boolean integerCodes(Tensor t) {
        return t != null && t.quantization() != null && !t.quantization().storage().isFloatingPoint();
    }

    /** The kernel operator computing {@code tensor} (through reshapes and crops) when its weights are integer codes. */
    private Optional<Kernel> kernelOf(String tensor) {
        GraphNode op = producerThroughRearranging(tensor);
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

    /**
     * The MUL (and ADD) computing {@code tensor} (through reshapes and crops) from one tensor and stored constants, as
     * a converter keeps a BatchNormalization apart.
     */
    private Optional<Factors> factorsOf(String tensor) {
        GraphNode op = producerThroughRearranging(tensor);
        int k = op == null ? -1 : constantInput(op);
        if (k < 0 || !(op.opType().equals("MUL") || op.opType().equals("ADD"))) {
            return Optional.empty();
        }
        String constant = storedAs(op.inputs().get(k));
        String other = op.inputs().get(1 - k);
        GraphNode before = tfliteProducers.get(other);
        int j = before == null ? -1 : constantInput(before);
        if (op.opType().equals("ADD")) {
            return j >= 0 && before.opType().equals("MUL")
                    ? Optional.of(factors(before, before.inputs().get(1 - j), storedAs(before.inputs().get(j)),
                            constant, false))
                    : Optional.empty();
        }
        return j >= 0 && before.opType().equals("ADD")
                ? Optional.of(factors(op, before.inputs().get(1 - j), constant, storedAs(before.inputs().get(j)),
                        true))
                : Optional.of(factors(op, other, constant, null, false));
    }

    private Factors factors(GraphNode mul, String data, String factors, String shifts, boolean shiftFirst) {
        return new Factors(mul, data, factors, shifts, shiftFirst, kernelOf(data).orElse(null));
    }

    private GraphNode producerThroughRearranging(String tensor) {
        GraphNode op = tfliteProducers.get(tensor);
        while (op != null && KernelLayout.REARRANGING.contains(op.opType()) && !op.inputs().isEmpty()
                && tfliteProducers.get(op.inputs().get(0)) != null) {
            op = tfliteProducers.get(op.inputs().get(0));
        }
        return op;
    }

    /** Which of a two-input operator's inputs is a stored constant, when exactly one is; else -1. */
    private int constantInput(GraphNode op) {
        if (op.inputs().size() != 2) {
            return -1;
        }
        boolean first = tflite.constants().contains(storedAs(op.inputs().get(0)));
        boolean second = tflite.constants().contains(storedAs(op.inputs().get(1)));
        return first == second ? -1 : first ? 0 : 1;
    }

    private String storedAs(String tensor) {
        return storedAs(tfliteProducers, tensor);
    }

    /** The stored tensor a TFLite tensor's values come from: itself, or the constant a DEQUANTIZE reads. */
    static String storedAs(Map<String, GraphNode> producers, String tensor) {
        GraphNode dequantize = producers.get(tensor);
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
        float[] referenceBias = referenceBias(chain, main, biasAdd, shape[0]);
        if (referenceBias == null && biasAdd == null && norm == null && convertedBias != null
                && convertedBias.length == shape[0] && !allZero(convertedBias)) {
            referenceBias = fusedBias(main, converted, shape[0]);
        }
        WeightDifference.Weights reference = new WeightDifference.Weights(KernelLayout.inOrder(onnxW.get(), outMajor),
                shape, referenceBias);
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
        WeightDifference.Weights compared = reference.bias() == null || bias == null
                ? new WeightDifference.Weights(reference.kernel(), shape, null) : reference;
        WeightDifference.Weights convertedWeights = new WeightDifference.Weights(
                KernelLayout.inOrder(mapped, outMajor), shape, bias);
        Optional<QuantizedWeightCheck> found = QuantizedWeightCheck.of(compared, convertedWeights, steps,
                storageOf(stored));
        if (found.isPresent() || !converted.opType().equals("FULLY_CONNECTED") || stored.shape().rank() != 2
                || onnxShape.rank() != 2) {
            return found;
        }
        // A matrix in the other order: the stored [out, in] values read as the ONNX matrix with the axes swapped
        // from how they map, and each one's step along with it.
        Tensor stepOf = stepOfEach(stored);
        Tensor other = otherOrder(stored.asReal(), outMajor, onnxShape);
        float[] otherSteps = channelMaxima(KernelLayout.inOrder(otherOrder(stepOf, outMajor, onnxShape), outMajor),
                shape[0]);
        return QuantizedWeightCheck.ofReordered(compared, convertedWeights, steps,
                new WeightDifference.Weights(KernelLayout.inOrder(other, outMajor), shape, null), otherSteps,
                storageOf(stored));
    }

    /**
     * A FULLY_CONNECTED's [out, in] matrix in the ONNX matrix's shape the other way round from {@link
     * KernelLayout#toOnnx}: as it is held where that transposes it, transposed where that does not.
     */
    private static Tensor otherOrder(Tensor fc, Permutation outMajor, Shape onnxShape) {
        Tensor t = outMajor.isIdentity() ? TensorPermuter.permute(fc, Permutation.of(1, 0)) : fc;
        return Tensor.wrap(DType.FLOAT32, onnxShape, t.data());
    }

    /** A tensor of {@code codes}' shape holding each value's quantization step. */
    private static Tensor stepOfEach(Tensor codes) {
        Quantization q = codes.quantization();
        float[] steps = new float[codes.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = q.scale(q.channelOf(i, codes.shape()));
        }
        return Tensor.wrap(DType.FLOAT32, codes.shape(), steps);
    }

    /** The largest of each of {@code channels} equal runs of {@code values}. */
    private static float[] channelMaxima(float[] values, int channels) {
        int n = values.length / channels;
        float[] max = new float[channels];
        for (int c = 0; c < channels; c++) {
            for (int i = c * n; i < (c + 1) * n; i++) {
                max[c] = Math.max(max[c], values[i]);
            }
        }
        return max;
    }

    /**
     * A BatchNormalization's check against the converted factors and shifts; empty unless the operator run alone is
     * that BatchNormalization, fed the tensor the converted MUL (or ADD) reads, and its parameters and the converted
     * constants run along the channel axis.
     */
    private Optional<QuantizedWeightCheck> check(GraphNode norm, IsolationPlan.Isolable plan, Factors f,
            Map<String, Tensor> stored) throws ModelFailureException {
        if (!norm.opType().equals("BatchNormalization") || norm.inputs().isEmpty()) {
            return Optional.empty();
        }
        AlignedPair fed = plan.feeds().stream().filter(feed -> feed.onnx().equals(norm.inputs().get(0))
                        && feed.source() == IsolationPlan.Source.CANDIDATE && feed.pair().tflite().equals(f.data()))
                .map(IsolationPlan.Feed::pair).findFirst().orElse(null);
        if (fed == null || fed.onnxShape().rank() < 2) {
            return Optional.empty();
        }
        return factorCheck(norm, fed.onnxShape().dim(1), f, stored, (v, c) -> indexByChannel(v, fed, c), true);
    }

    /**
     * The check of a weighted operator and the BatchNormalization after it, run alone together, against the converted
     * kernel that computes the MUL's input (through a crop or a reshape) and the MUL and ADD: the kernel's weights as
     * {@link #check(List, GraphNode, Tensor, float[])} checks them without a fold, its output channels, last in the
     * converted layout, the factors' and shifts'. The shifts are compared only where no bias could have been folded
     * into them: the ONNX operator holds none, and the converted kernel's is absent or zero. Reports the kernel's check
     * unless only the factors or shifts differ; empty when the kernel's layout is not confirmed.
     */
    private Optional<QuantizedWeightCheck> checkAfterKernel(GraphNode main, GraphNode norm, Factors f,
            Map<String, Tensor> stored) throws ModelFailureException {
        Kernel k = f.kernel();
        if (k == null || !KernelLayout.WEIGHTED.contains(main.opType()) || !norm.opType().equals("BatchNormalization")
                || !norm.inputs().get(0).equals(main.outputs().get(0)) || !integerCodes(stored.get(k.stored()))) {
            return Optional.empty();
        }
        Optional<QuantizedWeightCheck> weights = check(List.of(main), k.op(), stored.get(k.stored()), null);
        if (weights.isEmpty()) {
            return weights;
        }
        boolean ownBias = !main.opType().equals("MatMul") && main.inputs().size() > 2
                && !main.inputs().get(2).isEmpty();
        float[] convertedBias = convertedBias(k, stored);
        boolean noBias = !ownBias && convertedBias != null && allZero(convertedBias);
        Optional<QuantizedWeightCheck> factors = factorCheck(norm, weights.get().channels(), f, stored,
                StoredWeights::alongLastAxis, noBias);
        return factors.isEmpty() || weights.get().differs() || !factors.get().differs() ? weights : factors;
    }

    private static boolean allZero(float[] values) {
        for (float v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The BatchNormalization's folded factors and shifts against the converted constants, found per channel by
     * {@code index}; the shifts only when {@code compareShifts}.
     */
    private Optional<QuantizedWeightCheck> factorCheck(GraphNode norm, int channels, Factors f,
            Map<String, Tensor> stored, ChannelIndex index, boolean compareShifts) throws ModelFailureException {
        Optional<BatchNormFold> fold = fold(norm, channels);
        Tensor factors = stored.get(f.factors());
        int[] factorAt = index.of(factors, channels);
        if (fold.isEmpty() || factorAt == null) {
            return Optional.empty();
        }
        int[] shape = {channels, 1};
        float[] ones = new float[channels];
        Arrays.fill(ones, 1f);
        WeightDifference.Weights reference = fold.get().fold(new WeightDifference.Weights(ones, shape, null));
        float[] converted = new float[channels];
        float[] steps = stepsAt(factors, factorAt);
        for (int c = 0; c < channels; c++) {
            converted[c] = factors.data()[factorAt[c]];
        }
        Tensor shifts = f.shifts() == null || !compareShifts ? null : stored.get(f.shifts());
        int[] shiftAt = shifts == null ? null : index.of(shifts, channels);
        if (shiftAt == null) {
            return Optional.of(QuantizedWeightCheck.ofFactors(
                    new WeightDifference.Weights(reference.kernel(), shape, null),
                    new WeightDifference.Weights(converted, shape, null), steps, null, storageOf(factors)));
        }
        float[] referenceShifts = reference.bias().clone();
        float[] convertedShifts = new float[channels];
        for (int c = 0; c < channels; c++) {
            convertedShifts[c] = shifts.data()[shiftAt[c]];
            if (f.shiftFirst()) {
                // (x + shift) * factor: the shift is the BatchNormalization's divided by its factor.
                if (reference.kernel()[c] == 0) {
                    return Optional.empty();
                }
                referenceShifts[c] /= reference.kernel()[c];
            }
        }
        return Optional.of(QuantizedWeightCheck.ofFactors(
                new WeightDifference.Weights(reference.kernel(), shape, referenceShifts),
                new WeightDifference.Weights(converted, shape, convertedShifts), steps,
                integerCodes(shifts) ? stepsAt(shifts, shiftAt) : null, storageOf(factors)));
    }

    /**
     * For a kernel's output, whose channels are its last axis: each channel's index in {@code vector} when it is one
     * value or runs along its own last axis only, with one value per channel; else null.
     */
    private static int[] alongLastAxis(Tensor vector, int channels) {
        if (vector == null) {
            return null;
        }
        int[] at = new int[channels];
        if (vector.size() == 1) {
            return at;
        }
        Shape v = vector.shape();
        if (vector.size() != channels || v.dim(v.rank() - 1) != channels) {
            return null;
        }
        for (int c = 0; c < channels; c++) {
            at[c] = c;
        }
        return at;
    }

    static String storageOf(Tensor codes) {
        return codes.quantization().storage().name().toLowerCase(Locale.ROOT);
    }

    /** The quantization step of each of {@code codes}' values at {@code at}. */
    private static float[] stepsAt(Tensor codes, int[] at) {
        Quantization q = codes.quantization();
        float[] steps = new float[at.length];
        for (int c = 0; c < at.length; c++) {
            steps[c] = q.scale(q.channelOf(at[c], codes.shape()));
        }
        return steps;
    }

    /**
     * For each reference channel, the index of the value of {@code vector} that the converted elementwise operator
     * applies to it, when {@code vector} (one value, or one axis of {@code channels} values broadcast against the
     * converted tensor {@code fed} pairs) runs along the channel axis (1) of the reference tensor under the pair's
     * layout; null when it runs along another or is shaped otherwise.
     */
    private static int[] indexByChannel(Tensor vector, AlignedPair fed, int channels) {
        if (vector == null || fed.layout() == null) {
            return null;
        }
        int[] at = new int[channels];
        if (vector.size() == 1) {
            return at;
        }
        Shape converted = fed.tfliteShape();
        Shape v = vector.shape();
        if (v.rank() > converted.rank()) {
            return null;
        }
        int axis = -1;
        for (int d = 0; d < v.rank(); d++) {
            if (v.dim(d) != 1) {
                if (axis >= 0) {
                    return null;
                }
                axis = d + converted.rank() - v.rank();
            }
        }
        if (vector.size() != channels || axis < 0 || converted.dim(axis) != channels) {
            return null;
        }
        // Each reference element holds its channel; laid out as the converted tensor, each position along the
        // vector's axis must hold one channel only, and every channel one position.
        Shape reference = fed.onnxShape();
        float[] channelOf = new float[(int) reference.elementCount()];
        long inner = reference.elementCount() / ((long) reference.dim(0) * channels);
        for (int i = 0; i < channelOf.length; i++) {
            channelOf[i] = (int) ((i / inner) % channels);
        }
        float[] laidOut = fed.layout().fromReference(Tensor.wrap(DType.FLOAT32, reference, channelOf), converted)
                .data();
        Arrays.fill(at, -1);
        long within = 1;
        for (int d = axis + 1; d < converted.rank(); d++) {
            within *= converted.dim(d);
        }
        for (int i = 0; i < laidOut.length; i++) {
            int position = (int) ((i / within) % channels);
            int c = (int) laidOut[i];
            if (at[c] == -1) {
                at[c] = position;
            } else if (at[c] != position) {
                return null;
            }
        }
        boolean[] taken = new boolean[channels];
        for (int position : at) {
            if (position == -1 || taken[position]) {
                return null;
            }
            taken[position] = true;
        }
        return at;
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

    /**
     * The bias of an ONNX MatMul (or a Conv without one) that a converter fused into the kernel from the Add after it,
     * outside the pair's isolated operators: the stored vector of the Add that alone reads the operator's output; null
     * when there is none, when the operator has a bias of its own, or when the converted kernel's output (or a reshape
     * of it) is read by an ADD or SUB of a constant, which may hold the bias or part of it. Only asked when the converted kernel's bias is
     * stored and nonzero: a kernel without one leaves the Add to an operator of its own.
     */
    private float[] fusedBias(GraphNode main, GraphNode converted, int channels) throws ModelFailureException {
        boolean ownBias = !main.opType().equals("MatMul") && main.inputs().size() > 2
                && !main.inputs().get(2).isEmpty();
        String out = main.outputs().get(0);
        List<GraphNode> readers = onnx.nodes().stream().filter(n -> n.inputs().contains(out)).toList();
        if (ownBias || readers.size() != 1 || !readers.get(0).opType().equals("Add")
                || readers.get(0).inputs().size() != 2) {
            return null;
        }
        Optional<float[]> added = KernelLayout.biasAddedAfter(onnx, runner, out, channels);
        if (added.isEmpty()) {
            return null;
        }
        Deque<String> pending = new ArrayDeque<>(converted.outputs());
        while (!pending.isEmpty()) {
            String t = pending.pop();
            for (GraphNode n : tflite.nodes()) {
                if (!n.inputs().contains(t)) {
                    continue;
                }
                if ((n.opType().equals("ADD") || n.opType().equals("SUB")) && constantInput(n) >= 0) {
                    return null;
                }
                if (KernelLayout.REARRANGING.contains(n.opType())) {
                    pending.addAll(n.outputs());
                }
            }
        }
        return added.get().clone();
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
    static float[] steps(String op, Tensor stored, int channels) {
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

    private boolean holdsVector(GraphNode n) throws ModelFailureException {
        return holdsVector(runner, n);
    }

    /** Whether an ONNX operator reads a stored float constant (an initializer or a Constant's) of several values. */
    static boolean holdsVector(SubgraphRunner runner, GraphNode n) throws ModelFailureException {
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
