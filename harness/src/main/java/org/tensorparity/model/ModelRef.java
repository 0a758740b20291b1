package org.tensorparity.model;

import java.nio.file.Path;

/** The identity of a model file: where it is, what it is, and its digest. Says nothing about running it. */
public record ModelRef(Path path, ModelFormat format, long sizeBytes, FileDigest digest) {
    /** The file's SHA-256 in lower-case hex; waits for it while it is being computed ({@link FileDigest}). */
    public String sha256() {
        return digest.hex();
    }
}
