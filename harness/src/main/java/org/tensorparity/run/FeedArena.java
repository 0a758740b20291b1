package org.tensorparity.run;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.InPlaceValues;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorPermuter;
import org.tensorparity.tensor.ThreadBuffer;

/**
 * Direct memory that an isolation worker writes its float32 feeds into, reused from batch to batch, so that ONNX
 * Runtime reads them where they are. A heap value it copies into a direct buffer of its own, which only a garbage
 * collection frees: YOLOX-nano's default isolation fed 264 heap values, 76 MB, and its resident memory rose by 176 MB
 * during isolation (docs/performance.md, "Deep real networks").
 *
 * <p>The feeds written since the last {@link #reset} stay readable until it, which ends their lease: a read after it
 * fails instead of reading the next batch's values. One worker thread uses an arena at a time.
 */
final class FeedArena {
    /** Floats between the starts of two feeds: 64 bytes, a cache line. */
    private static final int ALIGN = 16;
    /** The first block: one batch of isolated runs ({@link LayerIsolation#BATCH_BYTES}). */
    private static final int FIRST_FLOATS = (int) (LayerIsolation.BATCH_BYTES / Float.BYTES);
    /**
     * Where a permutation is written, or values read in place are read, before they are copied into the block: the
     * permuter writes arrays.
     */
    private static final ThreadBuffer SCRATCH = new ThreadBuffer(1 << 20);

    private FloatBuffer block = FloatBuffer.allocate(0);
    private int used;
    private InPlaceValues.Lease lease = new InPlaceValues.Lease("isolation's feeds");

    /** {@code values}, a float32 tensor of the heap or read in place, as a tensor of this arena's. */
    Tensor copyOf(Tensor values) {
        if (values.dtype() != DType.FLOAT32) {
            throw new IllegalArgumentException("the arena holds float32 values, not " + values.dtype());
        }
        FloatBuffer target = allocate(values.size());
        target.put(0, SCRATCH.valuesOf(values), 0, values.size());
        return Tensor.inPlace(values.shape(), new InPlaceValues(target, lease));
    }

    /**
     * {@code values} with its axes permuted by {@code p} ({@link TensorPermuter#permute}), as a float32 tensor of this
     * arena's.
     */
    Tensor permuted(Tensor values, Permutation p) {
        float[] out = SCRATCH.atLeast(values.size());
        TensorPermuter.permuteInto(values, p, out);
        FloatBuffer target = allocate(values.size());
        target.put(0, out, 0, values.size());
        return Tensor.inPlace(p.apply(values.shape()), new InPlaceValues(target, lease));
    }

    /** Ends the lease of every feed written since the last reset; their memory is written again from the start. */
    void reset() {
        lease.end();
        lease = new InPlaceValues.Lease("isolation's feeds");
        used = 0;
    }

    private FloatBuffer allocate(int floats) {
        int start = (used + ALIGN - 1) / ALIGN * ALIGN;
        if (start + floats > block.capacity()) {
            // The feeds written before stay in the block they were written to, which they keep alive until reset.
            int size = Math.max(Math.max(FIRST_FLOATS, 2 * block.capacity()), floats);
            block = ByteBuffer.allocateDirect(Math.multiplyExact(size, Float.BYTES)).order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            start = 0;
        }
        used = start + floats;
        return block.slice(start, floats);
    }
}
