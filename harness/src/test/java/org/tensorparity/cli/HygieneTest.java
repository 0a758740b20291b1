package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.testing.FixturePairs;

/**
 * ONNX Runtime 1.29 leaves an empty mat-debug-PID.log in $TMPDIR and an onnxruntime-java* folder in
 * java.io.tmpdir in every process; a run of parity must leave neither. Checked in a child JVM, since
 * the litter belongs to the process.
 */
class HygieneTest {

    @Test
    void aRunLeavesNothingInTheTemporaryFolders() throws Exception {
        FixturePair pair = FixturePairs.pair("template-127-onnx2tf");
        Path tmp = FixturePairs.scratch("tmpdir");
        Path javaTmp = FixturePairs.scratch("javatmp");
        Path reports = FixturePairs.scratch("reports");
        ProcessBuilder child = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + javaTmp,
                "-cp", System.getProperty("java.class.path"),
                ParityCli.class.getName(), "verify", "--onnx", pair.onnx().toString(), "--tflite", pair.tflite().toString(),
                "--report-dir", reports.toString()));
        child.environment().put("TMPDIR", tmp.toString());
        child.redirectErrorStream(true);
        Process p = child.start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child run finished");
        assertEquals(0, p.exitValue(), output);
        try (Stream<Path> a = Files.list(tmp); Stream<Path> b = Files.list(javaTmp)) {
            List<Path> left = Stream.concat(a, b).toList();
            assertTrue(left.isEmpty(), () -> "left behind: " + left);
        }
    }
}
