package org.tensorparity.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the bench starts a child JVM: its options and class path. {@link #asTheLauncher()} starts every program the
 * way {@code ./parity} starts the tool, on the built jar with the class-data archive {@code make build} trained, so
 * the floor and the verify are started alike; {@link #plain()} starts them on this JVM's class path, no archive.
 */
record Launch(List<String> options, String classPath, String description) {
    /** The jar and archive {@code make build} writes; the bench runs from the harness module's folder. */
    private static final Path JAR = Path.of("target", "parity.jar").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target", "parity.jsa").toAbsolutePath();

    /**
     * As {@code ./parity} launches: the archive (with the launcher's log settings) and the jar first on the class
     * path, the bench's own programs after it (an archive is valid for a class path that extends the one it was
     * trained on). Without an archive, as {@link #plain()}, saying so.
     */
    static Launch asTheLauncher() {
        if (!Files.isRegularFile(JAR) || !Files.isRegularFile(ARCHIVE)) {
            Launch plain = plain();
            return new Launch(plain.options(), plain.classPath(), plain.description()
                    + " (no class-data archive at " + ARCHIVE + ": run make build)");
        }
        List<String> path = new ArrayList<>(List.of(JAR.toString()));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith("test-classes")).forEach(path::add);
        return new Launch(List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:cds=off,cds+dynamic=off"),
                String.join(File.pathSeparator, path), "as ./parity launches: the jar and its class-data archive");
    }

    /** On this JVM's class path (the module's classes and the dependency jars), without an archive. */
    static Launch plain() {
        return new Launch(List.of(), System.getProperty("java.class.path"), "java -cp <classes and jars>, no class-data archive");
    }

    /** The command line that runs {@code mainAndArgs} this way. */
    List<String> command(List<String> mainAndArgs) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", classPath));
        cmd.addAll(mainAndArgs);
        return cmd;
    }
}
