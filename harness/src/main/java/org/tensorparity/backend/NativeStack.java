package org.tensorparity.backend;

import java.util.List;
import org.tensorparity.Threads;

/**
 * Runs a native runtime call on a thread with a large stack. Native code is written for the 8 MB stack
 * of a process's main thread, but Java threads default to 1 MB: ONNX Runtime building a session for the
 * 86 MB DaSiamRPN template model overflows that and kills the JVM with a segmentation fault, whatever
 * thread the caller (a test runner, a benchmark, an application) happens to use.
 */
public final class NativeStack {
    private static final long STACK_BYTES = 64L << 20;
    /** Whether the current thread already has the large stack: one that {@link #call} or {@link #thread} started. */
    private static final ThreadLocal<Boolean> LARGE = ThreadLocal.withInitial(() -> false);

    /** A native call that may throw {@code E}. */
    @FunctionalInterface
    public interface NativeCall<T, E extends Exception> {
        T call() throws E;
    }

    private NativeStack() {
    }

    /**
     * A daemon thread with the 64 MB stack, for work that makes many native calls (isolating hundreds of operators):
     * {@link #call} on it runs in place. Starting a thread for each call cost about 0.5 ms on the 2-core machine,
     * 244 ms of thread time over YOLOX-nano's 463 isolated operators.
     */
    public static Thread thread(Runnable work, String name) {
        Thread thread = new Thread(null, () -> {
            LARGE.set(true);
            work.run();
        }, name, STACK_BYTES);
        thread.setDaemon(true);
        return thread;
    }

    /**
     * Runs {@code body} on a fresh thread with a 64 MB stack and waits for it, or in place on a thread that has
     * that stack already; exceptions pass through.
     */
    public static <T, E extends Exception> T call(String name, NativeCall<T, E> body) throws E {
        if (LARGE.get()) {
            return body.call();
        }
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        Thread worker = new Thread(null, () -> {
            LARGE.set(true);
            try {
                result[0] = body.call();
            } catch (Throwable t) {
                failure[0] = t;
            }
        }, name, STACK_BYTES);
        worker.start();
        // The native call cannot be abandoned half-way: finished even when this thread is interrupted.
        Threads.joinAll(List.of(worker));
        if (failure[0] instanceof RuntimeException r) {
            throw r;
        }
        if (failure[0] instanceof Error err) {
            throw err;
        }
        if (failure[0] != null) {
            @SuppressWarnings("unchecked")
            E checked = (E) failure[0];
            throw checked;
        }
        @SuppressWarnings("unchecked")
        T value = (T) result[0];
        return value;
    }
}
