package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * onnx2tf computes GTCRN-Micro's BatchNormalizations after a ConvTranspose or a concatenation as a MUL by one constant
 * and an ADD of another. A change to either side of such a BatchNormalization (its shift or scale, its epsilon, the
 * ADD's constant dropped), whose root is paired with the ADD or with the MUL, is diagnosed as its kind: the ONNX
 * BatchNormalization made the TFLite {@code x * m + a} reproduces the TFLite values, and its own factor and shift
 * compared with those constants say what differs.
 */
class DecomposedBatchNormDiagnosisTest {
    private static final Path DIR = FixturePairs.scratch("decomposed-batchnorm");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<MutationKind> KINDS = Set.of(MutationKind.OFFSET_DROPPED, MutationKind.BN_SHIFT,
            MutationKind.BN_SCALE, MutationKind.EPSILON);
    /**
     * Mutants of each kind: the seventh BatchNorm scale reaches the last BatchNorm, of two channels, where one channel
     * scaled x1.5 is also what an epsilon of 37.8 gives (a scaling: no converter folds with such an epsilon).
     */
    private static final int PER_KIND = 7;

    @Test
    void changesAtADecomposedBatchNormAreDiagnosedAsTheirKind() throws IOException {
        Expectation gtcrn = RealPairs.expectations().stream().filter(e -> e.name().equals("gtcrn-micro-float32"))
                .findFirst().orElseThrow();
        List<String> diagnosed = new ArrayList<>();
        for (RealPairMutants.Mutant m : RealPairMutants.write(new RealPairMutants.Pair(gtcrn.name(), gtcrn.onnxPath(),
                gtcrn.tflitePath()), DIR, PER_KIND)) {
            if (!KINDS.contains(m.mutation().kind())) {
                continue;
            }
            Path json = DIR.resolve(m.name() + ".json");
            List<String> argv = new ArrayList<>(List.of("verify", "--onnx", m.onnx().toString(), "--tflite",
                    m.tflite().toString(), "--json", json.toString()));
            argv.addAll(gtcrn.resolvedArgs());
            CliRun run = CliRun.of(argv.toArray());
            JsonNode first = JSON.readTree(json.toFile()).get("firstDivergence");
            if (run.exitCode() != 1 || !first.get("onnxOp").asText().equals("BatchNormalization")
                    || !Set.of("ADD", "MUL").contains(first.get("tfliteOp").asText())) {
                continue;
            }
            assertEquals(DiagnosisTest.EXPECTED.get(m.mutation().kind()), first.at("/diagnosis/kind").asText(),
                    () -> m.mutation().description() + "\n" + first.at("/diagnosis"));
            diagnosed.add(m.name());
        }
        assertTrue(diagnosed.size() >= 6, "mutants rooted at a decomposed BatchNormalization: " + diagnosed);
    }
}
