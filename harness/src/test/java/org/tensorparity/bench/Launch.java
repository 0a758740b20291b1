package org.tensorparity.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How the bench starts a child JVM: its options and class path. {@link #asTheLauncher()} starts every program the
 * way {@code ./parity} starts the tool, with the launcher's JVM settings, on the built jar with the class-data archive
 * {@code make build} trained, so the floor and the verify are started alike; {@link #plain()} starts them with the
 * same settings on this JVM's class path, no archive.
 */
record Launch(List<String> options, String classPath, String description) {
    /** The jar and archive {@code make build} writes; the bench runs from the harness module's folder. */
    private static final Path JAR = Path.of("target", "parity.jar").toAbsolutePath();
    private static final Path ARCHIVE = Path.of("target", "parity.jsa").toAbsolutePath();
    /** The launcher's JVM settings, a java @argfile: every child, floor and tool alike, starts with them. */
    private static final String SETTINGS = "@" + Path.of("src", "main", "launcher", "parity.args").toAbsolutePath();
    /** The bench's own JVM, which every child runs on. */
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /**
     * As {@code ./parity} launches: the archive (with the launcher's log settings) and the jar first on the class
     * path, the bench's own programs after it (an archive is valid for a class path that extends the one it was
     * trained on). Without an archive, as {@link #plain()}, saying so.
     */
    static Launch asTheLauncher() throws IOException, InterruptedException {
        List<String> options = List.of(SETTINGS, "-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:cds=off,cds+dynamic=off");
        if (!Files.isRegularFile(JAR) || !Files.isRegularFile(ARCHIVE) || !mapsWith(options)) {
            Launch plain = plain();
            return new Launch(plain.options(), plain.classPath(), plain.description()
                    + " (no class-data archive the JVM takes at " + ARCHIVE + ": run make archive)");
        }
        List<String> path = new ArrayList<>(List.of(JAR.toString()));
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith("test-classes")).forEach(path::add);
        return new Launch(options, String.join(File.pathSeparator, path),
                "as ./parity launches: the jar and its class-data archive");
    }

    /** Whether the JVM maps the archive for the jar: with {@code -Xshare:on} it refuses to start otherwise. */
    private static boolean mapsWith(List<String> options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        cmd.addAll(options);
        cmd.addAll(List.of("-Xshare:on", "-cp", JAR.toString(), "-version"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start().waitFor() == 0;
    }

    /** With the launcher's settings, on this JVM's class path (module classes and dependency jars), no archive. */
    static Launch plain() {
        return new Launch(List.of(SETTINGS), System.getProperty("java.class.path"),
                "java -cp <classes and jars>, no class-data archive");
    }

    /** The command line that runs {@code mainAndArgs} this way. */
    List<String> command(List<String> mainAndArgs) {
        List<String> cmd = new ArrayList<>(List.of(JAVA));
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", classPath));
        cmd.addAll(mainAndArgs);
        return cmd;
    }
}
