package org.tensorparity;

/** Waiting for the tool's own threads. */
public final class Threads {
    private Threads() {
    }

    /**
     * Returns once every one of {@code threads} has ended, even when the caller is interrupted meanwhile (the interrupt
     * is kept for it): what they do (a native call, an image the caller reads next, a runtime being freed) cannot be
     * abandoned half-way.
     */
    public static void joinAll(Iterable<Thread> threads) {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
