package org.tensorparity.bind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/**
 * Outputs a converter split or merged: one output of one model is the concatenation, along one axis, of several
 * outputs of the other (a face detector's boxes of its 16x16 and 8x8 anchor grids, 512 + 384 = 896 rows). Found from
 * the shapes: parts whose sizes along one axis sum to the whole's, the other dimensions equal under a layout the
 * binder allows. The order of the parts along the axis is the one under which their values agree best with the
 * whole's (on the first sample); a conversion that broke a part then still pairs, and fails on its values.
 */
final class OutputConcatenation {
    /** At most this many parts are ordered by trying every order (720 orders); more keep the ONNX output order. */
    private static final int ORDERED_PARTS = 6;
    /** At most this many left-over outputs are considered as parts (subsets of them are enumerated). */
    private static final int CANDIDATE_PARTS = 12;

    private final Map<String, Tensor> onnx;
    private final Map<String, Tensor> tflite;

    /** One possible part: an output, the size it takes along the axis, and how its values map onto the whole's. */
    private record Part(Port port, int size, TensorLayout layout) {
    }

    /** Parts in order along the axis, and how far their values are from the whole's (relative RMS, worst part). */
    private record Found(Port whole, int axis, List<Part> parts, double distance) {
    }

    /**
     * @param onnx the ONNX model's outputs of one run, by name
     * @param tflite the TFLite model's outputs of the same run, by name
     */
    OutputConcatenation(Map<String, Tensor> onnx, Map<String, Tensor> tflite) {
        this.onnx = onnx;
        this.tflite = tflite;
    }

    /**
     * Pairs what concatenation explains among the outputs left over, and removes them from the two lists: each ONNX
     * output with its part of a TFLite output ({@link BindRule#SPLIT}), or each TFLite output with its part of an
     * ONNX output ({@link BindRule#MERGED}).
     */
    List<Binding> pair(List<Port> leftOnnx, List<Port> leftTflite) {
        List<Binding> out = new ArrayList<>();
        boolean progress = true;
        while (progress) {
            progress = false;
            for (Port whole : List.copyOf(leftTflite)) {
                Optional<Found> f = best(whole, leftOnnx, true);
                if (f.isPresent()) {
                    out.addAll(bindings(f.get(), true));
                    leftTflite.remove(whole);
                    f.get().parts().forEach(p -> leftOnnx.remove(p.port()));
                    progress = true;
                }
            }
            for (Port whole : List.copyOf(leftOnnx)) {
                Optional<Found> f = best(whole, leftTflite, false);
                if (f.isPresent()) {
                    out.addAll(bindings(f.get(), false));
                    leftOnnx.remove(whole);
                    f.get().parts().forEach(p -> leftTflite.remove(p.port()));
                    progress = true;
                }
            }
        }
        return out;
    }

