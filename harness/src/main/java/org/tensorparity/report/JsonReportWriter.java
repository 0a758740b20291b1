package org.tensorparity.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.tensorparity.BadInputException;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.SuiteReport;

/**
 * Writes a {@link ParityReport} (or a suite's) as its JSON document ({@link ReportDocument}): streamed, indented,
 * enums in lower case ({@code "pass"}), shapes and permutations as integer arrays (a dynamic dimension as -1),
 * non-finite numbers as the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}.
 */
public final class JsonReportWriter {
    /**
     * Jackson's streaming layer only: measured on the full-size DaSiamRPN detection pair, its data binding spent
     * about 180 ms introspecting the report's records the first time a process wrote a report, a seventh of an
     * {@code --outputs-only} verify; the generator writes the same bytes in a few milliseconds.
     */
    private static final JsonFactory FACTORY = new JsonFactory();

    public void write(ParityReport report, Path target) throws BadInputException {
        AtomicFileWriter.write(target, "JSON report", out -> write(out, g -> ReportDocument.write(g, report)));
    }

    /** A suite run: one document holding every pair's verify document. */
    public void writeSuite(SuiteReport report, Path target) throws BadInputException {
        AtomicFileWriter.write(target, "JSON suite report", out -> write(out, g -> ReportDocument.writeSuite(g, report)));
    }

    public String toJson(ParityReport report) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.useDefaultPrettyPrinter();
            ReportDocument.write(g, report);
        } catch (IOException e) {
            throw new UncheckedIOException("a report always serializes into memory", e);
        }
        return text.toString();
    }

    private interface Document {
        void writeTo(JsonGenerator g) throws IOException;
    }

    private static void write(OutputStream out, Document document) throws IOException {
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            g.useDefaultPrettyPrinter();
            document.writeTo(g);
        }
    }
}
