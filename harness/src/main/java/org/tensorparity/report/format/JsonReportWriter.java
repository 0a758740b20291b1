package org.tensorparity.report.format;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
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
        return new ObjectMapper().registerModule(module).enable(SerializationFeature.INDENT_OUTPUT);
    }
}
