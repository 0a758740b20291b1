package org.tensorparity.backend.ort;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Removes the empty files ONNX Runtime 1.29 leaves behind in every process: a {@code mat-debug-<pid>.log}
 * in {@code $TMPDIR} (even with telemetry off) and an {@code onnxruntime-java*} folder in
 * {@code java.io.tmpdir} from extracting its native library. Only empty leftovers that appeared while
 * this process started the runtime are removed, so other processes' files are never touched.
 */
final class OrtLitterSweeper {
    private static final String NATIVE_DIR_PREFIX = "onnxruntime-java";

    private final Path javaTmp = Path.of(System.getProperty("java.io.tmpdir"));
    private final Set<Path> nativeDirsBefore;

    private OrtLitterSweeper() {
        this.nativeDirsBefore = nativeDirs();
    }

    /** Takes note of what exists before the runtime starts. */
    static OrtLitterSweeper beforeStart() {
        return new OrtLitterSweeper();
    }

    /** Deletes this process's empty leftovers; never fails the run. */
    void sweep() {
        for (Path dir : nativeDirs()) {
            if (!nativeDirsBefore.contains(dir)) {
                deleteIfEmpty(dir);
            }
        }
        String tmpdir = System.getenv().getOrDefault("TMPDIR", "/tmp");
        deleteIfEmpty(Path.of(tmpdir, "mat-debug-" + ProcessHandle.current().pid() + ".log"));
    }

    private Set<Path> nativeDirs() {
        Set<Path> dirs = new HashSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(javaTmp, NATIVE_DIR_PREFIX + "*")) {
            stream.forEach(dirs::add);
        } catch (IOException e) {
            // An unreadable temp folder only means we cannot tidy up.
        }
        return dirs;
    }

    private static void deleteIfEmpty(Path path) {
        try {
            if (Files.isDirectory(path)) {
                try (DirectoryStream<Path> entries = Files.newDirectoryStream(path)) {
                    if (entries.iterator().hasNext()) {
                        return;
                    }
                }
                Files.deleteIfExists(path);
            } else if (Files.isRegularFile(path) && Files.size(path) == 0) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Tidying up is best effort.
        }
    }
}
