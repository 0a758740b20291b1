package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;
import org.tensorparity.ParityException;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.TfLiteDelegate;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;

/**
 * Files that are not TFLite models: each is a one-line {@link ModelFailureException} naming the file,
 * carrying TFLite's own reason, with nothing printed on stderr and no crash.
 */
class TfLiteRunnerMalformedTest {
    private static final String REAL = "template-127-onnxtf";

    @TempDir
    static Path dir;
    private static Path randomBytes;
    private static Path truncated;
    private static Path fourBytes;
    private static Path onnxAsTflite;
    private static Path truncatedOnnx;

    @BeforeAll
    static void writeMalformedFiles() throws IOException {
        byte[] real = Files.readAllBytes(TfLiteFixtures.pair(REAL).tflite());
        byte[] onnx = Files.readAllBytes(TfLiteFixtures.pair(REAL).onnx());
        byte[] random = new byte[64 * 1024];
        new Random(11).nextBytes(random);
        randomBytes = Files.write(dir.resolve("random-bytes.tflite"), random);
        truncated = Files.write(dir.resolve("half-of-template.tflite"), Arrays.copyOf(real, real.length / 2));
        fourBytes = Files.write(dir.resolve("four-bytes.tflite"), Arrays.copyOf(real, 4));
        onnxAsTflite = Files.write(dir.resolve("template-onnx-bytes.tflite"), onnx);
        truncatedOnnx = Files.write(dir.resolve("half-of-onnx.tflite"), Arrays.copyOf(onnx, onnx.length / 2));
    }

    @Test
    void randomBytesAreNotAModel() {
        String message = failure(randomBytes);
        assertTrue(message.contains("no TFL3 file identifier"), message);
    }

    @Test
    void aTruncatedModelFailsVerification() {
        failure(truncated);
    }

    @Test
    void fourBytesAreTooShort() {
        String message = failure(fourBytes);
        assertTrue(message.contains("4 bytes"), message);
    }

    @Test
    void onnxBytesAreNotATfliteModel() {
        // The model layer may spot a swapped pair first; either way the user gets one line naming the file.
        ParityException e = assertThrows(ParityException.class,
                () -> TfLiteRunner.open(ModelFile.read(onnxAsTflite, ModelFormat.TFLITE), RunnerSettings.DEFAULT).close());
        assertOneLineNaming(onnxAsTflite, e.getMessage());
        // Bytes the model layer cannot recognise as ONNX reach the runner, whose verifier refuses them.
        String message = failure(truncatedOnnx);
        assertTrue(message.contains("no TFL3 file identifier"), message);
    }

    @Test
    void nativeFailuresLeaveNoTraceOnStderrAndDoNotCrash() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
                MalformedModelProbe.class.getName()));
        for (Path p : List.of(randomBytes, truncated, fourBytes, truncatedOnnx)) {
            command.add(p.toString());
        }
        Path out = dir.resolve("probe.out");
        Path err = dir.resolve("probe.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the probe JVM finishes");
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "the probe JVM survives; stderr: " + stderr);
        assertTrue(stdout.endsWith("DONE" + System.lineSeparator()), stdout);
        assertEquals(4, stdout.lines().filter(l -> l.startsWith("ModelFailureException: ")).count(), stdout);
        assertFalse(stderr.contains("ERROR"), "TFLite's messages belong in our exceptions, not on stderr: " + stderr);
    }

    @Test
    void settingsDoNotChangeHowAMalformedFileFails() {
        for (TfLiteDelegate delegate : TfLiteDelegate.values()) {
            RunnerSettings settings = new RunnerSettings(delegate, 2, true);
            ModelFailureException e = assertThrows(ModelFailureException.class,
                    () -> TfLiteRunner.open(ModelFile.read(truncated, ModelFormat.TFLITE), settings).close());
            assertOneLineNaming(truncated, e.getMessage());
        }
    }

    private static String failure(Path file) {
        ModelFile model;
        try {
            model = ModelFile.read(file, ModelFormat.TFLITE);
        } catch (BadInputException e) {
            throw new AssertionError("the model layer rejected " + file + " before the runner saw it", e);
        }
        ModelFailureException e = assertThrows(ModelFailureException.class,
                () -> TfLiteRunner.open(model, RunnerSettings.DEFAULT).close());
        assertOneLineNaming(file, e.getMessage());
        assertTrue(e.getMessage().contains("not a valid TFLite file"), e.getMessage());
        assertTrue(e.getMessage().contains("The model is not a valid Flatbuffer buffer"),
                "TFLite's own reason is in the message: " + e.getMessage());
        return e.getMessage();
    }

    private static void assertOneLineNaming(Path file, String message) {
        assertTrue(message.contains(file.getFileName().toString()), message);
        assertFalse(message.contains("\n") || message.contains("\r"), "one line: " + message);
    }
}
