package org.tensorparity.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Removes what a runtime left behind on disk (extracted native libraries, telemetry files). Best effort:
 * tidying up never changes a run's result, so failures are ignored.
 */
public final class LitterRemoval {
    private LitterRemoval() {
    }

    /** Deletes {@code root} and everything below it. */
    public static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(LitterRemoval::delete);
        } catch (IOException | RuntimeException e) {
            // Already gone, or not ours to remove.
        }
    }

    /** Deletes one file or empty folder. */
    public static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // Still in use, or not ours to remove.
        }
    }
}
