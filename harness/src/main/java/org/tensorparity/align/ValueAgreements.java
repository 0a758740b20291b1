package org.tensorparity.align;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorparity.tensor.Shape;
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
     * TensorSpill}) reads them back on every {@code data()}.
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
            float[] candidate = null;
            for (int i : same) {
                LayerTensor x = a.get(i);
                if (!similarSpread(x.fingerprint(), y.fingerprint())) {
                    continue;
                }
                if (candidate == null) {
                    candidate = y.values().data();
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
                    double d = sampler.distance(candidate, offsets, 3 * agreement(y));
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
     * For each agreement, its difference over every element where its sample could not tell it from a rival (another
     * agreement of one of its tensors, both within {@link #SAME_VALUES} on their samples) but the two tensors'
     * statistics over every element differ, infinite when that is beyond the agreement bound; its sampled difference
     * elsewhere. A MaxPool whose output is only rarely negative and the ReLU after it both agree with a TFLite
     * MAX_POOL_2D with the ReLU fused in, on every sample but not on every element: structure alone preferred the
     * MaxPool (its operator family), and the pair failed on its negative values although the conversion was correct
     * (the DaSiamRPN template fixture at width 0.25, seed 7; the detection one at width 0.125, seed 2).
     */
    private static double[] wholeDistances(List<Agreement> agreements, List<LayerTensor> a, List<LayerTensor> b) {
        int[] closeA = new int[a.size()];
        int[] closeB = new int[b.size()];
        for (Agreement g : agreements) {
            if (g.distance() <= SAME_VALUES) {
                closeA[g.i()]++;
                closeB[g.j()]++;
            }
        }
        double[] distances = new double[agreements.size()];
        for (int k = 0; k < distances.length; k++) {
            Agreement g = agreements.get(k);
            LayerTensor x = a.get(g.i());
            LayerTensor y = b.get(g.j());
            distances[k] = g.distance();
            // Equal values have equal statistics: only a pair whose statistics differ is read whole (basic-pitch's
            // 365 rivalled agreements, copies of each other's values, read 5.7 M elements; 0 with this test).
            if (g.distance() <= SAME_VALUES && (closeA[g.i()] > 1 || closeB[g.j()] > 1)
                    && x.fingerprint().distanceTo(y.fingerprint()) > SAME_VALUES) {
                double whole = ValueSampler.wholeDistance(x.values(), y.values(), g.layout());
                distances[k] = whole <= agreement(y) ? whole : Double.POSITIVE_INFINITY;
            }
        }
        return distances;
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
