package org.tensorparity.run;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.tensorparity.ModelFailureException;

/**
 * One piece of runtime work (opening a model, an instrumented run) on a thread of its own, so that it
 * overlaps with the caller's: on two cores, the single-threaded runtimes then take the time of the slower
 * one rather than the sum.
 *
 * @param <T> what the work produces
 */
final class Background<T> {
    /** Work that may fail the way a runtime does. */
    @FunctionalInterface
    interface Work<T> {
        T run() throws ModelFailureException;
    }

    private final FutureTask<T> task;

    private Background(FutureTask<T> task) {
        this.task = task;
    }

    static <T> Background<T> start(String name, Work<T> work) {
        FutureTask<T> task = new FutureTask<>(work::run);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return new Background<>(task);
    }

    /** Waits for the result; the work's own failure is thrown as it was. */
    T join() throws ModelFailureException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    // Native work cannot be abandoned half-way; wait for it, then restore the interrupt.
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ModelFailureException m) {
                throw m;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for the work to end, whatever its outcome, when another failure is already on its way to the user. */
    T joinQuietly() {
        try {
            return join();
        } catch (ModelFailureException | RuntimeException | Error e) {
            return null;
        }
    }
}
