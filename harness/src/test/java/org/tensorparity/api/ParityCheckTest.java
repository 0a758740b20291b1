package org.tensorparity.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputGenerator;
import org.tensorparity.bind.npy.NpzWriter;
import org.tensorparity.compare.Verdict;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelSignature;
import org.tensorparity.result.ParityReport;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.FixturePairs;

/** The library entry point on real runtimes: defaults as on the command line, inputs from files, the runner factory. */
class ParityCheckTest {
    private final FixturePair template = FixturePairs.pair("template-127-onnxtf");
    private final Path dir = FixturePairs.scratch("api");

    @Test
    void aCheckWithDefaultsJudgesOutputsAndLayers() throws Exception {
        ParityReport report = ParityCheck.of(template.onnx(), template.tflite()).run();
        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        assertEquals(1, report.samples());
        assertEquals(0, report.seed());
        assertTrue(!report.layers().isEmpty(), "layers are compared by default");
        assertEquals("auto", report.precision().profileChosen(), "the profile follows the TFLite model's precision");

        ParityReport outputsOnly = ParityCheck.of(template.onnx(), template.tflite()).outputsOnly().run();
        assertTrue(outputsOnly.layers().isEmpty());
        assertEquals(report.inputs(), outputsOnly.inputs(), "the same seeded inputs whichever the options");
    }

    @Test
    void anInputFromAnNpzEntryOrFromMemoryIsFedAndNamedInTheReport() throws Exception {
        Tensor x = new InputGenerator(42, InputDistribution.DEFAULT).generate("x", DType.FLOAT32, Shape.of(1, 3, 127, 127));
        Path npz = npz("template.npz", Map.of("frame", x));
        ParityReport report = ParityCheck.of(template.onnx(), template.tflite()).input("x", npz, "frame").outputsOnly().run();
        assertEquals(Verdict.PASS, report.verdict(), report.summary());
        assertEquals(npz + " entry 'frame'", report.inputs().get(0).source());

        ParityReport given = ParityCheck.of(template.onnx(), template.tflite()).input("x", x).outputsOnly().run();
        assertEquals("input 'x' given as values", given.inputs().get(0).source());
        assertEquals(report.outputs().get(0).metrics().maxAbs(), given.outputs().get(0).metrics().maxAbs(),
                "the same values, from a file or from memory");
    }

    @Test
    void filesThatCannotBeUsedAreBadInputNamingTheFileAndTheInput() throws Exception {
        Path npz = npz("other.npz", Map.of("y", Tensor.of(Shape.of(1), 0f)));
        BadInputException noEntry = assertThrows(BadInputException.class,
                () -> ParityCheck.of(template.onnx(), template.tflite()).input("x", npz, "frame").run());
        assertEquals("input x: " + npz + " has no entry 'frame'", noEntry.getMessage());

        Path text = Files.writeString(dir.resolve("x.txt"), "1 2 3");
        BadInputException unknown = assertThrows(BadInputException.class,
                () -> ParityCheck.of(template.onnx(), template.tflite()).input("x", text).run());
        assertTrue(unknown.getMessage().startsWith("input x: " + text), unknown.getMessage());

        assertThrows(IllegalArgumentException.class, () -> ParityCheck.of(template.onnx(), template.tflite()).samples(0));
    }

    @Test
    void runnersComeFromTheGivenRuntimes() throws Exception {
        List<String> opened = new ArrayList<>();
        Runtimes standard = Runtimes.standard();
        Runtimes recording = new Runtimes() {
            @Override
            public ModelRunner openOnnx(ModelFile file, RunnerSettings settings) throws ModelFailureException {
                opened.add("onnx" + (settings.captureIntermediates() ? " instrumented" : ""));
                return standard.openOnnx(file, settings);
            }

            @Override
            public ModelRunner openTflite(ModelFile file, RunnerSettings settings) throws ModelFailureException {
                opened.add("tflite" + (settings.captureIntermediates() ? " instrumented" : ""));
                return standard.openTflite(file, settings);
            }

            @Override
            public SubgraphRunner openOnnxSubgraphs(ModelFile file) {
                opened.add("onnx subgraphs");
                return standard.openOnnxSubgraphs(file);
            }

            @Override
            public ModelSignature onnxSignature(ModelFile file) throws ModelFailureException {
                return standard.onnxSignature(file);
            }

            @Override
            public void preload() {
                standard.preload();
            }

            @Override
            public String onnxRuntimeVersion() {
                return standard.onnxRuntimeVersion();
            }

            @Override
            public String tfliteVersion() {
                return standard.tfliteVersion();
            }
        };
        ParityCheck.of(template.onnx(), template.tflite()).runtimes(recording).run();
        // One sample, layers on: the reference runs once, instrumented; the TFLite model plain and instrumented.
        assertEquals(List.of("onnx instrumented", "onnx subgraphs", "tflite", "tflite instrumented"),
                opened.stream().sorted().toList(), opened.toString());
    }

    private Path npz(String name, Map<String, Tensor> arrays) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NpzWriter.write(bytes, arrays);
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }
}
