package org.tensorparity.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.run.RealMutantsTest.Case;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Ground truth for fused activations: mutants of the corpus's pairs whose converted operator lost or changed the
 * activation it fuses (a fused ReLU dropped, a ReLU6 made a ReLU, a ReLU clamped to [-1, 1]). Each must fail at
 * default settings, and its first divergence must name the mutated operator's output. Such an operator holds the
 * values of a tensor inside the ONNX fusion chain (the Conv's output before its Relu), and the error first shows
 * below it: before alignment paired it with the chain's end, none of the 11 dropped activations and 7 of the 9
 * clamps named it; the rest named the layer after it.
 */
class FusedActivationMutantsTest {
    /** The corpus pairs whose converted operators fuse activations. */
    private static final Set<String> MUTATED = Set.of("ultraface-slim320", "handgesture-keypoint", "basic-pitch",
            "emg-cnn-float64");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DIR = FixturePairs.scratch("fused-activation-mutants");

    static Stream<Case> mutants() {
        List<Case> out = new ArrayList<>();
        for (Expectation e : RealPairs.expectations()) {
            if (!MUTATED.contains(e.name())) {
                continue;
            }
            RealPairMutants.Pair pair = new RealPairMutants.Pair(e.name(), e.onnxPath(), e.tflitePath());
            try {
                RealPairMutants.writeActivations(pair, DIR.resolve(e.name()), 5).forEach(m -> out.add(new Case(e, m)));
                RealPairMutants.writeClamps(pair, DIR.resolve(e.name()), 3).forEach(m -> out.add(new Case(e, m)));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }
        assertTrue(out.size() >= 16, () -> "fused-activation mutants written: " + out.size());
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void everyMutantFailsAtTheOperatorThatLostItsActivation(Case c) throws IOException {
        CliRun run = c.verify(DIR);
        String what = c.mutant().mutation().description() + "\n" + run;
        assertEquals(1, run.exitCode(), what);
        JsonNode first = JSON.readTree(c.report(DIR).toFile()).get("firstDivergence");
        assertEquals(c.mutant().mutation().expectedTflite(), first.path("tflite").asText(), what);
    }
}
