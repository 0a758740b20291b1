package org.tensorparity.backend;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * One piece of work (reading a model file, opening a model, an inference) on a thread of its own, so that it
 * overlaps with the caller's: on two cores, the single-threaded runtimes then take the time of the slower
 * one rather than the sum.
 *
 * @param <T> what the work produces
 * @param <E> the checked exception it may fail with, thrown as it was by {@link #join}
 */
public final class Background<T, E extends Exception> {
    /** Work that may fail with {@code E}. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    private final FutureTask<T> task;

    private Background(FutureTask<T> task) {
        this.task = task;
    }

    public static <T, E extends Exception> Background<T, E> start(String name, Work<T, E> work) {
        FutureTask<T> task = new FutureTask<>(work::run);
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
        return new Background<>(task);
    }

    /**
     * Runs {@code work} on the caller's thread and on a thread of its own at once, and returns when both are done:
     * for work that hands out its parts to whichever thread asks next, so that the two finish together.
     */
    public static void share(String name, Runnable work) {
        Background<Void, RuntimeException> other = start(name, () -> {
            work.run();
            return null;
        });
        other.runBeside(() -> {
            work.run();
            return null;
        });
        other.join();
    }

    /** Work already done on the caller's thread: {@link #join} returns {@code value}. */
    public static <T, E extends Exception> Background<T, E> done(T value) {
        FutureTask<T> task = new FutureTask<>(() -> value);
        task.run();
        return new Background<>(task);
    }

    /**
     * Runs {@code work} on the caller's thread while this runs, and returns its result. When it fails, this is
     * waited for (its outcome ignored) before the failure is thrown, so no work outlives the call that started it.
     */
    public <R, X extends Exception> R runBeside(Work<R, X> work) throws X {
        try {
            return work.run();
        } catch (Exception | Error e) {
            joinQuietly();
            throw e;
        }
    }

    /** Waits for the result; the work's own failure is thrown as it was. */
    public T join() throws E {
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
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            // Work declares no checked exception but E.
            @SuppressWarnings("unchecked")
            E checked = (E) cause;
            throw checked;
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits for the work to end, whatever its outcome, when another failure is already on its way to the user. */
    public T joinQuietly() {
        try {
            return join();
        } catch (Exception | Error e) {
            return null;
        }
    }
}
