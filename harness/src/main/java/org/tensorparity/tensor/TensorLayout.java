package org.tensorparity.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How a converted tensor holds its reference's values: the reference's axes permuted, and then the result
 * seen under the converted tensor's own shape. The second step moves no value: it only adds or drops unit
 * axes (a converter's EXPAND_DIMS, SQUEEZE or RESHAPE around a unit axis) or, for {@link Kind#FLAT},
 * re-cuts the same row-major sequence into other dimensions.
 *
 * @param permutation numpy {@code transpose} axes over the reference's rank: axis {@code i} of the permuted
 *     reference is reference axis {@code permutation.axis(i)}
 * @param kind how the converted shape relates to the permuted reference shape
 */
public record TensorLayout(Permutation permutation, Kind kind) {

    /** How the converted shape relates to the permuted reference shape. */
    public enum Kind {
        /** The converted shape is the permuted reference shape. */
        PERMUTED,
        /** The converted shape is the permuted reference shape with unit axes added or removed. */
        UNIT_AXES,
        /** Same element count in the same row-major order, cut into other dimensions. */
        FLAT
    }

    /**
     * Equal when both the permutation and the kind are.
     *
     * <p>Written out, not generated: a record's generated equals and hashCode are assembled from method handles
     * on their first call ({@code java.lang.runtime.ObjectMethods}), which spins classes at run time; in a
     * one-second verify that kept the JIT compiling the JDK's bytecode generator. With this record, {@code Port},
     * {@code AlignedPair} and the aligner's {@code Agreement} written out, a layer-by-layer verify of the
     * full-size DaSiamRPN detection pair took 0.91x the wall time (docs/performance.md).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof TensorLayout other && Objects.equals(permutation, other.permutation) && kind == other.kind;
    }

    @Override
    public int hashCode() {
        return Objects.hash(permutation, kind);
    }

    /** Most layouts one pair of shapes can have; only tensors with many equal dimensions reach it. */
    private static final int MAX_LAYOUTS = 24;

    /** The reference values unchanged. */
    public static TensorLayout identity(int rank) {
        return new TensorLayout(Permutation.identity(rank), Kind.PERMUTED);
    }

    /** An exact permutation: the converted shape is {@code permutation.apply(reference shape)}. */
    public static TensorLayout permuted(Permutation permutation) {
        return new TensorLayout(permutation, Kind.PERMUTED);
    }

    /** True for the identity permutation with no reshaping at all. */
    public boolean isIdentity() {
        return kind == Kind.PERMUTED && permutation.isIdentity();
    }

    /**
     * {@code candidate}'s values under the permuted reference shape, with no copy: what a comparison with
     * {@link #permutation()} expects.
     */
    public Tensor view(Tensor candidate, Shape referenceShape) {
        Shape permuted = permutation.apply(referenceShape);
        return candidate.shape().equals(permuted) ? candidate : candidate.reshape(permuted);
    }

    /**
     * The reference's values laid out as the converted tensor holds them: permuted, then seen under
     * {@code candidateShape} (which must hold as many values).
     */
    public Tensor fromReference(Tensor reference, Shape candidateShape) {
        Tensor permuted = TensorPermuter.permute(reference, permutation);
        return permuted.shape().equals(candidateShape) ? permuted : permuted.reshape(candidateShape);
    }

    /** The converted tensor's values in the reference's layout and shape: the inverse of {@link #fromReference}. */
    public Tensor toReference(Tensor candidate, Shape referenceShape) {
        return TensorPermuter.permute(view(candidate, referenceShape), permutation.inverse());
    }

    /**
     * Every layout under which a tensor of {@code candidate} shape can hold the values of a tensor of
     * {@code reference} shape, preferred first: identity, then channels moved last (NCHW to NHWC), then
     * the other permutations in lexicographic order. Unit axes carry no values, so two permutations that
     * differ only in where unit axes go count as one. {@link Kind#FLAT} is offered only when no
     * permutation fits but the element counts agree. Empty when the element counts differ.
     */
    public static List<TensorLayout> fitting(Shape reference, Shape candidate) {
        if (reference.isDynamic() || candidate.isDynamic() || reference.elementCount() != candidate.elementCount()) {
            return List.of();
        }
        int[] refCore = coreAxes(reference);
        int[] candCore = coreAxes(candidate);
        List<TensorLayout> out = new ArrayList<>();
        if (refCore.length == candCore.length) {
            boolean sameUnits = reference.rank() == candidate.rank();
            List<int[]> mappings = new ArrayList<>();
            mapCore(reference, candidate, refCore, candCore, new int[candCore.length], new boolean[refCore.length], 0,
                    mappings);
            for (int[] mapping : mappings) {
                int[] axes = sameUnits ? inPlace(reference, candidate, refCore, candCore, mapping)
                        : unitsFirst(reference, refCore, mapping);
                out.add(new TensorLayout(Permutation.of(axes), sameUnits ? Kind.PERMUTED : Kind.UNIT_AXES));
            }
        }
        if (out.isEmpty()) {
            out.add(new TensorLayout(Permutation.identity(reference.rank()), Kind.FLAT));
        }
        out.sort((a, b) -> Arrays.compare(preference(a.permutation), preference(b.permutation)));
        return out.size() > MAX_LAYOUTS ? List.copyOf(out.subList(0, MAX_LAYOUTS)) : List.copyOf(out);
    }

    /** Axes whose dimension is not 1. */
    private static int[] coreAxes(Shape shape) {
        return Arrays.stream(indices(shape.rank())).filter(a -> shape.dim(a) != 1).toArray();
    }

    private static int[] indices(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    /** Every way of assigning each converted core axis a reference core axis of the same size. */
    private static void mapCore(Shape ref, Shape cand, int[] refCore, int[] candCore, int[] current, boolean[] used,
            int depth, List<int[]> out) {
        if (out.size() >= MAX_LAYOUTS) {
            return;
        }
        if (depth == candCore.length) {
            out.add(current.clone());
            return;
        }
        int wanted = cand.dim(candCore[depth]);
        for (int k = 0; k < refCore.length; k++) {
            if (!used[k] && ref.dim(refCore[k]) == wanted) {
                used[k] = true;
                current[depth] = k;
                mapCore(ref, cand, refCore, candCore, current, used, depth + 1, out);
                used[k] = false;
            }
        }
    }

    /** Same rank: unit axes of the converted tensor take the reference's unit axes in order. */
    private static int[] inPlace(Shape ref, Shape cand, int[] refCore, int[] candCore, int[] mapping) {
        int[] axes = new int[ref.rank()];
        int[] refUnits = Arrays.stream(indices(ref.rank())).filter(a -> ref.dim(a) == 1).toArray();
        int nextUnit = 0;
        int nextCore = 0;
        for (int i = 0; i < cand.rank(); i++) {
            if (nextCore < candCore.length && candCore[nextCore] == i) {
                axes[i] = refCore[mapping[nextCore++]];
            } else {
                axes[i] = refUnits[nextUnit++];
            }
        }
        return axes;
    }

    /** Other rank: the reference's unit axes first, in order, then its core axes as the converted tensor orders them. */
    private static int[] unitsFirst(Shape ref, int[] refCore, int[] mapping) {
        int[] axes = new int[ref.rank()];
        int i = 0;
        for (int a = 0; a < ref.rank(); a++) {
            if (ref.dim(a) == 1) {
                axes[i++] = a;
            }
        }
        for (int k : mapping) {
            axes[i++] = refCore[k];
        }
        return axes;
    }

    /** Sort key: identity, then channels last, then lexicographic. */
    private static int[] preference(Permutation p) {
        int rank = p.rank();
        int[] key = new int[rank + 1];
        if (p.isIdentity()) {
            key[0] = 0;
        } else if (rank >= 3 && p.equals(channelsLast(rank))) {
            key[0] = 1;
        } else {
            key[0] = 2;
        }
        System.arraycopy(p.axes(), 0, key, 1, rank);
        return key;
    }

    /** {@code (0,2,...,rank-1,1)}: axis 1 (channels) moved last. */
    public static Permutation channelsLast(int rank) {
        int[] axes = new int[rank];
        for (int i = 1; i < rank - 1; i++) {
            axes[i] = i + 1;
        }
        if (rank > 1) {
            axes[rank - 1] = 1;
        }
        return Permutation.of(axes);
    }

    /** {@code (0,2,3,1)}, {@code (0,1,2) unit axes reshaped} or {@code flat order}, for reports. */
    @Override
    public String toString() {
        return switch (kind) {
            case PERMUTED -> permutation.toString();
            case UNIT_AXES -> permutation + " unit axes reshaped";
            case FLAT -> "flat order";
        };
    }
}
