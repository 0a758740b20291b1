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
 * <p>Where that cache cannot be written (a container user without a writable home), this process extracts into a
 * folder of its own under {@code java.io.tmpdir}, removed when the JVM exits (the libraries stay mapped until then,
 * and Linux keeps a mapped file alive after it is unlinked). JavaCPP's own fallback, one folder per user shared by
 * every process, cannot be removed by one process without pulling the libraries from under another that is still
 * loading them: twelve runs started together failed that way, one in nine.
 */
public final class NativeLibraryCache {
    private static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";
    private static boolean chosen;

    private NativeLibraryCache() {
    }

    /** Runs {@code work}, which may extract into the cache, once the cache folder of this process is chosen. */
    public static synchronized <T> T extracting(Supplier<T> work) {
        if (!chosen) {
            chosen = true;
            chooseFolder();
        }
        return work.get();
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

    /** Keeps JavaCPP's per-user cache where it can be written, else gives this process a folder of its own. */
    private static void chooseFolder() {
        if (System.getProperty(CACHE_DIR_PROPERTY) != null || System.getProperty("org.bytedeco.javacpp.cacheDir") != null
                || writable(Path.of(System.getProperty("user.home"), ".javacpp", "cache"))) {
            return;
        }
        try {
            Path own = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "tensor-parity-natives-");
            System.setProperty(CACHE_DIR_PROPERTY, own.toString());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LitterRemoval.deleteTree(own), "native-cache-sweeper"));
        } catch (IOException | SecurityException e) {
            // No temporary folder either: JavaCPP finds its own way, or says why it cannot.
        }
    }

    private static boolean writable(Path cache) {
        try {
            Files.createDirectories(cache);
            return Files.isDirectory(cache) && Files.isWritable(cache);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
