package org.tensorparity.backend;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Loader;

/**
 * Native libraries extracted once per user instead of once per process, in JavaCPP's cache
 * ({@code ~/.javacpp/cache}), which TFLite's binding fills anyway. JavaCPP re-extracts a library whose size or
 * time stamp no longer matches its jar entry and locks the cache while it writes, so processes that start
 * together and new versions of the tool are both safe.
 *
 * <p>Where the home folder cannot be written, JavaCPP falls back to {@code java.io.tmpdir/.javacpp-USER}; a
 * fallback folder this process created is removed when the JVM exits (the libraries stay mapped until then, and
 * Linux keeps a mapped file alive after it is unlinked), so no run leaves it behind.
 */
public final class NativeLibraryCache {
    private static final Path FALLBACK = Path.of(System.getProperty("java.io.tmpdir"),
            ".javacpp-" + System.getProperty("user.name"));
    private static boolean fallbackSwept;

    private NativeLibraryCache() {
    }

    /** Runs {@code work}, which may extract into the cache, and sweeps a fallback folder it created at exit. */
    public static synchronized <T> T extracting(Supplier<T> work) {
        boolean fallbackExisted = Files.exists(FALLBACK);
        T result = work.get();
        if (!fallbackExisted && !fallbackSwept && Files.exists(FALLBACK)) {
            fallbackSwept = true;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LitterRemoval.deleteTree(FALLBACK), "javacpp-cache-sweeper"));
        }
        return result;
    }

    /**
     * The cache folder holding {@code resources} (absolute resource names in one folder of {@code owner}'s jar),
     * extracted there if they are not yet; empty when a resource is missing or cannot be written.
     */
    public static Optional<Path> folderOf(Class<?> owner, String... resources) {
        return extracting(() -> {
            Path folder = null;
            try {
                for (String resource : resources) {
                    if (owner.getResource(resource) == null) {
                        return Optional.empty();
                    }
                    File cached = Loader.cacheResource(owner, resource);
                    folder = cached.toPath().getParent();
                }
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
            return Optional.ofNullable(folder);
        });
    }
}
