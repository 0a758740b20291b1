package org.tensorparity.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.tensorparity.BadInputException;
import org.tensorparity.align.AlignmentMapping;
import org.tensorparity.result.ParityReport;
import org.tensorparity.suite.DataFileProblem;

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
        } catch (ValueInstantiationException noPairs) {
            mapping = null;
        } catch (JsonProcessingException e) {
            throw new BadInputException(DataFileProblem.describe("mapping file " + file, e));
        } catch (IOException e) {
            throw new BadInputException("mapping file " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        if (mapping == null) {
            throw new BadInputException("mapping file " + file + ": not a tensor-parity mapping (it needs a"
                    + " \"pairs\" list of objects)");
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
}
