package org.tensorparity.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorparity.fixtures.catalog.FixtureCatalog;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.fixtures.catalog.FixtureWriter;

/**
 * The fixtures module's DaSiamRPN pairs at a reduced width, written on first use into
 * {@code target/test-fixtures} and shared by every test in this JVM.
 */
public final class FixturePairs {
    public static final double WIDTH = 0.125;
    public static final long SEED = 7;

    private static final Path FOLDER = Path.of("target", "test-fixtures").toAbsolutePath();
    private static final Map<String, FixturePair> PAIRS = new LinkedHashMap<>();

    private FixturePairs() {
    }

    /** The catalog pair called {@code name}, written once. */
    public static synchronized FixturePair pair(String name) {
        return PAIRS.computeIfAbsent(name, n -> {
            try {
                Files.createDirectories(FOLDER);
                return FixtureWriter.write(FixtureCatalog.byName(n), FOLDER, WIDTH, SEED);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * A fresh folder under {@code target/scratch} for the running test class, removed when the class passes
     * ({@link ScratchCleanup}).
     */
    public static Path scratch(String prefix) {
        Path folder = fresh(prefix);
        ScratchCleanup.track(folder);
        return folder;
    }

    /** A fresh folder under {@code target/scratch} for what a helper caches for every test class of the JVM. */
    public static Path shared(String prefix) {
        return fresh(prefix);
    }

    /**
     * Where a test writes a table for people to read ({@code target/test-summaries/NAME}), kept when its class's
     * scratch folders go.
     */
    public static Path summary(String name) {
        try {
            return Files.createDirectories(Path.of("target", "test-summaries").toAbsolutePath()).resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path fresh(String prefix) {
        try {
            Path dir = Path.of("target", "scratch").toAbsolutePath();
            Files.createDirectories(dir);
            return Files.createTempDirectory(dir, prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
