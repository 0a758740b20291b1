package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Messages reported through the hand-built C++ reporter object arrive in Java, one line each. */
class CapturedErrorReporterTest {

    @Test
    void capturesWhatTfLiteReports() {
        try (CapturedErrorReporter errors = CapturedErrorReporter.create()) {
            assertTrue(errors.captures(), "linux-x86_64 is the platform the project ships natives for");
            errors.reporter().Report("The model is not a valid Flatbuffer buffer");
            errors.reporter().Report("Node number 3 (CONV_2D)\nfailed to prepare.");
            errors.reporter().Report("Node number 3 (CONV_2D)\nfailed to prepare.");
            assertEquals("The model is not a valid Flatbuffer buffer; Node number 3 (CONV_2D) failed to prepare.",
                    errors.drain());
            assertEquals("", errors.drain(), "drain empties");
        }
    }

    @Test
    void keepsReportersApartAndShortensBuildPaths() {
        try (CapturedErrorReporter first = CapturedErrorReporter.create();
                CapturedErrorReporter second = CapturedErrorReporter.create()) {
            first.reporter().Report("/home/runner/work/x/tensorflow-2.21.0/tensorflow/lite/kernels/conv.cc:345 bad");
            second.reporter().Report("other");
            assertEquals("tensorflow/lite/kernels/conv.cc:345 bad", first.drain());
            assertEquals("other", second.drain());
        }
    }

    @Test
    void closeIsIdempotent() {
        CapturedErrorReporter errors = CapturedErrorReporter.create();
        errors.close();
        errors.close();
    }
}
