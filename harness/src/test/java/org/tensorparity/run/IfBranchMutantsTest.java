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
import org.tensorparity.fixtures.mutant.Mutation;
import org.tensorparity.fixtures.mutant.MutationKind;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.SpectrumInput;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Mutants inside an ONNX {@code If} branch, on the real silero-vad pair, whose whole network sits in the branch
 * {@code If_0/then_branch}: the convolutions of that branch changed on the ONNX side (weights held in the branch's
 * Constant nodes), and the TFLite operators that implement it changed on the other. Each must fail at default
 * settings on a block of speech from the corpus (sr takes the value the graph implies), and its first divergence must
 * name the mutated layer: only the branch inlined for the instrumented run makes those layers visible. Its diagnosis
 * must name the mutation's kind.
 */
class IfBranchMutantsTest {
    private static final Path DIR = FixturePairs.scratch("if-branch-mutants");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SPEECH = speech();
    /**
     * Mutants that change nothing the models compute on these inputs: encoder.3's input is one frame long, so its
     * padded 3-tap kernel uses only its centre tap, and flipping it (ONNX Conv or TFLite CONV_2D) is no change. They
     * must pass.
     */
    private static final Set<String> EQUIVALENT = Set.of("silero-vad-onnx-branch-6-kernel-flip",
            "silero-vad-tflite-3-kernel-flip");
    /**
     * Mutants that must fail but are named one layer on: the LSTM's input matrix read transposed sits in TFLite's
     * unrolled cell, whose gate pre-activations no ONNX tensor holds (ONNX computes the cell as one LSTM operator), so
     * the first divergence is the cell's output.
     */
    private static final Set<String> LOCALIZED_AFTER = Set.of("silero-vad-tflite-4-transpose");

    private static Path speech() {
        try {
            return SpectrumInput.writeSilero(RealPairs.folder().resolve("gtcrn-micro-onnx2tf").resolve("noisy1.wav"),
                    DIR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Stream<RealPairMutants.Mutant> mutants() {
        Expectation silero = RealPairs.expectations().stream().filter(e -> e.name().equals("silero-vad")).findFirst()
                .orElseThrow();
        RealPairMutants.Pair pair = new RealPairMutants.Pair(silero.name(), silero.onnxPath(), silero.tflitePath());
        List<RealPairMutants.Mutant> out = new ArrayList<>();
        try {
            out.addAll(RealPairMutants.writeInBranch(pair, DIR, "If_0/then_branch", 2));
            // Weights in bfloat16 are a precision change the tolerance may accept: on speech the LSTM's input MatMul in
            // bfloat16 stays within it.
            out.addAll(RealPairMutants.write(pair, DIR, 1).stream()
                    .filter(m -> m.mutation().side().equals(Mutation.TFLITE) && m.mutation().kind() != MutationKind.BFLOAT16)
                    .toList());
            // A fused activation dropped or clamped: encoder.3's CONV_2D clamped to [-1, 1] was once paired by
            // structure with a MUL of the decoder's LSTM cell, past its own layer.
            out.addAll(RealPairMutants.writeActivations(pair, DIR, 2));
            out.addAll(RealPairMutants.writeClamps(pair, DIR, 2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutants")
    void caughtAndLocalizedInsideTheBranch(RealPairMutants.Mutant mutant) throws IOException {
        Path json = DIR.resolve(mutant.name() + ".json");
        CliRun run = CliRun.of("verify", "--onnx", mutant.onnx().toString(), "--tflite", mutant.tflite().toString(),
                "--inputs", SPEECH.toString(), "--json", json.toString());
        Mutation m = mutant.mutation();
        if (EQUIVALENT.contains(mutant.name())) {
            assertEquals(0, run.exitCode(), () -> m.description() + "\n" + run);
            return;
        }
        assertEquals(1, run.exitCode(), () -> m.description() + "\n" + run);
        if (LOCALIZED_AFTER.contains(mutant.name())) {
            return;
        }
        JsonNode report = JSON.readTree(json.toFile());
        JsonNode first = report.get("firstDivergence");
        String named = first.isNull() ? "-" : first.get("onnx").asText() + " <-> " + first.get("tflite").asText();
        boolean localized = !first.isNull() && (m.side().equals(Mutation.TFLITE)
                ? first.get("tflite").asText().equals(m.expectedTflite())
                : m.expectedOnnx().contains(first.get("onnx").asText()));
        assertTrue(localized, () -> m.description() + "\nfirst divergence: " + named + "\nexpected: "
                + (m.side().equals(Mutation.TFLITE) ? m.expectedTflite() : m.expectedOnnx()) + "\n" + run);
        assertEquals("If_0", report.at("/alignment/inlinedIfs/0/node").asText());
        // Inside the branch too, the root's diagnosis names the mutation: the weights a Constant node of the branch
        // holds are replaced by the converted model's, and the STFT's Conv, which the converter split in two by
        // channels, is mapped part by part.
        String expected = DiagnosisTest.EXPECTED.get(m.kind());
        assertEquals(expected, first.at("/diagnosis/kind").asText(), () -> m.description() + "\ndiagnosis: "
                + first.at("/diagnosis/detail").asText() + "\n" + first.at("/diagnosis/tested"));
    }
}
