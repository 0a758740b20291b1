package org.tensorparity.run;

import org.tensorparity.backend.ort.OnnxRuntimeRunner;
import org.tensorparity.backend.tflite.TfLiteRunner;

/** The versions of the two runtimes this build links, for {@code --version} and provenance. */
public final class RuntimeVersions {
    private RuntimeVersions() {
    }

    public static String onnxRuntime() {
        return OnnxRuntimeRunner.version();
    }

    public static String tflite() {
        return TfLiteRunner.version();
    }
}
