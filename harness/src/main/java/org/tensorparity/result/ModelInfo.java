package org.tensorparity.result;

/** A compared model file: the path as the user gave it, its size and its digest. */
public record ModelInfo(String path, long sizeBytes, String sha256) {
}
