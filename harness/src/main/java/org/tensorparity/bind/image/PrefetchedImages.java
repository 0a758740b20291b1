package org.tensorparity.bind.image;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.tensorparity.BadInputException;

/**
 * Image files decoded on a thread of their own, so that the decoding, which needs no input shape, overlaps with the
 * models' opening, which the shape comes from. YOLOX-nano's {@code --outputs-only} verify of a 640x480 JPEG took 0.97x
 * the wall with its image decoded while the models opened (farm-bench, 14 alternated pairs, 2026-12-06): the main
 * thread otherwise waits for ONNX Runtime's session, then decodes.
 *
 * <p>Each decoded image is handed out once, to the first load of its file: a later sample decodes it again, as
 * without prefetching, rather than have a large photo's planes held for the whole run. A file that fails to decode
 * fails that load, with the message it would have had.
 */
public final class PrefetchedImages implements AutoCloseable {
    /** No prefetching: every load decodes its file itself. */
    public static final PrefetchedImages NONE = new PrefetchedImages(new LinkedHashMap<>(), null);

    private final Map<Path, FutureTask<Pixels>> decoding;
    private final Thread thread;

    private PrefetchedImages(Map<Path, FutureTask<Pixels>> decoding, Thread thread) {
        this.decoding = decoding;
        this.thread = thread;
    }

    /** Starts decoding {@code files}, one after another, on a daemon thread. */
    public static PrefetchedImages start(Collection<Path> files) {
        if (files.isEmpty()) {
            return NONE;
        }
        Map<Path, FutureTask<Pixels>> tasks = new LinkedHashMap<>();
        for (Path file : new LinkedHashSet<>(files)) {
            tasks.put(file, new FutureTask<>(() -> Pixels.of(ImageInput.read(file))));
        }
        // The thread runs its own list: loads take their tasks out of the map while it runs.
        List<FutureTask<Pixels>> order = List.copyOf(tasks.values());
        Thread thread = new Thread(() -> order.forEach(FutureTask::run), "parity-decode-images");
        thread.setDaemon(true);
        thread.start();
        return new PrefetchedImages(tasks, thread);
    }

    /** The pixels of {@code file}: decoded beforehand the first time, decoded now after that or when not started. */
    Pixels pixels(Path file) throws BadInputException {
        FutureTask<Pixels> task;
        synchronized (decoding) {
            task = decoding.remove(file);
        }
        if (task == null) {
            return Pixels.of(ImageInput.read(file));
        }
        try {
            return uninterruptibly(task);
        } catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
    }

    /** Waits for the file being decoded, if any; the files not started yet are not decoded. */
    @Override
    public void close() {
        synchronized (decoding) {
            decoding.values().forEach(task -> task.cancel(false));
            decoding.clear();
        }
        if (thread != null) {
            joinUninterruptibly(thread);
        }
    }

    private static Pixels uninterruptibly(FutureTask<Pixels> task) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static BadInputException rethrown(Throwable cause) {
        if (cause instanceof BadInputException bad) {
            return bad;
        }
        if (cause instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("decoding an image failed unexpectedly", cause);
    }
}
