package org.tensorparity.align;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The structural score of pairing an ONNX with a TFLite tensor, for tensors whose values agree with
 * nothing (see {@link TensorAligner}), and the structural facts alignment's tie-breaks use. Every
 * per-tensor feature is computed once up front, so that scoring a pair is a handful of array reads:
 * shapes as sorted non-unit dimensions, operator families and name keys as small integers.
 *
 * <p>Score parts, weighed in {@link AlignmentWeights}: the same dimensions up to layout and unit axes, or the same rank
 * and channel count with other spatial sizes ({@link AlignmentWeights#BROKEN_SHAPE}), anything else inadmissible;
 * the operator family of the fusion chain's head equals the TFLite operator's; a normalized name or fused-name part
 * in common; closeness of the layout-invariant value statistics.
 */
final class PairScorer {
    private final Side a;
    private final Side b;

    /** One graph's features, indexed like its candidate list. */
    private static final class Side {
        final int[][] coreDims;
        final int[] coreHash;
        final int[] rank;
        final int[] channel;
        final int[] lastDim;
        final int[] family;
        final int[][] names;
        final TensorFingerprint[] fingerprint;
        final double[] scale;

        Side(List<LayerTensor> tensors, boolean groupHead, Map<String, Integer> ids) {
            int n = tensors.size();
            coreDims = new int[n][];
            coreHash = new int[n];
            rank = new int[n];
            channel = new int[n];
            lastDim = new int[n];
            family = new int[n];
            names = new int[n][];
            fingerprint = new TensorFingerprint[n];
            scale = new double[n];
            for (int i = 0; i < n; i++) {
                LayerTensor t = tensors.get(i);
                int[] d = t.shape().dims();
                rank[i] = d.length;
                channel[i] = d.length > 1 ? d[1] : -1;
                lastDim[i] = d.length > 0 ? d[d.length - 1] : -1;
                int[] core = Arrays.stream(d).filter(x -> x != 1).sorted().toArray();
                coreDims[i] = core;
                coreHash[i] = Arrays.hashCode(core);
                family[i] = ids.computeIfAbsent(OpFamily.of(groupHead ? t.groupOp() : t.opType()), k -> ids.size());
                names[i] = t.nameKeys().stream().mapToInt(k -> ids.computeIfAbsent("name:" + k, x -> ids.size())).toArray();
                TensorFingerprint f = t.fingerprint();
                fingerprint[i] = f;
                scale[i] = Math.max(Math.max(Math.abs(f.min()), Math.abs(f.max())), 1e-30);
            }
        }
    }

    PairScorer(List<LayerTensor> onnx, List<LayerTensor> tflite) {
        Map<String, Integer> ids = new HashMap<>();
        this.a = new Side(onnx, true, ids);
        this.b = new Side(tflite, false, ids);
    }

    /** True when ONNX tensor {@code i} and TFLite tensor {@code j} hold the same non-unit dimensions in some order. */
    boolean fullShape(int i, int j) {
        return a.coreHash[i] == b.coreHash[j] && Arrays.equals(a.coreDims[i], b.coreDims[j]);
    }

    /** Same rank and channel count (ONNX axis 1 against TFLite axis 1 or last) and operator family. */
    boolean partialShape(int i, int j) {
        return a.rank[i] == b.rank[j] && a.rank[i] >= 3 && a.family[i] == b.family[j]
                && (a.channel[i] == b.channel[j] || a.channel[i] == b.lastDim[j]);
    }

    boolean sameFamily(int i, int j) {
        return a.family[i] == b.family[j];
    }

    boolean sharesName(int i, int j) {
        for (int x : a.names[i]) {
            for (int y : b.names[j]) {
                if (x == y) {
                    return true;
                }
            }
        }
        return false;
    }

    /** 1 for identical value statistics, falling towards 0 as they part (see {@link TensorFingerprint}). */
    double closeness(int i, int j) {
        TensorFingerprint x = a.fingerprint[i];
        TensorFingerprint y = b.fingerprint[j];
        double d = (Math.abs(x.mean() - y.mean()) + Math.abs(x.std() - y.std()) + Math.abs(x.min() - y.min())
                + Math.abs(x.max() - y.max())) / (4 * a.scale[i]);
        return 1.0 / (1.0 + AlignmentWeights.STATISTICS_FALLOFF * d);
    }

    /** The score of pairing ONNX {@code i} with TFLite {@code j} by structure; 0 when the pair is not admissible. */
    double score(int i, int j) {
        boolean full = fullShape(i, j);
        if (!full && !partialShape(i, j)) {
            return 0;
        }
        double s = full ? AlignmentWeights.SHAPE : AlignmentWeights.BROKEN_SHAPE;
        if (sameFamily(i, j)) {
            s += AlignmentWeights.OPERATOR;
        }
        if (sharesName(i, j)) {
            s += AlignmentWeights.NAME;
        }
        double statisticsShare = full ? 1.0 : AlignmentWeights.BROKEN_SHAPE_STATISTICS;
        return s + AlignmentWeights.STATISTICS * closeness(i, j) * statisticsShare;
    }
}
