package org.tensorparity.backend.tflite;

import java.nio.file.Path;
import org.tensorparity.ParityException;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;

/**
 * Opens each file given as a TFLite model and prints one line per file: run in a child JVM by
 * {@link TfLiteRunnerMalformedTest}, because what TFLite writes to the process's stderr (and whether
 * the process survives) cannot be observed from inside the JVM that loads the native library.
 */
public final class MalformedModelProbe {
    private MalformedModelProbe() {
    }

    /** Prints {@code OPENED <file>} or {@code <exception class>: <message>} for each argument. */
    public static void main(String[] args) {
        for (String arg : args) {
            try (TfLiteRunner runner = TfLiteRunner.open(ModelFile.read(Path.of(arg), ModelFormat.TFLITE),
                    RunnerSettings.DEFAULT)) {
                System.out.println("OPENED " + arg);
            } catch (ParityException e) {
                System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        System.out.println("DONE");
    }
}
