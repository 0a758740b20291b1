package org.tensorparity.result;

import org.tensorparity.model.ModelRef;

/** A compared model file: the path as the user gave it, its size and its digest. */
public record ModelInfo(String path, long sizeBytes, String sha256) {
    /** What a report says of a model file read. */
    public static ModelInfo of(ModelRef ref) {
        return new ModelInfo(ref.path().toString(), ref.sizeBytes(), ref.sha256());
    }
}
