package org.tensorparity.align;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;

/**
 * Which ONNX and TFLite activations hold the same values. Every ONNX candidate is compared with every TFLite
 * candidate of the same element count under each layout that fits the two shapes ({@link TensorLayout#fitting}), on
 * a fixed sample of elements ({@link ValueSampler}), then on every element where the sample cannot tell two
 * candidates apart; a pair whose relative RMS difference is at most {@link #AGREEMENT} holds the same values, and is
 * kept when it is about as close as the best either tensor has.
 */
final class ValueAgreements {
    /**
     * Largest relative RMS difference at which two tensors count as holding the same values. Correct float32
     * conversions measure 1e-7 to 1e-4 on the real corpus, float16 weights about 1e-3, 8-bit quantized layers
     * 1e-2 to 1e-1; unrelated tensors of the same shape, and the right values in the wrong layout, measure
     * 0.5 to 1.4. Neighbouring pixels of a real image differ by about 0.1, which is why the closest
     * candidate wins and this bound only keeps unrelated tensors out.
     */
    static final double AGREEMENT = 0.25;
    /**
     * The bound for a quantized TFLite tensor: quantization error accumulates over an integer network, and a
     * badly calibrated int8 layer deep in it differs from its float original by 0.3 to 0.5 (GTCRN-Micro's
     * int8 conversions on real audio) while unrelated tensors stay at 0.8 and above.
     */
    static final double QUANTIZED_AGREEMENT = 0.6;

    /** Two candidates this close in difference (ratio) count as equally close; the structure decides. */
    private static final double TIE_RATIO = 4.0;
    /**
     * A difference this small is float rounding whatever the best candidate's is: the same values computed
     * by another kernel (correct float32 layers measure up to about 1e-5 on the corpus).
     */
    private static final double SAME_VALUES = 1e-4;
    /**
     * Up to this difference, candidates the sample cannot tell apart are told apart on every element: float32 and
     * float16 weights (about 1e-3 on the corpus). Quantized layers (1e-2 and up) are left to the sample and the
     * structure: their rivals are many (GTCRN-Micro's integer conversions would read 13.6 to 17.5 M elements for 430 to
     * 570 agreements), and their own error is of the size that tells rivals apart.
     */
    private static final double WHOLE_BELOW = 4e-3;

    private ValueAgreements() {
    }

    /** The agreements between ONNX candidates {@code a} and TFLite candidates {@code b} that alignment may take. */
    static List<Agreement> of(List<LayerTensor> a, List<LayerTensor> b) {
        List<Agreement> sampled = agreements(a, b);
        return admissible(sampled, wholeDistances(sampled, a, b), a.size(), b.size());
    }

    /** The agreement bound for candidate {@code t}. */
    static double agreement(LayerTensor t) {
        return t.values().quantization() != null ? QUANTIZED_AGREEMENT : AGREEMENT;
    }

    /**
     * Log-scale bucket of a difference: within a factor of {@link #TIE_RATIO}, candidates tie; below {@link
     * #SAME_VALUES} all do.
     */
    static int bucket(double distance) {
        return (int) Math.floor(Math.log(Math.max(distance, SAME_VALUES)) / Math.log(TIE_RATIO));
    }

    /**
     * Every candidate pair whose values agree, with its best layout, ONNX candidate by ONNX candidate. Each TFLite
     * candidate's values are read once, for all the ONNX candidates of its size: a capture kept on disk ({@code
     * TensorSpill}) reads them back on every {@code data()}. Values read in place are sampled where they are.
     */
    private static List<Agreement> agreements(List<LayerTensor> a, List<LayerTensor> b) {
        Map<Long, List<Integer>> bySize = new HashMap<>();
        for (int i = 0; i < a.size(); i++) {
            if (!a.get(i).constantValued()) {
                bySize.computeIfAbsent((long) a.get(i).values().size(), k -> new ArrayList<>()).add(i);
            }
        }
        ValueSampler[] samplers = new ValueSampler[a.size()];
        Map<List<Object>, int[]> offsetCache = new HashMap<>();
        Map<List<Shape>, List<TensorLayout>> layoutCache = new HashMap<>();
        List<Agreement> out = new ArrayList<>();
        for (int j = 0; j < b.size(); j++) {
            LayerTensor y = b.get(j);
            List<Integer> same = bySize.get((long) y.values().size());
            if (same == null || y.constantValued()) {
                continue;
            }
            Tensor candidate = null;
            // The candidate's values at each set of sample offsets, read once for every reference that samples it
            // there: YOLOX-nano's 28,500 sampled distances read only 1,087 such sets.
            Map<int[], float[]> gathered = new IdentityHashMap<>();
            for (int i : same) {
                LayerTensor x = a.get(i);
                if (!similarSpread(x.fingerprint(), y.fingerprint())) {
                    continue;
                }
                if (candidate == null) {
                    // Values spilled to disk are read back once here, for all their samples.
                    candidate = y.values().isStored() && !y.values().readsInPlace()
                            ? Tensor.wrap(DType.FLOAT32, y.shape(), y.values().data()) : y.values();
                }
                if (samplers[i] == null) {
                    samplers[i] = new ValueSampler(x.values());
                }
                ValueSampler sampler = samplers[i];
                List<TensorLayout> fitting = layoutCache.computeIfAbsent(List.of(x.shape(), y.shape()),
                        k -> TensorLayout.fitting(k.get(0), k.get(1)));
                double best = Double.POSITIVE_INFINITY;
                TensorLayout bestLayout = null;
                for (TensorLayout l : fitting) {
                    // Sample positions depend on the reference's shape only: offsets cached by shape serve every
                    // sampler of that shape.
                    int[] offsets = offsetCache.computeIfAbsent(List.of(x.shape(), l), k -> sampler.offsets(x.shape(), l));
                    Tensor values = candidate;
                    float[] sampled = gathered.computeIfAbsent(offsets, o -> ValueSampler.gather(values, o));
                    double d = sampler.distance(sampled, 3 * agreement(y));
                    if (d < best) {
                        best = d;
                        bestLayout = l;
                    }
                }
                if (best <= agreement(y)) {
                    out.add(new Agreement(i, j, best, bestLayout));
                }
            }
        }
        out.sort(Comparator.comparingInt(Agreement::i).thenComparingInt(Agreement::j));
        return out;
    }

