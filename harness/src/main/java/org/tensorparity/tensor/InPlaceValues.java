package org.tensorparity.tensor;

import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Float values read in place from memory a runtime owns (a TFLite interpreter's arena after a run that preserved every
 * tensor), for as long as their {@link Lease} holds. Copying a deep network's capture to the heap doubled what it held:
 * YOLOX-nano's 214 MB of TFLite intermediates were in the arena and on the heap at once, at the run's peak
 * (docs/performance.md, "Deep real networks").
 *
 * <p>A read after the lease ended fails with {@link IllegalStateException} instead of reading memory the runtime freed
 * or reused. Reads are absolute, so threads may share one instance. The lease is no guard between threads: a read under
 * way when it ends goes on, so every reader (and every runtime handed {@link #buffer()}) must have finished before the
 * memory is freed.
 */
public final class InPlaceValues implements Tensor.StoredValues {
    private final FloatBuffer values;
    private final Lease lease;

    /**
     * The time during which a runtime's memory holds what its last run left there: it ends when the runtime runs again
     * or frees that memory.
     */
    public static final class Lease {
        private final String holder;
        private volatile boolean ended;

        /** @param holder what holds the memory, for the message of a read too late (a model file's name) */
        public Lease(String holder) {
            this.holder = Objects.requireNonNull(holder);
        }

        /** Ends the lease before the memory is freed or written again; idempotent. */
        public void end() {
            ended = true;
        }

        void check() {
            if (ended) {
                throw new IllegalStateException("the values " + holder + " held in place were read after it released"
                        + " them");
            }
        }
    }

    /**
     * @param values a view of the runtime's memory, positioned at the first value, one float per element
     * @param lease while it holds, the memory holds these values
     */
    public InPlaceValues(FloatBuffer values, Lease lease) {
        this.values = Objects.requireNonNull(values);
        this.lease = Objects.requireNonNull(lease);
    }

    /** How many values there are. */
    public int size() {
        return values.capacity();
    }

    @Override
    public float[] read() {
        float[] out = new float[size()];
        read(0, out, 0, out.length);
        return out;
    }

    @Override
    public float get(int index) {
        lease.check();
        return values.get(index);
    }

    @Override
    public void read(int from, float[] target, int offset, int count) {
        lease.check();
        values.get(from, target, offset, count);
    }

    /**
     * The values where the runtime keeps them, read-only, for another runtime to read without a copy (ONNX Runtime takes
     * a direct buffer as it is); valid while the lease holds.
     */
    public FloatBuffer buffer() {
        lease.check();
        return values.asReadOnlyBuffer();
    }

    @Override
    public boolean readsInPlace() {
        return true;
    }
}
