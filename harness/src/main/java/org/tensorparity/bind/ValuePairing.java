package org.tensorparity.bind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/**
 * Outputs that names do not pair and whose shapes fit several counterparts (FLW-Net's three maps of one shape, in
 * another order after a conversion), paired by their values on one run: the closest pair first, and only pairs whose
 * values agree at all. A broken conversion whose values agree with nothing is left to pairing by position, where it
 * fails on its values.
 */
final class ValuePairing {
    /**
     * Relative RMS difference up to which two outputs hold the same values: a correct float conversion differs by about
     * 1e-6, a float16 or int8 one by up to 0.3 (SQNR 10 dB), unrelated tensors of one shape by about 1.4.
     */
    private static final double AGREE = 0.5;
    private static final int SAMPLED = 4096;

    private final Map<String, Tensor> onnx;
    private final Map<String, Tensor> tflite;

    ValuePairing(Map<String, Tensor> onnx, Map<String, Tensor> tflite) {
        this.onnx = onnx;
        this.tflite = tflite;
    }

    private record Candidate(Port onnx, Port tflite, TensorLayout layout, double distance) {
    }

    /** Pairs what values tell apart among the outputs left over, and removes them from the two lists. */
    List<Binding> pair(List<Port> leftOnnx, List<Port> leftTflite) {
        List<Candidate> candidates = new ArrayList<>();
        for (Port a : leftOnnx) {
            for (Port b : leftTflite) {
                Optional<TensorLayout> layout = LayoutGuess.fit(a.shape(), b.shape());
                if (layout.isPresent() && onnx.containsKey(a.name()) && tflite.containsKey(b.name())) {
                    double d = distance(onnx.get(a.name()), layout.get().toReference(tflite.get(b.name()),
                            onnx.get(a.name()).shape()));
                    if (d <= AGREE) {
                        candidates.add(new Candidate(a, b, layout.get(), d));
                    }
                }
            }
        }
        candidates.sort((x, y) -> Double.compare(x.distance(), y.distance()));
        List<Binding> out = new ArrayList<>();
        for (Candidate c : candidates) {
            if (leftOnnx.contains(c.onnx()) && leftTflite.contains(c.tflite())) {
                out.add(new Binding(c.onnx().name(), c.tflite().name(), BindRule.VALUES, c.onnx().shape(),
                        c.layout().kind() == TensorLayout.Kind.PERMUTED ? c.layout().permutation().apply(c.onnx().shape())
                                : c.tflite().shape(), c.layout()));
                leftOnnx.remove(c.onnx());
                leftTflite.remove(c.tflite());
            }
        }
        return out;
    }

    /** Relative RMS difference of two tensors of one shape, on evenly sampled elements. */
    static double distance(Tensor reference, Tensor candidate) {
        float[] a = reference.data();
        float[] b = candidate.data();
        int step = Math.max(1, a.length / SAMPLED);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i += step) {
            if (Float.isFinite(a[i]) && Float.isFinite(b[i])) {
                diff += (a[i] - b[i]) * (double) (a[i] - b[i]);
                norm += a[i] * (double) a[i];
            }
        }
        return norm == 0 ? (diff == 0 ? 0 : Double.POSITIVE_INFINITY) : Math.sqrt(diff / norm);
    }
}
