package org.tensorparity.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.tensorparity.BadInputException;
import org.tensorparity.align.AlignmentMapping;
import org.tensorparity.result.ParityReport;

/** Reads and writes {@link AlignmentMapping} files (JSON). */
public final class MappingFileFormat {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public void write(AlignmentMapping mapping, Path target) throws BadInputException {
        AtomicFileWriter.write(target, "mapping file", out -> MAPPER.writeValue(out, mapping));
    }

    /**
     * The pairs {@code report} aligned, as a mapping file that {@code parity verify --mapping} reads back;
     * a TFLite transpose of a paired tensor is left out: alignment derives it again from that pair.
     */
    public AlignmentMapping mappingOf(ParityReport report) {
        List<AlignmentMapping.MappedPair> pairs = report.layers().stream()
                .filter(l -> !l.pairing().equals("transpose"))
                .map(l -> new AlignmentMapping.MappedPair(l.onnx(), l.tflite(), l.confidence(), l.evidence()))
                .toList();
        return new AlignmentMapping(AlignmentMapping.SCHEMA_VERSION, report.provenance().onnxModel().path(),
                report.provenance().tfliteModel().path(), pairs);
    }

    public AlignmentMapping read(Path file) throws BadInputException {
        AlignmentMapping mapping;
        try {
            mapping = MAPPER.readValue(Files.readAllBytes(file), AlignmentMapping.class);
        } catch (NoSuchFileException e) {
            throw new BadInputException("mapping file " + file + ": no such file");
        } catch (JacksonException e) {
            throw new BadInputException("mapping file " + file + ": not a tensor-parity mapping (" + problem(e) + ")");
        } catch (IOException e) {
            throw new BadInputException("mapping file " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (mapping == null) {
            throw new BadInputException("mapping file " + file + ": not a tensor-parity mapping (it needs a \"pairs\" list"
                    + " of objects)");
        }
        if (mapping.schemaVersion() > AlignmentMapping.SCHEMA_VERSION) {
            throw new BadInputException("mapping file " + file + ": schemaVersion " + mapping.schemaVersion()
                    + " is newer than this tool reads (" + AlignmentMapping.SCHEMA_VERSION + ")");
        }
        for (AlignmentMapping.MappedPair p : mapping.pairs()) {
            if (p.onnx() == null || p.tflite() == null) {
                throw new BadInputException("mapping file " + file + ": every pair needs \"onnx\" and \"tflite\"");
            }
        }
        return mapping;
    }

    /**
     * What is wrong, in the file's terms: the field (as {@code pairs[2].onnx}) and what it should hold, or where the
     * text stops being JSON; never the Java types it would have been read into.
     */
    private static String problem(JacksonException e) {
        String line = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
        if (e instanceof UnrecognizedPropertyException unknown) {
            return "unknown field \"" + unknown.getPropertyName() + "\"" + line + "; a mapping holds schemaVersion, onnx,"
                    + " tflite and pairs of onnx, tflite, confidence and evidence";
        }
        if (e instanceof ValueInstantiationException) {
            return "it needs a \"pairs\" list of objects" + line;
        }
        if (e instanceof MismatchedInputException mismatch) {
            String field = fieldPath(mismatch);
            return (field.isEmpty() ? "the file" : "\"" + field + "\"") + line + " should hold "
                    + kind(mismatch.getTargetType());
        }
        return "not JSON" + line + (e.getLocation() == null ? "" : ", column " + e.getLocation().getColumnNr());
    }

    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String kind(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        return "an object";
    }
}
