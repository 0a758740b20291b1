package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.FixturePairs;

/**
 * What a run leaves behind and prints besides its own output, checked in a child JVM since both belong
 * to the process. ONNX Runtime 1.29 leaves an empty mat-debug-PID.log in $TMPDIR, a .ses telemetry file
 * (":memory:.ses" in the working directory when $HOME is unusable) and an onnxruntime-java* folder in
 * java.io.tmpdir; JavaCPP extracts TFLite to java.io.tmpdir/.javacpp-USER when the home folder cannot be
 * written; TFLite prints an INFO line when XNNPACK starts. A run of parity must leave and print none of it.
 */
class HygieneTest {

    @Test
    void aRunLeavesNothingInTheTemporaryFoldersAndPrintsNothingOnStderr() throws Exception {
        Child run = Child.in(FixturePairs.scratch("hygiene-cwd"));
        run.verify(FixturePairs.pair("template-127-onnx2tf"));
        assertEquals(0, run.exitCode, run.stdout);
        assertEquals("", run.stderr, "a passing run prints nothing on stderr, TFLite's INFO line included");
        run.assertNothingLeft();
    }

    @Test
    void anUnwritableHomeLeavesNothingInTheWorkingDirectoryOrTheTemporaryFolders() throws Exception {
        Path dir = FixturePairs.scratch("hygiene-home");
        // A home that is a regular file cannot hold ~/.javacpp or ONNX Runtime's telemetry, even for root.
        Path home = Files.writeString(dir.resolve("home-is-a-file"), "x");
        Child run = Child.in(Files.createDirectories(dir.resolve("cwd")));
        run.environment.add("HOME=" + home);
        run.properties.add("-Duser.home=" + home);
        run.verify(FixturePairs.pair("template-127-onnx2tf"));
        assertEquals(0, run.exitCode, run.stdout + run.stderr);
        run.assertNothingLeft();
    }

    /** One child JVM running parity in its own working directory, $TMPDIR and java.io.tmpdir. */
    private static final class Child {
        private final Path cwd;
        private final Path tmp;
        private final Path javaTmp;
        private final Path reports;
        private final List<String> environment = new ArrayList<>();
        private final List<String> properties = new ArrayList<>();
        private int exitCode;
        private String stdout;
        private String stderr;

        private Child(Path cwd) throws IOException {
            this.cwd = cwd;
            Path base = cwd.getParent();
            this.tmp = Files.createDirectories(base.resolve(cwd.getFileName() + "-tmpdir"));
            this.javaTmp = Files.createDirectories(base.resolve(cwd.getFileName() + "-javatmp"));
            this.reports = base.resolve(cwd.getFileName() + "-reports");
        }

        static Child in(Path cwd) throws IOException {
            return new Child(cwd);
        }

        void verify(FixturePair pair) throws Exception {
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Djava.io.tmpdir=" + javaTmp));
            command.addAll(properties);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), ParityCli.class.getName(), "verify",
                    "--onnx", pair.onnx().toString(), "--tflite", pair.tflite().toString(),
                    "--report-dir", reports.toString()));
            ProcessBuilder child = new ProcessBuilder(command).directory(cwd.toFile());
            child.environment().put("TMPDIR", tmp.toString());
            for (String variable : environment) {
                int eq = variable.indexOf('=');
                child.environment().put(variable.substring(0, eq), variable.substring(eq + 1));
            }
            Path out = reports.getParent().resolve(cwd.getFileName() + ".stdout");
            Path err = reports.getParent().resolve(cwd.getFileName() + ".stderr");
            child.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = child.start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child run finished");
            exitCode = p.exitValue();
            stdout = Files.readString(out);
            stderr = Files.readString(err);
        }

        void assertNothingLeft() throws IOException {
            try (Stream<Path> a = Files.list(tmp); Stream<Path> b = Files.list(javaTmp); Stream<Path> c = Files.list(cwd)) {
                List<Path> left = Stream.of(a, b, c).flatMap(s -> s).toList();
                assertTrue(left.isEmpty(), () -> "left behind: " + left);
            }
        }
    }
}
