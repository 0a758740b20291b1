package org.tensorparity.tensor;

/**
 * A float buffer per thread, reused from call to call: kernels that run thousands of times per verify (a comparison, a
 * permutation) read into it instead of allocating. It grows on demand; a buffer larger than the retained size is
 * handed out once and let go, so that one large tensor does not stay on the heap for the rest of the run.
 */
public final class ThreadBuffer {
    private final int retained;
    private final ThreadLocal<float[]> buffer = ThreadLocal.withInitial(() -> new float[0]);

    /** @param retained the most values a thread keeps between calls */
    public ThreadBuffer(int retained) {
        this.retained = retained;
    }

    /** A buffer of at least {@code n} values: this thread's, or a new one, kept if it holds at most the retained size. */
    public float[] atLeast(int n) {
        float[] b = buffer.get();
        if (b.length < n) {
            b = new float[n];
            if (n <= retained) {
                buffer.set(b);
            }
        }
        return b;
    }

    /**
     * {@code t}'s values in the first {@link Tensor#size()} places: as {@link Tensor#data()} gives them, or read into
     * this buffer when they are {@linkplain Tensor#readsInPlace() read in place}.
     */
    public float[] valuesOf(Tensor t) {
        return t.readsInPlace() ? t.values(atLeast(t.size())) : t.data();
    }
}
