package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.run.RealMutantsTest.Case;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Ground truth for a transposed convolution whose padding the converter crops: onnx2tf writes GTCRN-Micro's decoder
 * ConvTranspose as a TRANSPOSE_CONV, a STRIDED_SLICE that crops it, and its BatchNormalization as a MUL and an ADD.
 * With the TRANSPOSE_CONV's kernel flipped, the crop holds values that agree with nothing, and the ConvTranspose's
 * output, being what a BatchNormalization reads, had to be paired where TFLite kept that normalization: before TFLite's
 * MUL and ADD counted as one, the layer after (the BatchNormalization) was named and its diagnosis was unknown.
 */
class CroppedTransposeConvMutantsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = FixturePairs.scratch("cropped-transpose-conv-mutants");

    static Stream<Case> mutants() throws IOException {
        Expectation e = RealPairs.expectations().stream().filter(p -> p.name().equals("gtcrn-micro-float32"))
                .findFirst().orElseThrow();
        List<Case> out = new ArrayList<>();
        for (RealPairMutants.Mutant m : RealPairMutants.write(
                new RealPairMutants.Pair(e.name(), e.onnxPath(), e.tflitePath()), DIR, 5)) {
            if (m.mutation().kind() == MutationKind.KERNEL_FLIP && m.mutation().operator().equals("TRANSPOSE_CONV")) {
                out.add(new Case(e, m));
            }
        }
        assertTrue(out.size() >= 2, () -> "kernel flips of a TRANSPOSE_CONV written: " + out.size());
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void aFlippedKernelIsFoundAtItsConvTransposeAndDiagnosed(Case c) throws IOException {
        CliRun run = c.verify(DIR);
        String what = c.mutant().mutation().description() + "\n" + run;
        assertEquals(1, run.exitCode(), what);
        JsonNode first = JSON.readTree(c.report(DIR).toFile()).get("firstDivergence");
        assertEquals("ConvTranspose", first.path("onnxOp").asText(), what);
        assertEquals("kernel_flip", first.path("diagnosis").path("kind").asText(), what);
    }
}
