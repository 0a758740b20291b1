package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputGenerator;
import org.tensorparity.bind.npy.NpzReader;
import org.tensorparity.bind.npy.NpzWriter;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;

/** Real inputs (.npy, .npz, images), several samples, and saved inputs that reproduce a run. */
class InputsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final FixturePair template = FixturePairs.pair("template-127-onnxtf");
    private final Path dir = FixturePairs.scratch("inputs");

    private Path npz(String name, Map<String, Tensor> arrays) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        NpzWriter.write(bytes, arrays);
        return Files.write(dir.resolve(name), bytes.toByteArray());
    }

    /** The .npy inside a one-entry .npz: an .npz entry is exactly an .npy file. */
    private Path npy(String name, Tensor t) throws IOException {
        Path archive = npz(name + ".npz", Map.of("a", t));
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            ZipEntry entry = zip.getNextEntry();
            assertEquals("a.npy", entry.getName());
            return Files.write(dir.resolve(name), zip.readAllBytes());
        }
    }

    private static Tensor image(long seed) {
        return new InputGenerator(seed, InputDistribution.DEFAULT).generate("x", DType.FLOAT32, Shape.of(1, 3, 127, 127));
    }

    private JsonNode verify(Object... args) throws IOException {
        Path json = dir.resolve("r-" + System.nanoTime() + ".json");
        List<Object> all = new ArrayList<>(List.of("verify", "--onnx", template.onnx(), "--tflite", template.tflite(),
                "--json", json));
        all.addAll(List.of(args));
        CliRun run = CliRun.of(all.toArray());
        assertEquals(0, run.exitCode(), run::toString);
        return JSON.readTree(json.toFile());
    }

    @Test
    void anNpyFileFeedsBothModels() throws IOException {
        Path file = npy("x.npy", image(5));
        JsonNode report = verify("--input", "x=" + file, "--outputs-only");
        assertEquals(file.toString(), report.at("/inputs/0/source").asText());
        JsonNode seeded5 = verify("--seed", "5", "--outputs-only");
        assertEquals(seeded5.at("/outputs/0/metrics/scale").asDouble(), report.at("/outputs/0/metrics/scale").asDouble(),
                "the file holds exactly the values seed 5 generates");
    }

    @Test
    void samplesAggregateWorstAndMeanAndSavedInputsReproduceTheWorst() throws Exception {
        Path saved = dir.resolve("saved");
        JsonNode report = verify("--samples", "3", "--save-inputs", saved, "--outputs-only");
        assertEquals(3, report.get("samples").asInt());
        JsonNode samples = report.at("/outputs/0/samples");
        assertEquals(3, samples.get("count").asInt());
        assertEquals(0, samples.get("failingSamples").asInt());
        assertTrue(samples.get("meanNormalizedMaxError").asDouble() <= report.at("/outputs/0/metrics/normalizedMaxError").asDouble());
        for (int k = 0; k < 3; k++) {
            Map<String, Tensor> inputs = NpzReader.read(saved.resolve("inputs-" + k + ".npz"));
            assertEquals(Shape.of(1, 3, 127, 127), inputs.get("x").shape());
        }
        List<String> rerun = new ArrayList<>();
        report.at("/provenance/rerun").forEach(a -> rerun.add(a.asText()));
        assertTrue(rerun.stream().anyMatch(a -> a.matches(java.util.regex.Pattern.quote(saved.toString()) + "/inputs-[012]\\.npz")),
                rerun::toString);
        assertTrue(!rerun.contains("--samples") && !rerun.contains("--save-inputs"), rerun::toString);

        CliRun again = CliRun.of(rerun.subList(1, rerun.size()).toArray());
        assertEquals(0, again.exitCode(), again::toString);
    }

    @Test
    void anImageIsResizedToTheInput() throws IOException {
        BufferedImage img = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 150; y++) {
            for (int x = 0; x < 200; x++) {
                img.setRGB(x, y, (x * 255 / 200) << 16 | (y * 255 / 150) << 8 | 128);
            }
        }
        Path png = dir.resolve("frame.png");
        ImageIO.write(img, "png", png.toFile());
        JsonNode report = verify("--input", "x=" + png, "--image-prep", "bgr,resize,scale=1/255,mean=0.5,std=0.25",
                "--outputs-only");
        assertTrue(report.at("/inputs/0/source").asText().startsWith("image " + png), report.at("/inputs/0").toString());
    }

    @Test
    void valuesOnTheCommandLineFillAnInputOrListEveryElement() throws IOException {
        JsonNode filled = verify("--input", "x=0.5", "--outputs-only");
        assertEquals("values 0.5", filled.at("/inputs/0/source").asText());
        JsonNode seeded = verify("--outputs-only");
        assertTrue(filled.at("/outputs/0/metrics/scale").asDouble() != seeded.at("/outputs/0/metrics/scale").asDouble(),
                "the constant input, not seeded values, reached the models");

        CliRun short3 = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", template.tflite(), "--input", "x=1,2,3");
        assertEquals(2, short3.exitCode(), short3::toString);
        assertTrue(short3.err().contains("3 values do not fill ONNX input 'x' [1,3,127,127] (48387 elements)"),
                short3::toString);
        CliRun rounded = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", template.tflite(), "--input",
                "x=16777217");
        assertEquals(2, rounded.exitCode(), rounded::toString);
        assertTrue(rounded.err().contains("16777217 is beyond the integers float32 holds exactly"), rounded::toString);
        CliRun huge = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", template.tflite(), "--input", "x=1e999");
        assertEquals(2, huge.exitCode(), huge::toString);
        assertTrue(huge.err().contains("1e999 is beyond the range of float32"), huge::toString);
    }

    @Test
    void anArrayOfTheWrongShapeIsBadInput() throws IOException {
        Path file = npy("small.npy", new InputGenerator(1, InputDistribution.DEFAULT).generate("x", DType.FLOAT32,
                Shape.of(1, 3, 64, 64)));
        CliRun run = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", template.tflite(), "--input", "x=" + file);
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.errLines().get(0).contains("shape [1,3,64,64] does not fit ONNX input 'x' [1,3,127,127]"), run::toString);
    }

    @Test
    void aCorruptNpyIsBadInput() throws IOException {
        Path file = Files.write(dir.resolve("corrupt.npy"), new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 10});
        CliRun run = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", template.tflite(), "--input", "x=" + file);
        assertEquals(2, run.exitCode(), run::toString);
        assertEquals(1, run.errLines().size(), run::toString);
        assertTrue(run.errLines().get(0).contains("corrupt.npy"), run::toString);
    }

    @Test
    void anInputTheModelDoesNotHaveIsBadInput() throws IOException {
        Path file = npy("y.npy", image(1));
        CliRun run = CliRun.of("verify", "--onnx", template.onnx(), "--tflite", template.tflite(), "--input", "y=" + file);
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.errLines().get(0).contains("the ONNX model has no input 'y'"), run::toString);
    }
}
