package org.tensorparity.compare;

import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.PermutedView;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorPermuter;

/**
 * A candidate's values in the reference's order, at reference offsets. When the layouts agree that is the
 * candidate's own array. Otherwise the values are read through the layout permutation range by range (a
 * {@link PermutedView}), so the comparison's one pass reads the candidate once; a whole transposed copy is made
 * only for the rare searches that need values all over the tensor (a tensor holding NaN or infinities, or
 * violations in many stripes). Not thread-safe: one per comparison.
 */
final class AlignedCandidate {
    /** The largest transpose buffer a thread keeps between calls: 1 M floats (4 MB). */
    static final int RETAINED_SCRATCH = 1 << 20;

    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private final Tensor candidate;
    private final Permutation toReference;
    /** Null when the candidate is already in the reference's order. */
    private final PermutedView view;
    /** The values in the reference's order, as one array: the candidate's own, or a copy once one was needed. */
    private float[] whole;

    private AlignedCandidate(Tensor candidate, Permutation toReference) {
        this.candidate = candidate;
        this.toReference = toReference;
        this.view = toReference.isIdentity() ? null : PermutedView.of(candidate, toReference);
        this.whole = view == null ? candidate.data() : null;
    }

    /** {@code candidate}, in the layout {@code toReference} maps back to the reference's. */
    static AlignedCandidate of(Tensor candidate, Permutation toReference) {
        return new AlignedCandidate(candidate, toReference);
    }

    /** The candidate's own array when it is in the reference's order, else null. */
    float[] inPlace() {
        return view == null ? candidate.data() : null;
    }

    /** Writes the values at reference offsets [from, from + length) to {@code dst[0..length)}. */
    void read(int from, float[] dst, int length) {
        if (whole != null) {
            System.arraycopy(whole, from, dst, 0, length);
        } else {
            view.read(from, dst, 0, length);
        }
    }

    /** The value at reference offset {@code i}. */
    float at(int i) {
        return whole != null ? whole[i] : view.get(i);
    }

    /**
     * All values in the reference's order, as one array: the candidate's own, or a transposed copy, in this
     * thread's buffer if it fits (which the next comparison on the thread overwrites).
     */
    float[] whole() {
        if (whole == null) {
            int n = candidate.size();
            float[] buffer = SCRATCH.get();
            if (buffer.length < n) {
                buffer = new float[n];
                if (n <= RETAINED_SCRATCH) {
                    SCRATCH.set(buffer);
                }
            }
            TensorPermuter.permuteInto(candidate.data(), candidate.shape(), toReference, buffer);
            whole = buffer;
        }
        return whole;
    }
}
