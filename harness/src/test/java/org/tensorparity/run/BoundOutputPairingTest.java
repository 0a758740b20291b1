package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.fixtures.mutant.Mutation;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * A model output whose values no longer agree with the converted model's is still a layer: alignment pairs it by the
 * output binding when neither values nor structure do, so isolation can run on it and name it. DTLN model_1's last
 * Dense (MatMul, Add, Sigmoid) with its ONNX matrix read transposed left both its outputs unpaired, and the failing
 * run named no layer.
 */
class BoundOutputPairingTest {
    private static final Path DIR = FixturePairs.scratch("bound-outputs");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anOutputWhoseValuesDisagreeIsPairedByItsBindingAndNamed() throws IOException {
        Expectation e = RealPairs.expectations().stream().filter(x -> x.name().equals("dtln-model-1-dynamic-range"))
                .findFirst().orElseThrow();
        RealPairMutants.Mutant mutant = RealPairMutants.write(new RealPairMutants.Pair(e.name(), e.onnxPath(),
                        e.tflitePath()), DIR, 1).stream()
                .filter(m -> m.mutation().side().equals(Mutation.ONNX) && m.mutation().kind() == MutationKind.TRANSPOSE)
                .findFirst().orElseThrow();
        Path json = DIR.resolve(mutant.name() + ".json");
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx",
                mutant.onnx().toString(), "--tflite", e.tflitePath().toString(), "--json", json.toString()));
        argv.addAll(e.resolvedArgs());
        CliRun run = CliRun.of(argv.toArray());
        assertEquals(1, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(json.toFile());
        JsonNode first = report.get("firstDivergence");
        JsonNode failing = null;
        for (JsonNode output : report.get("outputs")) {
            if (output.get("verdict").asText().equals("fail")) {
                failing = output;
            }
        }
        assertTrue(failing != null, report.get("outputs")::toString);
        assertEquals(failing.get("onnx").asText(), first.get("onnx").asText(), first::toString);
        assertEquals("isolated", first.get("locatedBy").asText(), first::toString);
        JsonNode layer = report.get("layers").get(first.get("index").asInt());
        assertTrue(layer.get("evidence").toString().contains("bound as model outputs"), layer::toString);
    }
}
