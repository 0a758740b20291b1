package org.tensorparity.report.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.tensorparity.BadInputException;
import org.tensorparity.report.ParityReport;
import org.tensorparity.report.SuiteReport;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;

/**
 * Writes a {@link ParityReport} as JSON. Record component names are the JSON field names; enums are
 * written in lower case ({@code "pass"}); shapes and permutations as integer arrays (a dynamic
 * dimension as -1); non-finite numbers as the strings {@code "NaN"}, {@code "Infinity"},
 * {@code "-Infinity"}.
 */
public final class JsonReportWriter {
    private static final ObjectMapper MAPPER = mapper();

    public void write(ParityReport report, Path target) throws BadInputException {
        AtomicFileWriter.write(target, "JSON report", out -> MAPPER.writeValue(out, report));
    }

    /** A suite run: one document holding every pair's verify document. */
    public void writeSuite(SuiteReport report, Path target) throws BadInputException {
        AtomicFileWriter.write(target, "JSON suite report", out -> MAPPER.writeValue(out, report));
    }

    public String toJson(ParityReport report) {
        try {
            return MAPPER.writeValueAsString(report);
        } catch (IOException e) {
            throw new IllegalStateException("a report always serializes", e);
        }
    }

    static ObjectMapper mapper() {
        SimpleModule module = new SimpleModule("tensor-parity");
        module.addSerializer(Shape.class, new JsonSerializer<>() {
            @Override
            public void serialize(Shape shape, JsonGenerator gen, SerializerProvider provider) throws IOException {
                int[] dims = shape.dims();
                gen.writeArray(dims, 0, dims.length);
            }
        });
        module.addSerializer(Permutation.class, new JsonSerializer<>() {
            @Override
            public void serialize(Permutation p, JsonGenerator gen, SerializerProvider provider) throws IOException {
                int[] axes = p.axes();
                gen.writeArray(axes, 0, axes.length);
            }
        });
        @SuppressWarnings({"unchecked", "rawtypes"})
        Class<Enum<?>> enumType = (Class) Enum.class;
        module.addSerializer(enumType, new JsonSerializer<>() {
            @Override
            public void serialize(Enum<?> value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.name().toLowerCase(Locale.ROOT));
            }
        });
        // Readers of these documents (JsonReportReader, MappingFileFormat) need the inverse of each form.
        module.addDeserializer(Shape.class, new JsonDeserializer<>() {
            @Override
            public Shape deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                int[] dims = p.readValueAs(int[].class);
                try {
                    return Shape.of(dims);
                } catch (IllegalArgumentException e) {
                    return (Shape) ctx.handleWeirdStringValue(Shape.class, java.util.Arrays.toString(dims), e.getMessage());
                }
            }
        });
        module.addDeserializer(Permutation.class, new JsonDeserializer<>() {
            @Override
            public Permutation deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
                int[] axes = p.readValueAs(int[].class);
                try {
                    return Permutation.of(axes);
                } catch (IllegalArgumentException e) {
                    return (Permutation) ctx.handleWeirdStringValue(Permutation.class, java.util.Arrays.toString(axes),
                            e.getMessage());
                }
            }
        });
        module.setDeserializerModifier(new BeanDeserializerModifier() {
            @Override
            public JsonDeserializer<?> modifyEnumDeserializer(DeserializationConfig config, JavaType type,
                    BeanDescription beanDesc, JsonDeserializer<?> deserializer) {
                return new LowerCaseEnumDeserializer(type.getRawClass());
            }
        });
        return new ObjectMapper().registerModule(module).enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** Reads the lower-case enum names written above: {@code "normalized_name"} is {@code NORMALIZED_NAME}. */
    private static final class LowerCaseEnumDeserializer extends JsonDeserializer<Enum<?>> {
        private final Class<?> type;

        LowerCaseEnumDeserializer(Class<?> type) {
            this.type = type;
        }

        @Override
        public Enum<?> deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            String text = p.getValueAsString();
            if (text != null) {
                for (Object constant : type.getEnumConstants()) {
                    Enum<?> e = (Enum<?>) constant;
                    if (e.name().toLowerCase(Locale.ROOT).equals(text)) {
                        return e;
                    }
                }
            }
            return (Enum<?>) ctx.handleWeirdStringValue(type, String.valueOf(text), "not one of "
                    + java.util.Arrays.stream(type.getEnumConstants()).map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                            .toList());
        }
    }
}