    /**
     * The decomposition of {@code whole} into some of {@code candidates} whose values agree best.
     *
     * @param wholeIsTflite true when the whole is a TFLite output and the parts ONNX outputs (a split)
     */
    private Optional<Found> best(Port whole, List<Port> candidates, boolean wholeIsTflite) {
        if (candidates.size() < 2 || candidates.size() > CANDIDATE_PARTS || whole.shape().isDynamic()) {
            return Optional.empty();
        }
        Found best = null;
        for (int axis = 0; axis < whole.shape().rank(); axis++) {
            List<List<Part>> options = new ArrayList<>();
            for (Port c : candidates) {
                options.add(options(whole.shape(), axis, c, wholeIsTflite));
            }
            for (List<Part> subset : subsets(options, whole.shape().dim(axis))) {
                Found f = ordered(whole, axis, subset, wholeIsTflite);
                if (best == null || f.distance() < best.distance()) {
                    best = f;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** The sizes along {@code axis} under which {@code part} is a slice of the whole, with their layouts. */
    private static List<Part> options(Shape whole, int axis, Port part, boolean wholeIsTflite) {
        List<Part> out = new ArrayList<>();
        if (part.shape().isDynamic()) {
            return out;
        }
        for (int size : part.shape().dims()) {
            if (size <= 0 || size >= whole.dim(axis) || out.stream().anyMatch(p -> p.size() == size)) {
                continue;
            }
            int[] cut = whole.dims();
            cut[axis] = size;
            Shape slice = Shape.of(cut);
            Optional<TensorLayout> layout = wholeIsTflite ? LayoutGuess.fit(part.shape(), slice)
                    : LayoutGuess.fit(slice, part.shape());
            layout.ifPresent(l -> out.add(new Part(part, size, l)));
        }
        return out;
    }

    /** Every choice of at least two parts, one size each, whose sizes sum to {@code total}. */
    private static List<List<Part>> subsets(List<List<Part>> options, int total) {
        List<List<Part>> out = new ArrayList<>();
        collect(options, 0, total, new ArrayList<>(), out);
        return out;
    }

    private static void collect(List<List<Part>> options, int from, int left, List<Part> chosen, List<List<Part>> out) {
        if (left == 0) {
            if (chosen.size() >= 2) {
                out.add(List.copyOf(chosen));
            }
            return;
        }
        if (from == options.size() || left < 0) {
            return;
        }
        collect(options, from + 1, left, chosen, out);
        for (Part p : options.get(from)) {
            chosen.add(p);
            collect(options, from + 1, left - p.size(), chosen, out);
            chosen.remove(chosen.size() - 1);
        }
    }

    /** The order of {@code parts} along the axis under which their values agree best with the whole's. */
    private Found ordered(Port whole, int axis, List<Part> parts, boolean wholeIsTflite) {
        Tensor wholeValue = (wholeIsTflite ? tflite : onnx).get(whole.name());
        Map<String, Double> distances = new HashMap<>();
        List<Part> bestOrder = parts;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (List<Part> order : parts.size() <= ORDERED_PARTS ? permutations(parts) : List.of(parts)) {
            double worst = 0;
            int offset = 0;
            for (Part p : order) {
                int at = offset;
                worst = Math.max(worst, distances.computeIfAbsent(p.port().name() + "@" + at,
                        k -> distance(wholeValue, axis, at, p, wholeIsTflite)));
                offset += p.size();
            }
            if (worst < bestDistance) {
                bestDistance = worst;
                bestOrder = order;
            }
        }
        return new Found(whole, axis, bestOrder, bestDistance);
    }

    /** Relative RMS difference between a part's values and the whole's slice at {@code offset}, on sampled elements. */
    private double distance(Tensor whole, int axis, int offset, Part part, boolean wholeIsTflite) {
        Tensor slice = whole.slice(axis, offset, offset + part.size());
        Tensor partValue = (wholeIsTflite ? onnx : tflite).get(part.port().name());
        // Both in the ONNX layout: the part is the reference for a split, the slice for a merge.
        Tensor reference = wholeIsTflite ? partValue : slice;
        Tensor candidate = wholeIsTflite ? part.layout().toReference(slice, partValue.shape())
                : part.layout().toReference(partValue, slice.shape());
        return ValuePairing.distance(reference, candidate);
    }

    private static List<List<Part>> permutations(List<Part> parts) {
        if (parts.size() <= 1) {
            return List.of(parts);
        }
        List<List<Part>> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            List<Part> rest = new ArrayList<>(parts);
            Part first = rest.remove(i);
            for (List<Part> tail : permutations(rest)) {
                List<Part> order = new ArrayList<>(List.of(first));
                order.addAll(tail);
                out.add(order);
            }
        }
        return out;
    }

    private static List<Binding> bindings(Found f, boolean wholeIsTflite) {
        List<Binding> out = new ArrayList<>();
        int offset = 0;
        for (Part p : f.parts()) {
            int[] cut = f.whole().shape().dims();
            cut[f.axis()] = p.size();
            Shape slice = Shape.of(cut);
            if (wholeIsTflite) {
                out.add(new Binding(p.port().name(), f.whole().name(), BindRule.SPLIT, p.port().shape(), slice, p.layout(),
                        new Slice(Slice.Side.TFLITE, f.axis(), offset, offset + p.size())));
            } else {
                out.add(new Binding(f.whole().name(), p.port().name(), BindRule.MERGED, slice, p.port().shape(), p.layout(),
                        new Slice(Slice.Side.ONNX, f.axis(), offset, offset + p.size())));
            }
            offset += p.size();
        }
        return out;
    }
}
