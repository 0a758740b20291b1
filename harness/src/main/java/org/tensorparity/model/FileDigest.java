package org.tensorparity.model;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A model file's SHA-256, of the bytes the runtimes run, hashed when it is first asked for or once {@link #start}ed
 * on a thread of its own. Only the reports read it, so a verify starts it once the runtimes have opened the models:
 * their opening keeps both cores busy, and the hashing, about 50 ms per 86 MB file with the CPU's SHA instructions,
 * then runs beside the inferences and the comparison instead of before them. The full-size DaSiamRPN template pair
 * (two 86 MB files) verified in 0.93x the wall {@code --outputs-only} and 0.92x layer by layer against hashing on the
 * reading threads (farm-bench, 14 and 10 alternated pairs, 2026-12-06); started as the files were read, beside the
 * opening, 0.96–0.98x.
 */
public final class FileDigest {
    private final ByteBuffer bytes;
    private final CompletableFuture<String> hex = new CompletableFuture<>();
    private boolean started;

    /** @param bytes the file's bytes, from their position to their limit; read only by the hashing */
    FileDigest(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    /** Starts hashing on a daemon thread, unless it has started already. */
    public synchronized void start() {
        if (started) {
            return;
        }
        started = true;
        Thread thread = new Thread(() -> {
            try {
                hex.complete(sha256(bytes));
            } catch (RuntimeException | Error e) {
                hex.completeExceptionally(e);
            }
        }, "parity-digest");
        thread.setDaemon(true);
        thread.start();
    }

    /** The digest in lower-case hex; starts the hashing if need be and waits for it. */
    public String hex() {
        start();
        try {
            return hex.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw (Error) e.getCause();
        }
    }

    /**
     * Gets SHA-256 ready for the model files: the JVM hashes with its SHA instructions only once the digest's
     * inner loop is compiled, after about a megabyte. Hashed cold, the full-size DaSiamRPN detection pair's two
     * 20 MB files took 85 ms, against 13 ms each once compiled (2-core CI machine); a process that hashes a
     * megabyte while it parses its arguments reaches the models with the compiled loop.
     */
    public static void preload() {
        sha256().digest(new byte[1 << 20]);
    }

    private static String sha256(ByteBuffer bytes) {
        MessageDigest digest = sha256();
        digest.update(bytes);
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Digests are equal when their files' contents are. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FileDigest other && hex().equals(other.hex());
    }

    @Override
    public int hashCode() {
        return hex().hashCode();
    }

    @Override
    public String toString() {
        return hex();
    }
}
