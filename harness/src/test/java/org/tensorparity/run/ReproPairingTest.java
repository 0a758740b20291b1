package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * A reproducer is only written where its cut can show the bug: on DTLN model_2, whose dense layer is an ONNX MatMul then
 * Add and one TFLite FULLY_CONNECTED with its bias, a mutant whose root alignment pairs the MatMul with the
 * FULLY_CONNECTED gets no bundle (the cut would fail on the correct conversion too), and a mutant of a convolution
 * gets one whose same cut of the unmutated model passes ({@code parity repro --against}). On the GRU pair, whose
 * WHILE body's tensors are captured and whose ONNX Loop is unrolled for the run, the cut of the dense layer after the
 * loop reads the WHILE's output (a cut reads no body tensor) and finds its operators by name in the un-unrolled file.
 */
class ReproPairingTest {
    private static final Path DIR = FixturePairs.scratch("repro-pairing");

    @Test
    void aCutPairedOneFusedOperatorApartIsNotWrittenAndAGoodOneIsCheckedAgainstTheCorrectModel() throws IOException {
        Expectation e = RealPairs.expectations().stream().filter(x -> x.name().equals("dtln-model-2")).findFirst()
                .orElseThrow();
        List<RealPairMutants.Mutant> scaled = RealPairMutants.write(new RealPairMutants.Pair(e.name(), e.onnxPath(),
                e.tflitePath()), DIR, 2).stream().filter(m -> m.mutation().side().equals("tflite")
                        && m.mutation().kind() == MutationKind.CHANNEL_SCALE).toList();
        RealPairMutants.Mutant dense = scaled.stream().filter(m -> m.mutation().operator().equals("FULLY_CONNECTED"))
                .findFirst().orElseThrow();
        RealPairMutants.Mutant conv = scaled.stream().filter(m -> m.mutation().operator().equals("CONV_2D"))
                .findFirst().orElseThrow();

        Path denseDir = DIR.resolve("dense");
        CliRun refused = CliRun.of("verify", "--onnx", dense.onnx(), "--tflite", dense.tflite(), "--json",
                DIR.resolve("dense.json"), "--repro", denseDir);
        assertEquals(1, refused.exitCode(), refused::toString);
        assertTrue(refused.toString().contains("paired one fused operator apart"), refused::toString);
        assertFalse(Files.exists(denseDir.resolve("repro.onnx")), refused::toString);

        Path json = DIR.resolve("conv.json");
        Path convDir = DIR.resolve("conv");
        CliRun written = CliRun.of("verify", "--onnx", conv.onnx(), "--tflite", conv.tflite(), "--json", json,
                "--repro", convDir);
        assertEquals(1, written.exitCode(), written::toString);
        assertTrue(Files.exists(convDir.resolve("repro.tflite")), written::toString);
        CliRun against = CliRun.of("repro", json, "--out", DIR.resolve("conv-checked"), "--against", e.tflitePath());
        assertEquals(0, against.exitCode(), against::toString);
    }

    @Test
    void aCutAfterALoopReadsTheMainGraphAndMatchesTheFileItCameFrom() throws IOException {
        Expectation e = RealPairs.expectations().stream().filter(x -> x.name().equals("precise-lite-gru")).findFirst()
                .orElseThrow();
        RealPairMutants.Mutant onnxSide = RealPairMutants.write(new RealPairMutants.Pair(e.name(), e.onnxPath(),
                e.tflitePath()), DIR.resolve("gru"), 1).stream().filter(m -> m.mutation().side().equals("onnx"))
                .findFirst().orElseThrow();
        Path json = DIR.resolve("gru.json");
        CliRun written = CliRun.of("verify", "--onnx", onnxSide.onnx(), "--tflite", onnxSide.tflite(), "--json", json,
                "--repro", DIR.resolve("gru-bundle"));
        assertEquals(1, written.exitCode(), written::toString);
        assertTrue(Files.exists(DIR.resolve("gru-bundle").resolve("repro.onnx")), written::toString);
        CliRun against = CliRun.of("repro", json, "--out", DIR.resolve("gru-checked"), "--against", e.onnxPath());
        assertEquals(0, against.exitCode(), against::toString);
    }
}
