package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * FULLY_CONNECTED is cut with the Add on the ONNX side, so the same cut of the unmutated model passes ({@code parity
 * repro --against}); one whose cut would be fed the FULLY_CONNECTED's output for the MatMul's starts at the MatMul
 * and the FULLY_CONNECTED instead, and passes against it too; so does a mutant of a convolution. On the GRU pair, whose
 * WHILE body's tensors are captured and whose ONNX Loop is unrolled for the run, the cut of the dense layer after the
 * loop reads the WHILE's output (a cut reads no body tensor) and finds its operators by name in the un-unrolled file.
 * On GTCRN-Micro, whose decoder BatchNormalizations onnx2tf writes as MUL then ADD, a root alignment paired with the
 * MUL is cut up to the ADD of its shift, so the same cut of the unmutated model passes, on either side.
 */
class ReproPairingTest {
    private static final Path DIR = FixturePairs.scratch("repro-pairing");

    @Test
    void aCutPairedOneFusedOperatorApartTakesInTheBiasAddOrStartsBeforeIt() throws IOException {
        Expectation e = RealPairs.expectations().stream().filter(x -> x.name().equals("dtln-model-2")).findFirst()
                .orElseThrow();
        List<RealPairMutants.Mutant> mutants = RealPairMutants.write(new RealPairMutants.Pair(e.name(), e.onnxPath(),
                e.tflitePath()), DIR, 2).stream().filter(m -> m.mutation().side().equals("tflite")).toList();
        RealPairMutants.Mutant dense = mutants.stream().filter(m -> m.mutation().kind() == MutationKind.CHANNEL_SCALE
                && m.mutation().operator().equals("FULLY_CONNECTED")).findFirst().orElseThrow();
        RealPairMutants.Mutant conv = mutants.stream().filter(m -> m.mutation().kind() == MutationKind.CHANNEL_SCALE
                && m.mutation().operator().equals("CONV_2D")).findFirst().orElseThrow();
        RealPairMutants.Mutant bias = mutants.stream().filter(m -> m.mutation().kind() == MutationKind.ZERO_BIAS
                && m.mutation().operator().equals("FULLY_CONNECTED")).findFirst().orElseThrow();

        // The root, an ONNX MatMul, is paired with a FULLY_CONNECTED that adds the bias of the Add after the
        // MatMul (tf2onnx's Tensordot: MatMul, Reshape, Add): the ONNX cut ends at that Add.
        Path denseJson = DIR.resolve("dense.json");
        Path denseDir = DIR.resolve("dense");
        CliRun taken = CliRun.of("verify", "--onnx", dense.onnx(), "--tflite", dense.tflite(), "--json", denseJson,
                "--repro", denseDir);
        assertEquals(1, taken.exitCode(), taken::toString);
        assertTrue(Files.exists(denseDir.resolve("repro.onnx")), taken::toString);
        assertTrue(Files.readString(denseDir.resolve("README.md")).contains("the ONNX cut ends at the `Add` after it"),
                taken::toString);
        CliRun reproduced = CliRun.of("verify", "--onnx", denseDir.resolve("repro.onnx"), "--tflite",
                denseDir.resolve("repro.tflite"), "--inputs", denseDir.resolve("inputs.npz"), "--json",
                DIR.resolve("dense-bundle.json"));
        assertEquals(1, reproduced.exitCode(), reproduced::toString);
        CliRun denseAgainst = CliRun.of("repro", denseJson, "--out", DIR.resolve("dense-checked"), "--against",
                e.tflitePath());
        assertEquals(0, denseAgainst.exitCode(), denseAgainst::toString);

        // A root fed the FULLY_CONNECTED's output for the MatMul's (its bias zeroed, the root the Add after the
        // MatMul): the cut starts at the MatMul and the FULLY_CONNECTED, or it would add the bias twice.
        Path biasJson = DIR.resolve("bias.json");
        Path biasDir = DIR.resolve("bias");
        CliRun earlier = CliRun.of("verify", "--onnx", bias.onnx(), "--tflite", bias.tflite(), "--json", biasJson,
                "--repro", biasDir);
        assertEquals(1, earlier.exitCode(), earlier::toString);
        assertTrue(Files.exists(biasDir.resolve("repro.onnx")), earlier::toString);
        String readme = Files.readString(biasDir.resolve("README.md"));
        assertTrue(readme.contains("The cut starts at the operators before the layer's") && readme.contains("`MatMul"),
                readme);
        CliRun biasAgainst = CliRun.of("repro", biasJson, "--out", DIR.resolve("bias-checked"), "--against",
                e.tflitePath());
        assertEquals(0, biasAgainst.exitCode(), biasAgainst::toString);

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

    @Test
    void aBatchNormalizationWrittenAsMulThenAddIsCutUpToTheAdd() throws IOException {
        Expectation e = RealPairs.expectations().stream().filter(x -> x.name().equals("gtcrn-micro-float32"))
                .findFirst().orElseThrow();
        List<RealPairMutants.Mutant> all = RealPairMutants.write(new RealPairMutants.Pair(e.name(), e.onnxPath(),
                e.tflitePath()), DIR.resolve("gtcrn"), 2);
        // The ADD of a decoder BatchNormalization's shift adds zeros; onnx2tf writes the BatchNormalization as MUL then
        // ADD, and alignment pairs the root with the ADD that ends it (read, as the ONNX output is, by a PRelu's RELU).
        RealPairMutants.Mutant dropped = all.stream().filter(m -> m.mutation().side().equals("tflite")
                && m.mutation().kind() == MutationKind.OFFSET_DROPPED).findFirst().orElseThrow();
        Path json = DIR.resolve("gtcrn-offset.json");
        Path bundle = DIR.resolve("gtcrn-offset");
        CliRun written = CliRun.of(withArgs(e, "verify", "--onnx", dropped.onnx(), "--tflite", dropped.tflite(),
                "--json", json, "--repro", bundle));
        assertEquals(1, written.exitCode(), written::toString);
        CliRun own = CliRun.of("verify", "--onnx", bundle.resolve("repro.onnx"), "--tflite",
                bundle.resolve("repro.tflite"), "--inputs", bundle.resolve("inputs.npz"), "--json",
                DIR.resolve("gtcrn-offset-bundle.json"));
        assertEquals(1, own.exitCode(), own::toString);
        CliRun against = CliRun.of("repro", json, "--out", DIR.resolve("gtcrn-offset-checked"), "--against",
                e.tflitePath());
        assertEquals(0, against.exitCode(), against::toString);
        String readme = Files.readString(bundle.resolve("README.md"));
        assertTrue(readme.contains("against TFLite `model_66/tf.__operators__.add_39/AddV2` (`ADD`)"), readme);

        // The second BatchNormalization whose shift the ONNX mutants zero (the first is paired with its ADD).
        RealPairMutants.Mutant shifted = all.stream().filter(m -> m.mutation().side().equals("onnx")
                && m.mutation().kind() == MutationKind.BN_SHIFT).reduce((first, second) -> second).orElseThrow();
        Path shiftedJson = DIR.resolve("gtcrn-shift.json");
        CliRun run = CliRun.of(withArgs(e, "verify", "--onnx", shifted.onnx(), "--tflite", shifted.tflite(),
                "--json", shiftedJson));
        assertEquals(1, run.exitCode(), run::toString);
        CliRun checked = CliRun.of("repro", shiftedJson, "--out", DIR.resolve("gtcrn-shift-checked"), "--against",
                e.onnxPath());
        assertEquals(0, checked.exitCode(), checked::toString);
        assertTrue(Files.readString(DIR.resolve("gtcrn-shift-checked").resolve("README.md"))
                .contains("the cut ends at the `ADD` after it"), checked::toString);
    }

    /** {@code argv} with the corpus's settings for the pair. */
    private static Object[] withArgs(Expectation e, Object... argv) {
        List<Object> all = new ArrayList<>(List.of(argv));
        all.addAll(e.resolvedArgs());
        return all.toArray();
    }
}
