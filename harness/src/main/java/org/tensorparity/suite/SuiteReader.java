package org.tensorparity.suite;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.std.StdDelegatingDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.util.StdConverter;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.tensorparity.BadInputException;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.image.ImagePreprocessing;
import org.tensorparity.compare.TaskCheck;
import org.tensorparity.compare.ToleranceOverrides;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.tensor.Shape;

/**
 * Parses a suite file with Jackson into {@link SuiteFile}, strictly: unknown keys, repeated keys and
 * trailing content are errors, every value is parsed with the command line's own syntax, and every error
 * becomes one line naming the file, the line and the key path ({@code pairs[1].inputs.x}).
 */
final class SuiteReader {

    /** The document's top level. */
    record SuiteDocument(List<PairSpec> pairs, List<Stage> stages) {
        SuiteDocument {
            if (pairs == null || pairs.isEmpty()) {
                throw new IllegalArgumentException("a suite needs 'pairs' with at least one pair");
            }
            if (pairs.contains(null) || stages != null && stages.contains(null)) {
                throw new IllegalArgumentException("a list entry is empty");
            }
            pairs = List.copyOf(pairs);
            stages = stages == null ? List.of() : List.copyOf(stages);
        }
    }

    private SuiteReader() {
    }

    static SuiteFile read(Path file) throws BadInputException {
        String where = "suite file " + file;
        if (Files.isDirectory(file)) {
            throw new BadInputException(where + ": is a directory, expected a .yaml or .json file");
        }
        LineRecorder recorder = new LineRecorder();
        SuiteDocument document;
        try (InputStream in = Files.newInputStream(file)) {
            if (Files.size(file) == 0) {
                throw new BadInputException(where + ": the file is empty");
            }
            ObjectMapper mapper = mapper(file, recorder);
            try (JsonParser parser = mapper.createParser(in)) {
                // A document of comments only has no first token; Jackson would call that a type mismatch.
                document = parser.nextToken() == null ? null : mapper.readValue(parser, SuiteDocument.class);
                if (parser.nextToken() != null) {
                    throw new BadInputException(where + ", line " + parser.currentTokenLocation().getLineNr()
                            + ": more follows the suite; a suite file holds one document");
                }
            }
        } catch (JsonProcessingException e) {
            throw new BadInputException(DataFileProblem.describe(where, e), e);
        } catch (NoSuchFileException e) {
            throw new BadInputException(where + ": no such file");
        } catch (AccessDeniedException e) {
            throw new BadInputException(where + ": permission denied");
        } catch (IOException e) {
            throw new BadInputException(where + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (document == null) {
            throw new BadInputException(where + ": holds no suite; expected a mapping with 'pairs' (and 'stages')");
        }
        return SuiteFile.of(file, document.pairs(), document.stages(), recorder.lines());
    }

    /** YAML, or JSON for a {@code .json} file; strict; paths relative to the file's folder. */
    private static ObjectMapper mapper(Path file, LineRecorder recorder) {
        Path folder = file.getParent() != null ? file.getParent() : Path.of("");
        SimpleModule values = new SimpleModule("tensor-parity-suite");
        values.addDeserializer(Path.class, new ExistingFileDeserializer(folder));
        values.addDeserializer(Shape.class, new TextDeserializer<>(Shape.class, Shape::parse, "1x3x224x224"));
        values.addDeserializer(InputDistribution.class,
                new TextDeserializer<>(InputDistribution.class, InputDistribution::parse, "uniform:-1,1"));
        values.addDeserializer(Tolerances.class,
                new TextDeserializer<>(Tolerances.class, Tolerances::parse, "profile:fp16 or atol:1e-3,rtol:1e-2"));
        values.addDeserializer(TaskCheck.class, new TextDeserializer<>(TaskCheck.class, TaskCheck::parse, "peak"));
        values.addDeserializer(ImagePreprocessing.class,
                new TextDeserializer<>(ImagePreprocessing.class, ImagePreprocessing::parse, "bgr,resize"));
        values.addDeserializer(ToleranceOverrides.class, new OverridesDeserializer());
        // bind knows no Jackson: a source is read as the file spells it, a suite record whose lines and errors
        // LineRecorder keeps like any other's.
        values.addDeserializer(InputSource.class, new StdDelegatingDeserializer<>(new StdConverter<SuiteInput, InputSource>() {
            @Override
            public InputSource convert(SuiteInput input) {
                return input.source();
            }
        }));
        values.setDeserializerModifier(recorder);
        boolean json = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
        MapperBuilder<?, ?> builder = json ? JsonMapper.builder() : YAMLMapper.builder();
        return builder
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(values)
                .build();
    }
}
