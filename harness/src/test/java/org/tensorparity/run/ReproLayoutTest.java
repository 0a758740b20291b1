package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * A root whose TFLite tensor is compared in a layout no binding of a model's outputs expresses: GTCRN-Micro's
 * dynamic-range conversion (onnx2tf) computes a [1,2,63,192] ONNX tensor as [1,63,2,192], layout (0,2,1,3). The
 * bundle's TFLite cut ends in a TRANSPOSE of its own, so its output binds as it is; it still fails under both
 * delegates, and the same cut of the correct conversion passes.
 */
class ReproLayoutTest {
    private static final Path DIR = FixturePairs.scratch("repro-layout");

    @Test
    void aCutReadInAnotherLayoutEndsInATransposeOfItsOwn() throws IOException {
        Expectation pair = RealPairs.expectations().stream().filter(e -> e.name().equals("gtcrn-micro-dynamic-range"))
                .findFirst().orElseThrow();
        assumeTrue(Files.exists(pair.onnxPath()), "the real-pairs corpus is not here");
        // Int8 weights of a conv doubled: the fourth of writeQuantized's weight-scale mutants.
        RealPairMutants.Mutant mutant = RealPairMutants.writeQuantized(new RealPairMutants.Pair(pair.name(),
                pair.onnxPath(), pair.tflitePath()), DIR.resolve("mutants"), 4).stream()
                .filter(m -> m.name().equals("gtcrn-micro-dynamic-range-tflite-3-weight-scale")).findFirst().orElseThrow();
        Path json = DIR.resolve("run.json");
        Path bundle = DIR.resolve("bundle");
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", mutant.onnx().toString(), "--tflite",
                mutant.tflite().toString(), "--json", json.toString(), "--repro", bundle.toString()));
        argv.addAll(pair.resolvedArgs());
        CliRun run = CliRun.of(argv.toArray());
        assertTrue(Files.isDirectory(bundle), run::toString);
        String readme = Files.readString(bundle.resolve("README.md"));
        assertTrue(readme.contains("`TRANSPOSE (added: "), readme);

        for (String delegate : List.of("xnnpack", "none")) {
            CliRun again = CliRun.of("verify", "--onnx", bundle.resolve("repro.onnx"), "--tflite",
                    bundle.resolve("repro.tflite"), "--inputs", bundle.resolve("inputs.npz"), "--tflite-delegate",
                    delegate, "--json", DIR.resolve("bundle-" + delegate + ".json"));
            assertEquals(1, again.exitCode(), again::toString);
            assertTrue(again.out().contains("FAIL"), again::toString);
        }
        CliRun against = CliRun.of("repro", json, "--out", DIR.resolve("against"), "--against", pair.tflitePath());
        assertEquals(0, against.exitCode(), against::toString);
    }
}
