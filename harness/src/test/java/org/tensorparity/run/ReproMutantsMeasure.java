package org.tensorparity.run;

import ai.onnx.proto.OnnxMl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tensorflow.lite.schema.Model;
import org.tensorparity.fixtures.mutant.RealPairMutants;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * The figures of docs/repro.md's "Measured" section, not a test (its name keeps it out of the test suite): for every
 * mutant of the pairs named in {@code -Dpairs=a,b}, {@code verify --repro} at the corpus's settings; for each bundle,
 * its own command under XNNPACK and the builtin kernels, its two models' bytes beyond their weights, and {@code
 * parity repro --against} the unmutated model of the mutated side. One {@code MEASURE} line per mutant on stdout,
 * with the output of the mutated operator and the report's root cause.
 * Quantized mutants ({@code RealPairMutants.writeQuantized}, four per kind) unless {@code -Dfloat=true}
 * ({@code RealPairMutants.write}, two per kind and side). Run by hand:
 * {@code mvn -o surefire:test -Dtest=ReproMutantsMeasure -Dpairs=gtcrn-micro-dynamic-range}.
 */
class ReproMutantsMeasure {
    @Test
    void measure() throws Exception {
        Set<String> pairs = Set.of(System.getProperty("pairs", "gtcrn-micro-dynamic-range").split(","));
        Path dir = FixturePairs.scratch("repro-measure");
        for (Expectation e : RealPairs.expectations()) {
            if (!pairs.contains(e.name())) {
                continue;
            }
            RealPairMutants.Pair pair = new RealPairMutants.Pair(e.name(), e.onnxPath(), e.tflitePath());
            List<RealPairMutants.Mutant> mutants = Boolean.getBoolean("float")
                    ? RealPairMutants.write(pair, dir.resolve(e.name()), 2)
                    : RealPairMutants.writeQuantized(pair, dir.resolve(e.name()), 4);
            for (RealPairMutants.Mutant m : mutants) {
                System.out.println("MEASURE " + m.name() + " | " + measure(e, m, dir));
            }
        }
    }

    private static String measure(Expectation e, RealPairMutants.Mutant m, Path dir) throws Exception {
        long start = System.nanoTime();
        Path bundle = dir.resolve("b-" + m.name());
        Path json = dir.resolve(m.name() + ".json");
        List<String> argv = new ArrayList<>(List.of("verify", "--onnx", m.onnx().toString(), "--tflite",
                m.tflite().toString(), "--json", json.toString(), "--repro", bundle.toString()));
        argv.addAll(e.resolvedArgs());
        CliRun run = CliRun.of(argv.toArray());
        JsonNode first = Files.exists(json) ? new ObjectMapper().readTree(json.toFile()).path("firstDivergence")
                : new ObjectMapper().createObjectNode();
        String line = "exit " + run.exitCode() + " | mutated " + m.mutation().output() + " root "
                + first.path("onnx").asText("none") + " | ";
        if (!Files.isDirectory(bundle)) {
            line += "none | " + run.err().strip().replace('\n', ' ');
        } else {
            List<String> command = List.of("verify", "--onnx", bundle.resolve("repro.onnx").toString(), "--tflite",
                    bundle.resolve("repro.tflite").toString(), "--inputs", bundle.resolve("inputs.npz").toString(),
                    "--json", dir.resolve(m.name() + "-bundle.json").toString());
            int xnnpack = CliRun.of(command.toArray()).exitCode();
            List<String> builtin = new ArrayList<>(command);
            builtin.addAll(List.of("--tflite-delegate", "none"));
            int kernels = CliRun.of(builtin.toArray()).exitCode();
            long models = Files.size(bundle.resolve("repro.onnx")) + Files.size(bundle.resolve("repro.tflite"));
            long weights = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(bundle.resolve("repro.onnx"))).getGraph()
                    .getInitializerList().stream().mapToLong(OnnxMl.TensorProto::getSerializedSize).sum();
            Model tflite = Model.getRootAsModel(ByteBuffer.wrap(Files.readAllBytes(bundle.resolve("repro.tflite"))));
            for (int b = 0; b < tflite.buffersLength(); b++) {
                weights += tflite.buffers(b).dataLength();
            }
            boolean moved = Files.readString(bundle.resolve("README.md")).contains(" (added: ");
            Path correct = m.name().contains("-onnx-") ? e.onnxPath() : e.tflitePath();
            CliRun against = CliRun.of("repro", json.toString(), "--out", dir.resolve("a-" + m.name()).toString(),
                    "--against", correct.toString());
            line += "bundle | xnnpack " + xnnpack + " builtin " + kernels + " | models " + models + " B slack "
                    + (models - weights) + (moved ? " moved" : "") + " | against " + against.exitCode() + " "
                    + (against.exitCode() == 0 ? "" : against.err().strip());
        }
        return line + " | " + (System.nanoTime() - start) / 1_000_000 + " ms";
    }
}
