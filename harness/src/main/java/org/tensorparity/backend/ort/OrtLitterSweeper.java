package org.tensorparity.backend.ort;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.tensorparity.backend.LitterRemoval;

/**
 * Removes what ONNX Runtime 1.29 leaves behind in every process: in {@code $TMPDIR}, the telemetry SDK's
 * {@code mat-debug-<pid>.log} and {@code .ses} session file (even with telemetry off; when {@code $HOME} is
 * missing or unwritable the session file is {@code :memory:.ses} in the working directory instead), and in
 * {@code java.io.tmpdir} the {@code onnxruntime-java*} folder its native libraries were extracted to.
 * Only files that appeared while this process started the runtime are removed, never another process's.
 */
final class OrtLitterSweeper {
    private static final String NATIVE_DIR_PREFIX = "onnxruntime-java";

    private final Path javaTmp = Path.of(System.getProperty("java.io.tmpdir"));
    private final Path tmp = Path.of(System.getenv().getOrDefault("TMPDIR", "/tmp"));
    private final Path debugLog = tmp.resolve("mat-debug-" + ProcessHandle.current().pid() + ".log");
    private final List<Path> sessionFiles = List.of(tmp.resolve(".ses"), Path.of(":memory:.ses").toAbsolutePath());
    private final Set<Path> nativeDirsBefore;
    private final Set<Path> sessionFilesBefore = new HashSet<>();

    private OrtLitterSweeper() {
        this.nativeDirsBefore = nativeDirs();
        sessionFiles.stream().filter(Files::exists).forEach(sessionFilesBefore::add);
    }

    /** Takes note of what exists before the runtime starts. */
    static OrtLitterSweeper beforeStart() {
        return new OrtLitterSweeper();
    }

    /**
     * Deletes the telemetry files now, and the native-library folder when the JVM exits: the libraries in
     * it stay mapped until then. Never fails the run.
     */
    void sweepAfterStart() {
        sweepTelemetryFiles();
        List<Path> ours = new ArrayList<>();
        for (Path dir : nativeDirs()) {
            if (!nativeDirsBefore.contains(dir)) {
                ours.add(dir);
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ours.forEach(LitterRemoval::deleteTree);
            sweepTelemetryFiles();
        }, "onnxruntime-litter-sweeper"));
    }

    private void sweepTelemetryFiles() {
        LitterRemoval.delete(debugLog);
        for (Path session : sessionFiles) {
            if (!sessionFilesBefore.contains(session)) {
                LitterRemoval.delete(session);
            }
        }
    }

    private Set<Path> nativeDirs() {
        Set<Path> dirs = new HashSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(javaTmp, NATIVE_DIR_PREFIX + "*")) {
            stream.forEach(dirs::add);
        } catch (IOException e) {
            // An unreadable temp folder only means we cannot tidy up.
        }
        return dirs;
    }
}
