package org.tensorparity.align;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pair score of {@link TensorAligner}, with every per-tensor feature computed once up front so that
 * scoring a cell of the dynamic programme is a handful of array reads: shape keys as sorted dimensions
 * with a hash for quick rejection, operator families and name keys as small integers.
 */
final class PairScorer {
    static final double FULL_SHAPE = 1.0;
    static final double PARTIAL_SHAPE = 0.35;
    static final double SAME_OP = 0.3;
    static final double SAME_NAME = 0.6;
    static final double VALUES = 1.0;
    static final double FUSED_PENALTY = 0.6;
    static final double MIN_INTERIOR_CLOSENESS = 0.5;
    private static final double MIN_SCORE = 0.05;

    private final Side a;
    private final Side b;

    /** One graph's features, indexed like its candidate list. */
    private static final class Side {
        final int[][] dims;
        final int[] dimsHash;
        final int[] rank;
        final int[] channel;
        final int[] lastDim;
        final int[] family;
        final int[][] names;
        final double[] mean;
        final double[] std;
        final double[] min;
        final double[] max;
        final double[] scale;
        final boolean[] interior;

        Side(List<LayerTensor> tensors, boolean groupHead, Map<String, Integer> ids) {
            int n = tensors.size();
            dims = new int[n][];
            dimsHash = new int[n];
            rank = new int[n];
            channel = new int[n];
            lastDim = new int[n];
            family = new int[n];
            names = new int[n][];
            mean = new double[n];
            std = new double[n];
            min = new double[n];
            max = new double[n];
            scale = new double[n];
            interior = new boolean[n];
            for (int i = 0; i < n; i++) {
                LayerTensor t = tensors.get(i);
                int[] d = t.shape().dims();
                rank[i] = d.length;
                channel[i] = d.length > 1 ? d[1] : -1;
                lastDim[i] = d.length > 0 ? d[d.length - 1] : -1;
                Arrays.sort(d);
                dims[i] = d;
                dimsHash[i] = Arrays.hashCode(d);
                family[i] = ids.computeIfAbsent(OpFamily.of(groupHead ? t.groupOp() : t.opType()), k -> ids.size());
                names[i] = t.nameKeys().stream().mapToInt(k -> ids.computeIfAbsent("name:" + k, x -> ids.size())).toArray();
                TensorFingerprint f = t.fingerprint();
                mean[i] = f.mean();
                std[i] = f.std();
                min[i] = f.min();
                max[i] = f.max();
                scale[i] = Math.max(Math.max(Math.abs(f.min()), Math.abs(f.max())), 1e-30);
                interior[i] = t.fusionInterior();
            }
        }
    }

    PairScorer(List<LayerTensor> onnx, List<LayerTensor> tflite) {
        Map<String, Integer> ids = new HashMap<>();
        this.a = new Side(onnx, true, ids);
        this.b = new Side(tflite, false, ids);
    }

    /** True when ONNX tensor {@code i} and TFLite tensor {@code j} hold the same dimensions in some order. */
    boolean fullShape(int i, int j) {
        return a.dimsHash[i] == b.dimsHash[j] && Arrays.equals(a.dims[i], b.dims[j]);
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
        double d = (Math.abs(a.mean[i] - b.mean[j]) + Math.abs(a.std[i] - b.std[j]) + Math.abs(a.min[i] - b.min[j])
                + Math.abs(a.max[i] - b.max[j])) / (4 * a.scale[i]);
        return 1.0 / (1.0 + 300.0 * d);
    }

    /** The score of pairing ONNX {@code i} with TFLite {@code j}; 0 when the pair is not admissible. */
    double score(int i, int j) {
        boolean full = fullShape(i, j);
        if (!full && !partialShape(i, j)) {
            return 0;
        }
        double s = full ? FULL_SHAPE : PARTIAL_SHAPE;
        if (sameFamily(i, j)) {
            s += SAME_OP;
        }
        if (sharesName(i, j)) {
            s += SAME_NAME;
        }
        double closeness = closeness(i, j);
        s += VALUES * closeness * (full ? 1.0 : 0.5);
        if (a.interior[i]) {
            if (closeness < MIN_INTERIOR_CLOSENESS) {
                return 0;
            }
            s -= FUSED_PENALTY;
        }
        return Math.max(s, MIN_SCORE);
    }
}
