package org.tensorparity.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.NodeEdit;
import org.tensorparity.compare.BatchNormFold;
import org.tensorparity.compare.DiagnosisKind;
import org.tensorparity.compare.WeightDifference;
import org.tensorparity.compare.WeightGrids;
import org.tensorparity.result.Diagnosis;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.text.ShortName;
import org.tensorparity.text.ShortNumber;

/**
 * The weight hypotheses of a diagnosis: the TFLite model's own weights and bias fed, in ONNX layout, to the ONNX operator
 * that holds them (a BatchNorm the converter folded neutralised on the ONNX side, a crop or reshape after the operator
 * looked through, an added constant replaced), and, when they reproduce, how the two weight tensors differ
 * ({@link WeightDifference}), refined to an epsilon or an int8 scale where that explains it.
 */
final class WeightHypotheses {
    /** ONNX operators that only re-shape their first input's values. */

    /**
     * The largest epsilon a converter plausibly folds a BatchNorm with: frameworks' defaults run from 1e-5 (PyTorch,
     * ONNX) to 1e-3 (Keras). Where a BatchNorm has few channels, one channel scaled is also what some huge epsilon
     * gives (37.8 for one of GTCRN-Micro's two output channels scaled x1.5): that is a scaling.
     */
    private static final double MAX_EPSILON = 1e-2;

    private final DiagnosisRun run;

    WeightHypotheses(DiagnosisRun run) {
        this.run = run;
    }

    /**
     * The TFLite model's weights fed to the ONNX operator that holds them; empty when they do not reproduce or do
     * not apply (the reason is in {@link DiagnosisRun#tested}).
     */
    Optional<Diagnosis> weights(List<GraphNode> chain) throws ModelFailureException {
        GraphNode converted = run.producer(run.pair.tflite());
        if (converted == null) {
            run.tested.add("TFLite weights: no TFLite operator computes " + ShortName.quoted(run.pair.tflite()));
            return Optional.empty();
        }
        // A crop or a reshape of the weighted operator's output (onnx2tf crops a TRANSPOSE_CONV's padded output with
        // a STRIDED_SLICE) computes nothing of its own: the weights are the operator's before it.
        while (KernelLayout.REARRANGING.contains(converted.opType()) && !converted.inputs().isEmpty()
                && run.producer(converted.inputs().get(0)) != null) {
            converted = run.producer(converted.inputs().get(0));
        }
        GraphNode main = chain.stream().filter(n -> KernelLayout.WEIGHTED.contains(n.opType())).findFirst().orElse(null);
        if (main != null && KernelLayout.KERNELS.contains(converted.opType())) {
            return kernel(chain, main, converted);
        }
        GraphNode add = chain.stream().filter(n -> n.opType().equals("Add")).findFirst().orElse(null);
        if (add != null && converted.opType().equals("ADD")) {
            return addedConstant(add, converted);
        }
        GraphNode norm = chain.stream().filter(n -> n.opType().equals("BatchNormalization")).findFirst().orElse(null);
        if (main == null && norm != null && (converted.opType().equals("ADD") || converted.opType().equals("MUL"))) {
            return decomposedNorm(norm, converted);
        }
        run.tested.add("TFLite weights: " + converted.opType() + " holds no weights tensor-parity maps onto ONNX "
                + String.join(", ", chain.stream().map(GraphNode::opType).distinct().toList()));
        return Optional.empty();
    }