    /**
     * For each agreement, its difference over every element where its sample could not tell it from a rival, infinite
     * when that is beyond the agreement bound; its sampled difference elsewhere. Rivals are the agreements of one
     * tensor in the bucket of its closest ({@link #bucket}: among them structure would decide), below {@link
     * #WHOLE_BELOW}, whose other tensors' statistics over every element differ. Equal values have equal statistics, so
     * copies of one value are not read again (without that test, basic-pitch read 5.7 M elements for 365 agreements
     * among copies). A MaxPool whose output is only rarely negative and the ReLU after it both agree with a TFLite
     * MAX_POOL_2D with the ReLU fused in, on every sample but not on every element: structure preferred the MaxPool
     * (its operator family and input), and the pair failed on its negative values although the conversion was correct
     * (the DaSiamRPN fixtures at width 0.25, seed 7, float32 and float16 weights; at width 0.125, seed 2).
     */
    private static double[] wholeDistances(List<Agreement> agreements, List<LayerTensor> a, List<LayerTensor> b) {
        boolean[] whole = new boolean[agreements.size()];
        markRivals(agreements, Agreement::j, g -> a.get(g.i()).fingerprint(), b.size(), whole);
        markRivals(agreements, Agreement::i, g -> b.get(g.j()).fingerprint(), a.size(), whole);
        double[] distances = new double[agreements.size()];
        for (int k = 0; k < distances.length; k++) {
            Agreement g = agreements.get(k);
            distances[k] = g.distance();
            if (whole[k]) {
                LayerTensor y = b.get(g.j());
                double d = ValueSampler.wholeDistance(a.get(g.i()).values(), y.values(), g.layout());
                distances[k] = d <= agreement(y) ? d : Double.POSITIVE_INFINITY;
            }
        }
        return distances;
    }

    /**
     * Marks in {@code whole} the agreements of each tensor ({@code of} gives it, one of {@code count}) that share the
     * bucket of its closest one, when two or more do and their counterparts' statistics ({@code rival}) differ.
     */
    private static void markRivals(List<Agreement> agreements, ToIntFunction<Agreement> of,
            Function<Agreement, TensorFingerprint> rival, int count, boolean[] whole) {
        int[] closest = new int[count];
        Arrays.fill(closest, Integer.MAX_VALUE);
        for (Agreement g : agreements) {
            closest[of.applyAsInt(g)] = Math.min(closest[of.applyAsInt(g)], bucket(g.distance()));
        }
        Map<Integer, List<Integer>> tied = new HashMap<>();
        for (int k = 0; k < agreements.size(); k++) {
            Agreement g = agreements.get(k);
            if (g.distance() <= WHOLE_BELOW && bucket(g.distance()) == closest[of.applyAsInt(g)]) {
                tied.computeIfAbsent(of.applyAsInt(g), t -> new ArrayList<>()).add(k);
            }
        }
        for (List<Integer> group : tied.values()) {
            TensorFingerprint first = rival.apply(agreements.get(group.get(0)));
            if (group.stream().anyMatch(k -> first.distanceTo(rival.apply(agreements.get(k))) > SAME_VALUES)) {
                group.forEach(k -> whole[k] = true);
            }
        }
    }

    /**
     * Keeps the agreements within the agreement bound that are about as close as the best each of their two tensors
     * has, by {@code distances} (one per agreement): a tensor whose true partner is taken (an ONNX Squeeze
     * of a paired LSTM state) must not fall back on the next value that happens to agree loosely (that state's tanh,
     * 0.24 apart).
     */
    private static List<Agreement> admissible(List<Agreement> agreements, double[] distances, int n, int m) {
        double[] bestA = new double[n];
        double[] bestB = new double[m];
        Arrays.fill(bestA, Double.POSITIVE_INFINITY);
        Arrays.fill(bestB, Double.POSITIVE_INFINITY);
        for (int k = 0; k < distances.length; k++) {
            Agreement g = agreements.get(k);
            bestA[g.i()] = Math.min(bestA[g.i()], distances[k]);
            bestB[g.j()] = Math.min(bestB[g.j()], distances[k]);
        }
        List<Agreement> kept = new ArrayList<>();
        for (int k = 0; k < distances.length; k++) {
            Agreement g = agreements.get(k);
            if (distances[k] < Double.POSITIVE_INFINITY && nearBest(distances[k], bestA[g.i()])
                    && nearBest(distances[k], bestB[g.j()])) {
                kept.add(g);
            }
        }
        return kept;
    }

    /** Within {@link #TIE_RATIO} of the best, or below {@link #SAME_VALUES}: what float rounding alone explains. */
    private static boolean nearBest(double distance, double best) {
        return distance <= TIE_RATIO * best + SAME_VALUES;
    }

    /**
     * A cheap test that two tensors could hold the same values, before any element is read: equal values
     * have equal means and spreads whatever their layout. Generous, so that noisy quantized values pass.
     */
    private static boolean similarSpread(TensorFingerprint x, TensorFingerprint y) {
        double spread = x.std() + y.std();
        return Math.abs(x.mean() - y.mean()) <= spread && Math.abs(x.std() - y.std()) <= 0.5 * spread;
    }
}
