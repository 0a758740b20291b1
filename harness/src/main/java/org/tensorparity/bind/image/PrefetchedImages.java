package org.tensorparity.bind.image;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.tensorparity.BadInputException;
import org.tensorparity.Threads;

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

    private final Map<Path, CompletableFuture<Pixels>> decoding;
    private final Thread thread;

    private PrefetchedImages(Map<Path, CompletableFuture<Pixels>> decoding, Thread thread) {
        this.decoding = decoding;
        this.thread = thread;
    }

    /** Starts decoding {@code files}, one after another, on a daemon thread. */
    public static PrefetchedImages start(Collection<Path> files) {
        if (files.isEmpty()) {
            return NONE;
        }
        Map<Path, CompletableFuture<Pixels>> tasks = new LinkedHashMap<>();
        // The thread runs its own list: loads take their files out of the map while it runs.
        List<Map.Entry<Path, CompletableFuture<Pixels>>> order = new ArrayList<>();
        for (Path file : new LinkedHashSet<>(files)) {
            CompletableFuture<Pixels> pixels = new CompletableFuture<>();
            tasks.put(file, pixels);
            order.add(Map.entry(file, pixels));
        }
        Thread thread = new Thread(() -> order.forEach(e -> decode(e.getKey(), e.getValue())), "parity-decode-images");
        thread.setDaemon(true);
        thread.start();
        return new PrefetchedImages(tasks, thread);
    }

    private static void decode(Path file, CompletableFuture<Pixels> pixels) {
        if (pixels.isDone()) {
            return;
        }
        try {
            pixels.complete(Pixels.of(ImageInput.read(file)));
        } catch (BadInputException | RuntimeException | Error e) {
            pixels.completeExceptionally(e);
        }
    }

    /** The pixels of {@code file}: decoded beforehand the first time, decoded now after that or when not started. */
    Pixels pixels(Path file) throws BadInputException {
        CompletableFuture<Pixels> task;
        synchronized (decoding) {
            task = decoding.remove(file);
        }
        if (task == null) {
            return Pixels.of(ImageInput.read(file));
        }
        try {
            return task.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof BadInputException bad) {
                throw bad;
            }
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw (Error) e.getCause();
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
            Threads.joinAll(List.of(thread));
        }
    }
}
