package org.tensorparity.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperBuilder;
import com.fasterxml.jackson.databind.deser.std.StdDelegatingDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
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
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.tensorparity.BadInputException;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.image.ImagePreprocessing;
import org.tensorparity.compare.TaskCheck;
import org.tensorparity.compare.ToleranceOverrides;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.tensor.Shape;
import org.yaml.snakeyaml.error.MarkedYAMLException;

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
            throw new BadInputException(describe(where, e), e);
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

    /** {@code suite file F, line N: pairs[1].tolerance: <reason>}. */
    private static String describe(String where, JsonProcessingException e) {
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                // SnakeYAML's own message spans several lines with a drawing of the spot; keep its words.
                String context = yaml.getContext() == null ? "" : yaml.getContext() + ": ";
                return where + ", line " + (yaml.getProblemMark().getLine() + 1) + ": " + context + yaml.getProblem();
            }
        }
        JsonLocation location = e.getLocation();
        String line = location != null && location.getLineNr() > 0 ? ", line " + location.getLineNr() : "";
        String path = "";
        if (e instanceof JsonMappingException m) {
            List<JsonMappingException.Reference> refs = m.getPath();
            // An unknown key is the last step of its own path; show where it was found instead.
            boolean unknownKey = e instanceof UnrecognizedPropertyException && !refs.isEmpty();
            path = keyPath(unknownKey ? refs.subList(0, refs.size() - 1) : refs);
        }
        return where + line + ": " + (path.isEmpty() ? "" : path + ": ") + reason(e);
    }

    private static String reason(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown key '" + u.getPropertyName() + "'; expected one of " + known(u.getKnownPropertyIds());
        }
        if (e instanceof InvalidFormatException f) {
            return "'" + f.getValue() + "' is not " + kind(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m) {
            return "expected " + kind(m.getTargetType());
        }
        // Our own messages and the parsers' (kept on one line, whatever they hold).
        return e.getOriginalMessage().strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static String keyPath(List<JsonMappingException.Reference> refs) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String known(Collection<Object> ids) {
        return ids == null ? "(none)" : new TreeSet<>(ids.stream().map(Object::toString).toList()).stream()
                .collect(Collectors.joining(", "));
    }

    /** What a value of {@code type} looks like, in the suite file's words. */
    private static String kind(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == String.class) {
            return "a text value";
        }
        if (type == long.class || type == Long.class || type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        return Map.class.isAssignableFrom(type) || type.isRecord() || type.isInterface()
                ? "a mapping (key: value)" : "a " + type.getSimpleName();
    }
}
