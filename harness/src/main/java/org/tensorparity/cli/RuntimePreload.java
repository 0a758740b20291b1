package org.tensorparity.cli;

import java.util.List;
import java.util.Set;
import org.tensorparity.Threads;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.model.FileDigest;

/**
 * Loads the two native runtimes, and gets the model files' digest compiled ({@link FileDigest#preload}),
 * on a background thread while picocli builds its command model and parses the arguments: measured on the
 * 2-core CI machine, the command model takes about 250 ms and the natives about 70 ms (ONNX Runtime, from
 * its cache) and 150 ms (TFLite), all before a model is read. Only commands that run
 * models preload, and never for help or version output; the process waits for the preload before it
 * exits, so no runtime is torn down half-started.
 */
final class RuntimePreload {
    private static final Set<String> RUNS_MODELS = Set.of("verify", "suite", "align", "repro");
    private static final Set<String> INFORMATIONAL = Set.of("-h", "--help", "-V", "--version");

    private final List<Thread> threads;

    private RuntimePreload(List<Thread> threads) {
        this.threads = threads;
    }

    /** Starts preloading when {@code args} name a command that runs models; otherwise does nothing. */
    static RuntimePreload startFor(String[] args) {
        List<String> argv = List.of(args);
        if (argv.isEmpty() || !RUNS_MODELS.contains(argv.get(0)) || argv.stream().anyMatch(INFORMATIONAL::contains)) {
            return new RuntimePreload(List.of());
        }
        return new RuntimePreload(List.of(start("parity-preload", () -> {
            Runtimes.standard().preload();
            FileDigest.preload();
        })));
    }

    private static Thread start(String name, Runnable preload) {
        Thread t = new Thread(() -> {
            try {
                preload.run();
            } catch (RuntimeException | LinkageError e) {
                // The command's own load meets the same failure and reports it in the user's words.
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until the preload is done (at once when none was started). */
    void await() {
        Threads.joinAll(threads);
    }
}
