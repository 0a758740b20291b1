package org.tensorparity.report;

import org.tensorparity.result.ParityReport;

/**
 * How the formats name what a report compared: by the model files' names. Paths are read as text, not
 * as {@link java.nio.file.Path}s, since a report may come from another machine's file system.
 */
final class ModelNames {
    private ModelNames() {
    }

    /** The last element of {@code path}: {@code det.tflite} for {@code /ci/out/det.tflite} or {@code C:\out\det.tflite}. */
    static String fileName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return slash >= 0 && slash < path.length() - 1 ? path.substring(slash + 1) : path;
    }

    /** The pair's name: the TFLite file's name without its extension ({@code det} for {@code det.tflite}). */
    static String pairName(ParityReport report) {
        return withoutExtension(fileName(report.provenance().tfliteModel().path()));
    }

    /** {@code det} for {@code det.tflite}; a name without an extension, or a dot file's, as it is. */
    static String withoutExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** A tensor's counterpart name for display; {@code (none)} for an output no tensor of the other model answers. */
    static String counterpart(String name) {
        return name == null ? "(none)" : name;
    }
}
