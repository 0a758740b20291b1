package org.tensorparity.backend;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.tensorparity.Threads;

/**
 * Runtimes closed on a thread of their own, once nothing reads their memory any more, so that the verify goes on
 * (to its layers, or to its reports) while their memory is given back. Freeing is the kernel's work, page by page:
 * closing YOLOX-nano's instrumented interpreter (214 MB of captured values) took 30-34 ms and its plain runners
 * 12 ms, both on the path from the inferences to the written reports.
 *
 * <p>The JVM waits for every release before it exits (a shutdown hook), so no runtime's destructor is still running
 * while the process takes its native libraries down.
 */
public final class NativeRelease {
    private static final Set<Thread> PENDING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(NativeRelease::awaitAll, "parity-release-wait"));
    }

    private NativeRelease() {
    }

    /** Runs {@code close} on a thread named {@code name}; a failure to close is told on stderr, in one line. */
    public static void inBackground(String name, Runnable close) {
        Thread thread = new Thread(() -> {
            try {
                close.run();
            } catch (RuntimeException e) {
                System.err.println("tensor-parity: warning: freeing a runtime's memory failed: " + e);
            } finally {
                PENDING.remove(Thread.currentThread());
            }
        }, name);
        thread.setDaemon(true);
        PENDING.add(thread);
        thread.start();
    }

    /** Returns once every release started so far has ended. */
    public static void awaitAll() {
        Threads.joinAll(PENDING);
    }
}