    private Optional<Diagnosis> kernel(List<GraphNode> chain, GraphNode main, GraphNode converted)
            throws ModelFailureException {
        String what = "TFLite " + converted.opType() + " weights in ONNX " + DiagnosisRun.named(main);
        Optional<Tensor> onnxW = run.runner.weight(main.inputs().get(1));
        if (onnxW.isEmpty()) {
            run.tested.add(what + ": the ONNX weight " + ShortName.quoted(main.inputs().get(1)) + " is computed, not stored");
            return Optional.empty();
        }
        Map<String, Tensor> tfl = run.tfliteValues(converted.inputs().subList(1, converted.inputs().size()));
        Tensor stored = tfl.get(converted.inputs().get(1));
        Tensor tW = stored == null ? null : stored.asReal();
        if (tW == null) {
            run.tested.add(what + ": the TFLite weight " + ShortName.quoted(converted.inputs().get(1)) + " is not stored");
            return Optional.empty();
        }
        // TRANSPOSE_CONV reads (output shape, weights, input, bias); the others (input, weights, bias).
        int biasInput = converted.opType().equals("TRANSPOSE_CONV") ? 3 : 2;
        Tensor tB = converted.inputs().size() > biasInput && tfl.get(converted.inputs().get(biasInput)) != null
                ? tfl.get(converted.inputs().get(biasInput)).asReal() : null;
        Shape onnxShape = onnxW.get().shape();
        Permutation outMajor = KernelLayout.outMajor(main, onnxShape.rank(), run.runner);
        Tensor inOnnxLayout = KernelLayout.toOnnx(converted.opType(), tW, outMajor);
        Tensor mapped = inOnnxLayout == null ? null : KernelLayout.fit(inOnnxLayout, onnxShape);
        ChannelRange part = null;
        if (mapped == null && inOnnxLayout != null && outMajor.isIdentity()) {
            part = sliced(chain, main, onnxShape.rank(), onnxShape.dim(0)).orElse(null);
            Tensor own = part == null ? null : KernelLayout.fit(inOnnxLayout, part.of(onnxShape));
            mapped = own == null ? null : Tensor.wrap(onnxW.get().dtype(), onnxShape,
                    part.embed(onnxW.get().data(), own.data()));
            what += part == null ? "" : " (its output channels " + part.start() + " to " + (part.end() - 1) + ")";
        }
        if (mapped == null) {
            run.tested.add(what + ": TFLite weights " + tW.shape() + " do not map onto ONNX " + onnxShape);
            return Optional.empty();
        }
        mapped = Tensor.wrap(onnxW.get().dtype(), onnxShape, mapped.data());
        int channels = onnxShape.dim(outMajor.axis(0));
        int convertedChannels = part == null ? channels : part.size();
        if (tB != null && tB.size() != convertedChannels) {
            run.tested.add(what + ": TFLite bias of " + tB.size() + " values for " + convertedChannels
                    + " output channels");
            return Optional.empty();
        }
        float[] tBias = tB == null ? new float[convertedChannels] : tB.data();
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put(main.inputs().get(1), mapped);
        List<NodeEdit> edits = new ArrayList<>();
        String onnxBiasName = main.opType().equals("MatMul") ? null : main.inputs().size() > 2 ? main.inputs().get(2) : null;
        GraphNode biasAdd = null;
        if (main.opType().equals("MatMul")) {
            biasAdd = chain.stream().filter(n -> n.opType().equals("Add") && n.inputs().contains(main.outputs().get(0)))
                    .findFirst().orElse(null);
            onnxBiasName = biasAdd == null ? null
                    : biasAdd.inputs().stream().filter(i -> !i.equals(main.outputs().get(0))).findFirst().orElse(null);
        }
        Tensor onnxBias = onnxBiasName == null ? null : run.runner.weight(onnxBiasName).orElse(null);
        if (onnxBiasName != null && (onnxBias == null || onnxBias.size() != channels)) {
            run.tested.add(what + ": the ONNX bias " + ShortName.quoted(onnxBiasName) + " is not a stored vector of "
                    + channels);
            return Optional.empty();
        }
        if (part != null) {
            if (onnxBias == null && maxAbs(tBias) > 0) {
                run.tested.add(what + ": the TFLite layer adds a bias the ONNX operator has no place for");
                return Optional.empty();
            }
            tBias = part.embed(onnxBias == null ? new float[channels] : onnxBias.data(), tBias);
        }
        String mainOut = biasAdd == null ? main.outputs().get(0) : biasAdd.outputs().get(0);
        DiagnosisRun.AddedBias added = null;
        GraphNode norm = chain.stream().filter(n -> n.opType().equals("BatchNormalization")
                && n.inputs().get(0).equals(mainOut)).findFirst().orElse(null);
        if (norm != null && part != null) {
            run.tested.add(what + ": a BatchNormalization after part of the ONNX operator's channels is not mapped");
            return Optional.empty();
        }
        int[] shape = outMajor.apply(onnxShape).dims();
        float[] onnxKernel = KernelLayout.inOrder(onnxW.get(), outMajor);
        WeightDifference.Weights referenceWeights = new WeightDifference.Weights(onnxKernel, shape,
                onnxBias == null ? new float[channels] : onnxBias.data());
        BatchNormFold fold = null;
        if (norm != null) {
            // The TFLite kernel holds the BatchNormalization folded in: the ONNX one is made the identity (epsilon 0,
            // unit variance and scale, zero mean) and adds the TFLite bias, and the reference is folded to compare.
            List<Tensor> bn = new ArrayList<>();
            for (int k = 1; k <= 4; k++) {
                Optional<Tensor> p = run.runner.weight(norm.inputs().get(k));
                if (p.isEmpty() || p.get().size() != channels) {
                    run.tested.add(what + ": the BatchNormalization's parameters are not stored vectors of " + channels);
                    return Optional.empty();
                }
                bn.add(p.get());
            }
            fold = new BatchNormFold(bn.get(0).data(), bn.get(1).data(), bn.get(2).data(), bn.get(3).data(),
                    run.runner.attribute(norm.index(), "epsilon").orElse(1e-5));
            referenceWeights = fold.fold(referenceWeights);
            if (onnxBiasName != null) {
                feeds.put(onnxBiasName, Tensor.wrap(onnxBias.dtype(), onnxBias.shape(), new float[channels]));
            }
            feeds.put(norm.inputs().get(1), filled(bn.get(0), 1));
            feeds.put(norm.inputs().get(2), Tensor.wrap(bn.get(1).dtype(), bn.get(1).shape(), tBias.clone()));
            feeds.put(norm.inputs().get(3), filled(bn.get(2), 0));
            feeds.put(norm.inputs().get(4), filled(bn.get(3), 1));
            edits.add(new NodeEdit.FloatAttribute(norm.index(), "epsilon", 0f));
            what += " (its BatchNormalization folded in)";
        } else if (onnxBiasName != null) {
            feeds.put(onnxBiasName, Tensor.wrap(onnxBias.dtype(), onnxBias.shape(), tBias.clone()));
        } else if (maxAbs(tBias) > 0) {
            if (!run.pair.onnx().equals(main.outputs().get(0))) {
                run.tested.add(what + ": the TFLite layer adds a bias the ONNX operators have no place for");
                return Optional.empty();
            }
            // The ONNX operator's own output is paired with a TFLite layer that adds a bias: the ONNX bias, if any, is
            // added by an Add after it, outside the isolated operators (or was dropped).
            added = new DiagnosisRun.AddedBias(tBias, main.opType().startsWith("Conv") ? 1 : run.onnxValue(run.pair.onnx()).shape().rank() - 1);
            referenceWeights = new WeightDifference.Weights(onnxKernel, shape,
                    KernelLayout.biasAddedAfter(run.onnx.graph(), run.runner, main.outputs().get(0), channels).orElse(new float[channels]));
            what += " plus the TFLite bias";
        }
        DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(what, feeds, edits, added));
        if (!o.reproduced()) {
            return Optional.empty();
        }
        float[] convertedKernel = KernelLayout.inOrder(mapped, outMajor);
        if (part != null) {
            // Only the converted operator's own channels are compared: the others were the reference's.
            referenceWeights = part.cut(referenceWeights);
            WeightDifference.Weights own = part.cut(new WeightDifference.Weights(convertedKernel, shape, tBias));
            convertedKernel = own.kernel();
            tBias = own.bias();
            shape = own.shape();
            channels = part.size();
        }
        String counted = part == null ? ""
                : " (counted from channel " + part.start() + " of " + DiagnosisRun.named(main) + ", whose channels "
                        + part.start() + " to " + (part.end() - 1) + " the converter computes apart)";
        Quantization q = stored.quantization();
        if (q != null && (!q.perChannel() || q.channels() == channels)) {
            // Weights are quantized along their output channels, whichever axis holds them in the TFLite layout.
            float[] scales = new float[channels];
            for (int c = 0; c < channels; c++) {
                scales[c] = q.scale(q.perChannel() ? c : 0);
            }
            Optional<WeightDifference.Found> quantized = WeightGrids.ofQuantized(referenceWeights, convertedKernel,
                    scales, q.storage().name().toLowerCase(Locale.ROOT));
            if (quantized.isEmpty()) {
                quantized = WeightDifference.ofQuantizedTranspose(referenceWeights, convertedKernel, scales,
                        q.storage().name().toLowerCase(Locale.ROOT));
            }
            if (quantized.isPresent()) {
                return Optional.of(run.found(quantized.get().kind(), quantized.get().detail() + counted, o.error()));
            }
        }
        WeightDifference.Found f = WeightDifference.of(referenceWeights,
                new WeightDifference.Weights(convertedKernel, shape, tBias));
        if (f.kind() == DiagnosisKind.SCALE && fold != null) {
            Optional<Diagnosis> epsilon = epsilonFromWeights(norm, fold, onnxKernel, convertedKernel);
            if (epsilon.isPresent()) {
                return epsilon;
            }
        }
        if (f.kind() == DiagnosisKind.WEIGHTS_OTHER && fold != null) {
            // A change made to the ONNX operator before its BatchNormalization (its channels swapped, its kernel
            // rounded) shows in its own weights, once the TFLite ones are unfolded by the same BatchNormalization.
            WeightDifference.Weights unfolded = fold.unfold(new WeightDifference.Weights(convertedKernel, shape, tBias));
            Optional<WeightDifference.Found> before = unfolded == null ? Optional.empty()
                    : Optional.of(WeightDifference.of(new WeightDifference.Weights(onnxKernel, shape,
                            onnxBias == null ? null : onnxBias.data()), unfolded))
                            .filter(b -> b.kind() != DiagnosisKind.WEIGHTS_OTHER);
            if (before.isPresent()) {
                return Optional.of(run.found(before.get().kind(), before.get().detail() + " (in " + DiagnosisRun.named(main)
                        + ", before its BatchNormalization)", o.error()));
            }
        }
        return Optional.of(run.found(f.kind(), f.detail() + counted, o.error()));
    }

    /**
     * The epsilon that folds the ONNX BatchNormalization into the TFLite kernel's per-channel factors (their median
     * over channels), tested alone with the ONNX weights: every channel scaled as one other epsilon explains is that
     * epsilon, not a scaling, when the epsilon is one a converter could have used ({@link #MAX_EPSILON}).
     */
    private Optional<Diagnosis> epsilonFromWeights(GraphNode norm, BatchNormFold fold, float[] unfolded,
            float[] folded) throws ModelFailureException {
        java.util.OptionalDouble implied = fold.impliedEpsilon(unfolded, folded);
        if (implied.isEmpty() || implied.getAsDouble() > MAX_EPSILON) {
            return Optional.empty();
        }
        float eps = (float) implied.getAsDouble();
        double current = run.runner.attribute(norm.index(), "epsilon").orElse(1e-5);
        String words = DiagnosisRun.named(norm) + " with epsilon " + ShortNumber.format(eps)
                + " (what the TFLite kernel's channel factors imply)";
        DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(words, Map.of(), List.of(new NodeEdit.FloatAttribute(norm.index(), "epsilon", eps))));
        return o.reproduced() ? Optional.of(run.found(DiagnosisKind.EPSILON, String.format(Locale.ROOT,
                "BatchNormalization folded with epsilon %s where ONNX has %s", ShortNumber.format(eps),
                ShortNumber.format(current)), o.error())) : Optional.empty();
    }

    /**
     * A BatchNormalization the converter computes as a MUL by one constant and an ADD of another (onnx2tf does), paired
     * with the ADD or with the MUL before it: the ONNX one made {@code x * m + a} (or {@code x * m}) with the TFLite
     * constants, and, when that reproduces, its own factor and shift compared with them.
     */
    private Optional<Diagnosis> decomposedNorm(GraphNode norm, GraphNode converted) throws ModelFailureException {
        String what = "TFLite MUL and ADD constants as the factor and shift of ONNX " + DiagnosisRun.named(norm);
        boolean atAdd = converted.opType().equals("ADD");
        GraphNode mul = converted;
        GraphNode add = converted;
        if (atAdd) {
            String scaled = converted.inputs().stream().filter(i -> !isConstant(i)).findFirst().orElse(null);
            mul = scaled == null ? null : run.producer(scaled);
        } else {
            List<GraphNode> readers = run.tflite.graph().readersOf(converted.outputs().get(0));
            add = readers.size() == 1 ? readers.get(0) : null;
        }
        Tensor factor = mul == null || !mul.opType().equals("MUL") ? null : constantOf(mul);
        Tensor shift = add == null || !add.opType().equals("ADD") ? null : constantOf(add);
        if (shift == null || factor == null) {
            run.tested.add(what + ": the TFLite " + converted.opType()
                    + " is not a MUL by a constant and an ADD of one");
            return Optional.empty();
        }
        List<Tensor> bn = new ArrayList<>();
        for (int k = 1; k <= 4; k++) {
            Optional<Tensor> p = norm.inputs().size() > k ? run.runner.weight(norm.inputs().get(k)) : Optional.empty();
            if (p.isEmpty()) {
                run.tested.add(what + ": its parameters are not stored");
                return Optional.empty();
            }
            bn.add(p.get());
        }
        int channels = bn.get(0).size();
        // Vectors along one axis map by their order alone, whatever axis each layout puts them on.
        if (shift.size() != channels || factor.size() != channels || KernelLayout.nonUnitAxes(shift.shape()) > 1
                || KernelLayout.nonUnitAxes(factor.shape()) > 1) {
            run.tested.add(what + ": TFLite constants of " + factor.size() + " and " + shift.size() + " values for "
                    + channels + " channels");
            return Optional.empty();
        }
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put(norm.inputs().get(1), Tensor.wrap(bn.get(0).dtype(), bn.get(0).shape(), factor.data().clone()));
        // Paired with the MUL, the TFLite tensor is the BatchNormalization's output before its shift.
        feeds.put(norm.inputs().get(2), atAdd ? Tensor.wrap(bn.get(1).dtype(), bn.get(1).shape(), shift.data().clone())
                : filled(bn.get(1), 0));
        feeds.put(norm.inputs().get(3), filled(bn.get(2), 0));
        feeds.put(norm.inputs().get(4), filled(bn.get(3), 1));
        DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(what, feeds,
                List.of(new NodeEdit.FloatAttribute(norm.index(), "epsilon", 0f))));
        if (!o.reproduced()) {
            return Optional.empty();
        }
        BatchNormFold fold = new BatchNormFold(bn.get(0).data(), bn.get(1).data(), bn.get(2).data(), bn.get(3).data(),
                run.runner.attribute(norm.index(), "epsilon").orElse(1e-5));
        float[] identity = new float[channels];
        Arrays.fill(identity, 1f);
        int[] shape = {channels, 1};
        WeightDifference.Found f = WeightDifference.of(fold.fold(new WeightDifference.Weights(identity, shape, null)),
                new WeightDifference.Weights(factor.data(), shape, shift.data()));
        if (f.kind() == DiagnosisKind.SCALE) {
            Optional<Diagnosis> epsilon = epsilonFromWeights(norm, fold, identity, factor.data());
            if (epsilon.isPresent()) {
                return epsilon;
            }
        }
        return Optional.of(run.found(f.kind(), f.detail(), o.error()));
    }

    /** Whether a TFLite tensor is a constant: stored in the file, or a DEQUANTIZE of one. */
    private boolean isConstant(String tensor) {
        return run.tflite.graph().constants().contains(tensor)
                || (run.producer(tensor) != null && run.producer(tensor).opType().equals("DEQUANTIZE"));
    }

    /** The value of the first constant input of a TFLite operator, in float; null when it has none. */
    private Tensor constantOf(GraphNode op) throws ModelFailureException {
        List<String> constants = op.inputs().stream().filter(this::isConstant).toList();
        Map<String, Tensor> values = run.tfliteValues(constants);
        return constants.stream().map(values::get).filter(t -> t != null).findFirst().map(Tensor::asReal).orElse(null);
    }

    /** The TFLite ADD's constant in place of the ONNX Add's. */
    private Optional<Diagnosis> addedConstant(GraphNode add, GraphNode converted) throws ModelFailureException {
        String onnxName = null;
        Tensor onnxC = null;
        for (String in : add.inputs()) {
            Optional<Tensor> w = run.runner.weight(in);
            if (w.isPresent()) {
                onnxName = in;
                onnxC = w.get();
            }
        }
        // The constant input: stored in the file, or a DEQUANTIZE of one (not the activation the ADD adds it to).
        Tensor tC = constantOf(converted);
        String what = "TFLite ADD constant in ONNX " + DiagnosisRun.named(add);
        if (onnxC == null || tC == null) {
            run.tested.add(what + ": " + (onnxC == null ? "the ONNX Add adds no stored constant" : "the TFLite ADD adds no stored constant"));
            return Optional.empty();
        }
        // A vector along one axis maps by its order alone, whatever axis each layout puts it on.
        if (tC.size() != onnxC.size() || KernelLayout.nonUnitAxes(tC.shape()) > 1
                || KernelLayout.nonUnitAxes(onnxC.shape()) > 1) {
            run.tested.add(what + ": TFLite " + tC.shape() + " does not map onto ONNX " + onnxC.shape());
            return Optional.empty();
        }
        Tensor mapped = Tensor.wrap(onnxC.dtype(), onnxC.shape(), tC.data().clone());
        DiagnosisRun.Outcome o = run.test(new DiagnosisRun.Hypothesis(what, Map.of(onnxName, mapped), List.of()));
        if (!o.reproduced()) {
            return Optional.empty();
        }
        WeightDifference.Found f = WeightDifference.ofOffset(onnxC.data(), mapped.data());
        return Optional.of(run.found(f.kind(), f.detail(), o.error()));
    }

    /**
     * The output channels {@code [start, end)} of an ONNX operator that a converter computes as an operator of its own:
     * a Conv whose output a Slice cuts into parts along the channel axis, each part a TFLite CONV_2D holding only its
     * channels' weights (silero-vad's STFT, 258 channels as two of 129).
     */
    record ChannelRange(int start, int end) {
        int size() {
            return end - start;
        }

        /** {@code full} with its output channels (its first axis) cut to this range. */
        Shape of(Shape full) {
            int[] dims = full.dims().clone();
            dims[0] = size();
            return Shape.of(dims);
        }

        /** The values of {@code full}, output channels first, with this range's channels replaced by {@code part}. */
        float[] embed(float[] full, float[] part) {
            int block = part.length / size();
            float[] out = full.clone();
            System.arraycopy(part, 0, out, start * block, part.length);
            return out;
        }

        /** This range's channels of {@code w}. */
        WeightDifference.Weights cut(WeightDifference.Weights w) {
            int block = w.perChannel();
            int[] shape = w.shape().clone();
            shape[0] = size();
            return new WeightDifference.Weights(
                    java.util.Arrays.copyOfRange(w.kernel(), start * block, end * block), shape,
                    w.bias() == null ? null : java.util.Arrays.copyOfRange(w.bias(), start, end));
        }
    }

    /**
     * The channel range the Slices in {@code chain} cut from {@code main}'s output (axis 1, step 1, constant bounds),
     * if they do; a Slice that keeps the whole of another axis (PyTorch exports {@code x[:, :129]} as one on axis 0 and
     * one on axis 1) is looked through.
     */
    private Optional<ChannelRange> sliced(List<GraphNode> chain, GraphNode main, int rank, int channels)
            throws ModelFailureException {
        String current = main.outputs().get(0);
        ChannelRange range = null;
        for (GraphNode n : chain) {
            if (!n.opType().equals("Slice") || !n.inputs().get(0).equals(current)) {
                continue;
            }
            // Opset 10 and later read the bounds as inputs (starts, ends, axes, steps); before, as attributes.
            boolean asInputs = n.inputs().size() > 2;
            Optional<List<Long>> starts = asInputs ? longs(n.inputs().get(1)) : run.runner.ints(n.index(), "starts");
            Optional<List<Long>> ends = asInputs ? longs(n.inputs().get(2)) : run.runner.ints(n.index(), "ends");
            Optional<List<Long>> axes = n.inputs().size() > 3 ? longs(n.inputs().get(3))
                    : asInputs ? Optional.of(List.of(0L)) : run.runner.ints(n.index(), "axes");
            Optional<List<Long>> steps = n.inputs().size() > 4 ? longs(n.inputs().get(4)) : Optional.of(List.of(1L));
            if (starts.isEmpty() || ends.isEmpty() || axes.isEmpty() || steps.isEmpty() || starts.get().size() != 1
                    || ends.get().size() != 1 || axes.get().size() != 1 || steps.get().get(0) != 1) {
                return Optional.empty();
            }
            long axis = axes.get().get(0) < 0 ? axes.get().get(0) + rank : axes.get().get(0);
            long start = starts.get().get(0);
            long end = ends.get().get(0);
            if (axis != 1) {
                // "From the start to INT_MAX" or more keeps the whole axis, whatever its size.
                if (start != 0 || end < Integer.MAX_VALUE) {
                    return Optional.empty();
                }
            } else {
                end = Math.min(end, channels);
                if (range != null || start < 0 || end <= start) {
                    return Optional.empty();
                }
                range = new ChannelRange((int) start, (int) end);
            }
            current = n.outputs().get(0);
        }
        return Optional.ofNullable(range);
    }

    /** A small stored integer vector's values (a Slice's bounds). */
    private Optional<List<Long>> longs(String name) {
        long[] values = run.onnx.graph().integerConstants().get(name);
        return values == null ? Optional.empty() : Optional.of(java.util.Arrays.stream(values).boxed().toList());
    }

    private static Tensor filled(Tensor like, float value) {
        float[] v = new float[like.size()];
        java.util.Arrays.fill(v, value);
        return Tensor.wrap(like.dtype(), like.shape(), v);
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
