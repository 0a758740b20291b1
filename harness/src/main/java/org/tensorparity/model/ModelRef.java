package org.tensorparity.model;

import java.nio.file.Path;

/** The identity of a model file: where it is, what it is, and its digest. Says nothing about running it. */
public record ModelRef(Path path, ModelFormat format, long sizeBytes, String sha256) {
}
