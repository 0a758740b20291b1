package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.FixturePairs;

/**
 * The {@code ./parity} launcher, its JVM settings and its class-data archive, on the packaged jar (an integration
 * test: it runs after {@code package}). The archive is trained as {@code make build} trains it; a run that maps it
 * prints exactly what a run without it prints, and so does a run over an archive the JVM refuses.
 */
class LauncherArchiveIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path LAUNCHER = ROOT.resolve("parity");
    private static final Path JAR = ROOT.resolve("harness/target/parity.jar");
    private static final Path ARCHIVE = ROOT.resolve("harness/target/parity.jsa");
    private static final Path SETTINGS = ROOT.resolve("harness/src/main/launcher/parity.args");

    private record Run(int exit, String out, String err) {
    }

    @Test
    void theArchiveIsMappedAndChangesNothingButTheStartWhileARefusedOneIsSilent() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "run after package: " + JAR);
        FixturePair pair = FixturePairs.pair("detection-271-onnxtf");
        Path dir = FixturePairs.scratch("launcher-archive");
        List<String> verify = List.of("verify", "--onnx", pair.onnx().toString(), "--tflite", pair.tflite().toString(),
                "--report-dir", dir.resolve("reports").toString());

        Files.deleteIfExists(ARCHIVE);
        Path trained = dir.resolve("trained.jsa");
        Run training = launch(verify, Map.of("PARITY_CLASS_DATA_DUMP", trained.toString()));
        assertEquals(0, training.exit(), training.err());
        assertTrue(Files.size(trained) > 1_000_000, "an archive was written: " + trained);
        Files.move(trained, ARCHIVE, StandardCopyOption.REPLACE_EXISTING);

        Run plain = run(List.of("java", "-Xmx1g", "-jar", JAR.toString()), verify, Map.of());
        assertEquals(0, plain.exit(), plain.err());

        Path classLog = dir.resolve("classes.log");
        Run mapped = launch(verify, Map.of("PARITY_JAVA_OPTS", "-Xmx1g -Xlog:class+load:file=" + classLog));
        assertEquals(plain, mapped, "the same output with the archive as without");
        long archived = Files.readAllLines(classLog).stream()
                .filter(l -> l.contains(" org.tensorparity.") && l.contains("source: shared objects file (top)")).count();
        assertTrue(archived > 100, "the tool's classes come from the archive, " + archived + " did");
        long picocli = Files.readAllLines(classLog).stream()
                .filter(l -> l.contains(" picocli.") && l.contains("source: shared objects file (top)")).count();
        assertTrue(picocli > 100, "picocli's classes, compiled for Java 17 (picocli/pom.xml), come from the"
                + " archive, " + picocli + " did");

        // Stale: the jar changed after training (here only its time stamp, which the JVM checks with its size).
        FileTime built = Files.getLastModifiedTime(JAR);
        Files.setLastModifiedTime(JAR, FileTime.fromMillis(built.toMillis() + 60_000));
        try {
            Run stale = launch(verify, Map.of("PARITY_JAVA_OPTS", "-Xmx1g"));
            assertEquals(plain, stale, "an archive of another build is passed over without a word");
        } finally {
            Files.setLastModifiedTime(JAR, built);
        }
        byte[] garbage = new byte[1 << 20];
        new Random(7).nextBytes(garbage);
        Files.write(ARCHIVE, garbage);
        Run refused = launch(verify, Map.of("PARITY_JAVA_OPTS", "-Xmx1g"));
        assertEquals(plain, refused, "a damaged archive is passed over without a word");
        Files.delete(ARCHIVE);
    }

    @Test
    void theJvmStartsWithTheLaunchersSettings() throws Exception {
        List<String> settings = Files.readAllLines(SETTINGS).stream().map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertFalse(settings.isEmpty(), SETTINGS + " holds the launcher's settings");
        Run flags = launch(List.of("--version"), Map.of("PARITY_JAVA_OPTS", "-XX:+PrintFlagsFinal"));
        assertEquals(0, flags.exit(), flags.err());
        for (String setting : settings) {
            Matcher flag = Pattern.compile("-XX:(\\w+)=\\S+").matcher(setting);
            assertTrue(flag.matches(), "a -XX:NAME=VALUE setting: " + setting);
            // PrintFlagsFinal: "   double CompileThresholdScaling   = 3.000000   {product} {command line}"; a flag
            // the JVM scales too says "{command line, ergonomic}"
            Pattern setOnTheCommandLine = Pattern.compile("\\s*\\S+\\s+" + flag.group(1) + "\\s+=.*\\{command line.*");
            assertTrue(flags.out().lines().anyMatch(line -> setOnTheCommandLine.matcher(line).matches()),
                    setting + " is in force");
        }
    }

    @Test
    void aMemoryBudgetSizesTheHeapAndHoldsMallocsThreshold() throws Exception {
        // A stand-in for java on the PATH prints what the launcher would start the JVM with.
        Path bin = Files.createTempDirectory(Path.of("target"), "launcher-bin");
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\necho \"threshold=${MALLOC_MMAP_THRESHOLD_-unset}\"\necho \"$@\"\n");
        assertTrue(java.toFile().setExecutable(true));
        Map<String, String> path = Map.of("PATH", bin + ":" + System.getenv("PATH"));
        try {
            Run budget = launch(List.of("verify", "--max-memory", "64M"), path);
            assertTrue(budget.out().contains("threshold=131072"), budget.out());
            assertTrue(budget.out().contains("-Xms8m -Xmx160m "), budget.out());
            Run joined = launch(List.of("verify", "--max-memory=1G"), path);
            assertTrue(joined.out().contains("-Xms8m -Xmx640m "), joined.out());
            Map<String, String> own = new HashMap<>(path);
            own.put("MALLOC_MMAP_THRESHOLD_", "65536");
            own.put("PARITY_JAVA_OPTS", "-Xmx2g");
            Run users = launch(List.of("verify", "--max-memory", "64M"), own);
            assertTrue(users.out().contains("threshold=65536"), users.out());
            assertTrue(users.out().contains("-Xmx2g ") && !users.out().contains("-Xms8m"), users.out());
            Run unbounded = launch(List.of("verify"), path);
            assertTrue(unbounded.out().contains("threshold=unset"), unbounded.out());
            assertTrue(unbounded.out().contains("-Xmx4g ") && !unbounded.out().contains("-Xms8m"), unbounded.out());
        } finally {
            Files.delete(java);
            Files.delete(bin);
        }
    }

    @Test
    void aNewerJavaOnThePathIsAllowedWhatItWouldWarnAbout() throws Exception {
        // Stand-ins for two JDKs, each a release file and a java that prints what the launcher starts it with.
        Path jdks = Files.createTempDirectory(Path.of("target"), "launcher-jdks");
        for (String version : List.of("17.0.15", "25.0.3")) {
            Path bin = Files.createDirectories(jdks.resolve(version).resolve("bin"));
            Files.writeString(jdks.resolve(version).resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
            Files.writeString(bin.resolve("java"), "#!/bin/sh\necho \"$@\"\n");
            assertTrue(bin.resolve("java").toFile().setExecutable(true));
        }
        String path = System.getenv("PATH");
        Run older = launch(List.of("--version"), Map.of("PATH", jdks.resolve("17.0.15/bin") + ":" + path));
        assertFalse(older.out().contains("--sun-misc-unsafe-memory-access"), older.out());
        Run newer = launch(List.of("--version"), Map.of("PATH", jdks.resolve("25.0.3/bin") + ":" + path));
        assertTrue(newer.out().contains("--sun-misc-unsafe-memory-access=allow"), newer.out());
    }

    @Test
    void aVerifyOnANewerJavaPrintsNoJvmWarnings() throws Exception {
        Path jdk = newerJdk();
        Assumptions.assumeTrue(jdk != null, "no Java 23 or later under /usr/lib/jvm");
        FixturePair pair = FixturePairs.pair("detection-271-onnxtf");
        Path dir = FixturePairs.scratch("launcher-java25");
        Run run = launch(List.of("verify", "--onnx", pair.onnx().toString(), "--tflite", pair.tflite().toString(),
                "--report-dir", dir.toString()), Map.of("PATH", jdk.resolve("bin") + ":" + System.getenv("PATH")));
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err(), "nothing on stderr: the natives' JNI and protobuf's Unsafe are allowed");
    }

    /** An installed JDK of version 23 or later (by its release file), or null. */
    private static Path newerJdk() throws Exception {
        Path jvms = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(jvms)) {
            return null;
        }
        Pattern version = Pattern.compile("JAVA_VERSION=\"(\\d+).*");
        try (var homes = Files.list(jvms)) {
            for (Path home : homes.sorted().toList()) {
                Path release = home.resolve("release");
                if (Files.isRegularFile(release) && Files.isExecutable(home.resolve("bin/java"))) {
                    for (String line : Files.readAllLines(release)) {
                        Matcher m = version.matcher(line);
                        if (m.matches() && Integer.parseInt(m.group(1)) >= 23) {
                            return home;
                        }
                    }
                }
            }
        }
        return null;
    }

    private static Run launch(List<String> args, Map<String, String> env) throws Exception {
        return run(List.of(LAUNCHER.toString()), args, env);
    }

    private static Run run(List<String> command, List<String> args, Map<String, String> env) throws Exception {
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("PARITY_JAVA_OPTS");
        pb.environment().remove("MALLOC_MMAP_THRESHOLD_");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(Path.of("target"), "launcher", ".out");
        Path err = Files.createTempFile(Path.of("target"), "launcher", ".err");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished: " + cmd);
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
