package org.tensorparity.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.ort.OnnxRuntimeRunner;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputSource;
import org.tensorparity.compare.TaskCheck;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.fixtures.catalog.FixtureCatalog;
import org.tensorparity.fixtures.catalog.FixtureWriter;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.tensor.Shape;

/**
 * The repository's {@code fixtures/dasiamrpn.suite.yaml}, read beside the models the fixture generator
 * writes (at a reduced width, same names and tensor names as {@code make demo}'s full-size ones), and its
 * tensor names checked against the real ONNX signatures.
 */
class ShippedSuiteTest {
    private static final Path SHIPPED = Path.of("..", "fixtures", "dasiamrpn.suite.yaml");

    @TempDir
    static Path dir;

    private static SuiteFile suite;

    @BeforeAll
    static void generateModelsAndRead() throws Exception {
        Path models = Files.createDirectories(dir.resolve("target/dasiamrpn"));
        for (String name : List.of("template-127-onnxtf", "detection-271-onnxtf")) {
            FixtureWriter.write(FixtureCatalog.byName(name), models, 0.125, 7);
        }
        suite = SuiteFile.read(Files.copy(SHIPPED, dir.resolve("dasiamrpn.suite.yaml")));
    }

    @Test
    void coversTheTemplateAndDetectionPairsAndTheChain() {
        assertEquals(List.of("template-127", "detection-271"), suite.pairs().stream().map(PairSpec::name).toList());
        PairSpec template = suite.pair("template-127").orElseThrow();
        assertEquals(dir.resolve("target/dasiamrpn/template-127-onnxtf.onnx"), template.onnx());
        assertEquals(dir.resolve("target/dasiamrpn/template-127-onnxtf.tflite"), template.tflite());
        assertEquals(new InputSource.Seeded(new InputDistribution.Uniform(-1, 1)), template.inputs().get("x"));
        assertEquals(Tolerances.defaults(), template.tolerance());

        PairSpec detection = suite.pair("detection-271").orElseThrow();
        assertEquals(dir.resolve("target/dasiamrpn/detection-271-onnxtf.tflite"), detection.tflite());
        assertEquals(List.of(TaskCheck.parse("peak"), TaskCheck.parse("top-locations:5")), detection.checks().get("score"));

        assertEquals(List.of(new Stage("template-127", "detection-271",
                Map.of("r1_kernel_raw", "r1_kernel", "cls1_kernel_raw", "cls1_kernel"))), suite.stages());
        assertEquals(List.of("template-127", "detection-271"), suite.runOrder().stream().map(PairSpec::name).toList());
        assertEquals(suite.pairs(), suite.shard(1, 2).pairs(), "the chain stays on one shard");
        assertEquals(List.of(), suite.shard(2, 2).pairs());
    }

    @Test
    void everyTensorNameExistsInTheModels() throws Exception {
        for (PairSpec pair : suite.pairs()) {
            try (OnnxRuntimeRunner onnx = OnnxRuntimeRunner.open(ModelFile.read(pair.onnx(), ModelFormat.ONNX),
                    RunnerSettings.DEFAULT)) {
                ModelSignature signature = onnx.signature();
                suite.checkNames(pair.name(), signature);
                if (pair.name().equals("detection-271")) {
                    Shape score = signature.output("score").orElseThrow().shape();
                    assertEquals(Shape.of(1, 10, 19, 19), score);
                    for (TaskCheck check : pair.checks().get("score")) {
                        assertTrue(check.rowLength(score) >= check.k(), check.describe());
                    }
                }
            }
        }
    }
}
