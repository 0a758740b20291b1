package org.tensorparity.align;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.tensorparity.tensor.Tensor;

/**
 * The {@linkplain TensorFingerprint fingerprints} of captured tensors, read before the graphs' layers are built: while
 * the other model's capture is still running, and on several threads at once. Fingerprints read every captured value
 * once, which on a deep network is a large part of the layer-by-layer stage (YOLOX-nano: 339 MB of values in both
 * models). A tensor is known by identity, not by name: a reference run again with its branches inlined holds other
 * values under the same names.
 */
public final class Fingerprints {
    private final Map<Tensor, TensorFingerprint> known = new IdentityHashMap<>();

    /** The fingerprint read ahead for {@code t}, or read now. */
    public TensorFingerprint of(Tensor t) {
        TensorFingerprint f;
        synchronized (known) {
            f = known.get(t);
        }
        return f != null ? f : TensorFingerprint.of(t);
    }

    /**
     * A task that reads the fingerprints of {@code tensors} not read yet, largest first: every thread that runs it
     * takes the next tensor in turn until none is left, so that two threads finish together however the sizes fall.
     */
    public Runnable reading(Collection<Tensor> tensors) {
        List<Tensor> todo = new ArrayList<>();
        synchronized (known) {
            for (Tensor t : tensors) {
                if (!known.containsKey(t) && GraphLayers.holdsActivation(t)) {
                    todo.add(t);
                }
            }
        }
        todo.sort(Comparator.comparingInt(Tensor::size).reversed());
        AtomicInteger next = new AtomicInteger();
        return () -> {
            for (int i = next.getAndIncrement(); i < todo.size(); i = next.getAndIncrement()) {
                Tensor t = todo.get(i);
                TensorFingerprint f = TensorFingerprint.of(t);
                synchronized (known) {
                    known.put(t, f);
                }
            }
        };
    }
}
