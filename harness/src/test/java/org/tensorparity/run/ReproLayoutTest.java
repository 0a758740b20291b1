package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Roots whose tensors are compared in layouts no binding of a model's inputs or outputs expresses, which were
 * refused: GTCRN-Micro's dynamic-range conversion (onnx2tf) computes a [1,2,63,192] ONNX tensor as [1,63,2,192]
 * (layout (0,2,1,3)), so the TFLite cut ends in a TRANSPOSE of its own; DTLN's second model (keras2onnx) feeds a
 * [1,128] ONNX tensor that alignment read as [1,1,128,1] in layout (0,1,3,2), which moves unit axes only, so the cut
 * is fed as it is. Each bundle fails under both delegates, and the same cut of the correct model passes.
 */
class ReproLayoutTest {
    private static final Path DIR = FixturePairs.scratch("repro-layout");

    @ParameterizedTest(name = "{1}")
    @CsvSource({
        // Int8 weights of a MatMul doubled: the fourth of writeQuantized's weight-scale mutants.
        "gtcrn-micro-dynamic-range, gtcrn-micro-dynamic-range-tflite-3-weight-scale, `TRANSPOSE (added: ",
        // A channel of the ONNX MatMul's weights scaled.
        "dtln-model-2, dtln-model-2-onnx-1-channel-scale, `repro.tflite` holds `FULLY_CONNECTED '"})
    void aCutComparedInAnotherLayoutIsMovedIntoOnnxLayout(String pairName, String mutantName, String readmeSays)
            throws IOException {
        Expectation pair = RealPairs.expectations().stream().filter(e -> e.name().equals(pairName)).findFirst()
                .orElseThrow();
        assumeTrue(Files.exists(pair.onnxPath()), "the real-pairs corpus is not here");
        RealPairMutants.Pair real = new RealPairMutants.Pair(pair.name(), pair.onnxPath(), pair.tflitePath());
        Path dir = DIR.resolve(mutantName);
        List<RealPairMutants.Mutant> written = mutantName.contains("-onnx-") ? RealPairMutants.write(real, dir, 2)
                : RealPairMutants.writeQuantized(real, dir, 4);
        RealPairMutants.Mutant mutant = written.stream().filter(m -> m.name().equals(mutantName)).findFirst()
                .orElseThrow();
        Path json = dir.resolve("run.json");
        Path bundle = dir.resolve("bundle");
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", mutant.onnx().toString(), "--tflite",
                mutant.tflite().toString(), "--json", json.toString(), "--repro", bundle.toString()));
        argv.addAll(pair.resolvedArgs());
        CliRun run = CliRun.of(argv.toArray());
        assertTrue(Files.isDirectory(bundle), run::toString);
        String readme = Files.readString(bundle.resolve("README.md"));
        assertTrue(readme.contains(readmeSays), readme);

        for (String delegate : List.of("xnnpack", "none")) {
            CliRun again = CliRun.of("verify", "--onnx", bundle.resolve("repro.onnx"), "--tflite",
                    bundle.resolve("repro.tflite"), "--inputs", bundle.resolve("inputs.npz"), "--tflite-delegate",
                    delegate, "--json", dir.resolve("bundle-" + delegate + ".json"));
            assertEquals(1, again.exitCode(), again::toString);
        }
        Path correct = mutantName.contains("-onnx-") ? pair.onnxPath() : pair.tflitePath();
        CliRun against = CliRun.of("repro", json, "--out", dir.resolve("against"), "--against", correct);
        assertEquals(0, against.exitCode(), against::toString);
    }
}
