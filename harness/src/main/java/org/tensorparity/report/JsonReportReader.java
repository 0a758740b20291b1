package org.tensorparity.report;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.tensorparity.BadInputException;
import org.tensorparity.result.ParityReport;
import org.tensorparity.result.SuiteReport;

/**
 * Reads a JSON report back into a {@link ParityReport} ({@link ReportDocument}), so that it can be re-rendered or compared with
 * another run without running the models again. Whatever is wrong with the file (missing, unreadable, not
 * JSON, not a report, written by a newer tool) is one {@link BadInputException} naming the file.
 *
 * <p>Fields this version does not know are ignored: a report of the same {@code schemaVersion} may only gain
 * fields, and a report with a higher one is refused before its content is interpreted.
 */
public final class JsonReportReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public ParityReport read(Path file) throws BadInputException {
        JsonNode tree = tree(file);
        if (tree != null && "suite".equals(tree.path("kind").asText())) {
            throw new BadInputException(file + " is a suite report (parity suite), not a single pair's: its pairs' HTML"
                    + " reports are written beside it, and 'parity report merge' joins suite shards");
        }
        if (tree == null || !tree.isObject() || !tree.has("schemaVersion") || !tree.has("verdict")
                || !tree.has("provenance")) {
            throw new BadInputException(file + " is not a tensor-parity report (no schemaVersion, verdict and provenance)");
        }
        JsonNode version = tree.get("schemaVersion");
        if (!version.canConvertToInt() || !version.isIntegralNumber() || version.asInt() < 1) {
            throw new BadInputException(file + " is not a tensor-parity report (schemaVersion " + version + ")");
        }
        if (version.asInt() > ParityReport.SCHEMA_VERSION) {
            throw new BadInputException(file + " has schemaVersion " + version.asInt() + ", newer than this tool reads ("
                    + ParityReport.SCHEMA_VERSION + "); use a newer tensor-parity");
        }
        try {
            return ReportDocument.read(JsonFields.root(tree));
        } catch (JsonFields.BadDocument e) {
            throw new BadInputException(file + " is not a valid tensor-parity report at " + e.path() + ": " + oneLine(e.getMessage()));
        } catch (IllegalArgumentException e) {
            // A record's own validation (an index out of range) speaks the report's vocabulary.
            throw new BadInputException(file + " is not a valid tensor-parity report: " + oneLine(String.valueOf(e.getMessage())));
        }
    }

    /** Reads a {@code parity suite} document (one verify document per pair). */
    public SuiteReport readSuite(Path file) throws BadInputException {
        JsonNode tree = tree(file);
        if (tree == null || !tree.isObject() || !"suite".equals(tree.path("kind").asText()) || !tree.has("pairs")) {
            throw new BadInputException(file + " is not a tensor-parity suite report (no \"kind\": \"suite\" and pairs)");
        }
        int version = tree.path("schemaVersion").asInt(0);
        if (version < 1 || version > ParityReport.SCHEMA_VERSION) {
            throw new BadInputException(file + " has schemaVersion " + tree.path("schemaVersion") + "; this tool reads 1 to "
                    + ParityReport.SCHEMA_VERSION);
        }
        try {
            return ReportDocument.readSuite(JsonFields.root(tree));
        } catch (JsonFields.BadDocument e) {
            throw new BadInputException(file + " is not a valid tensor-parity suite report at " + e.path() + ": "
                    + oneLine(e.getMessage()));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + " is not a valid tensor-parity suite report: "
                    + oneLine(String.valueOf(e.getMessage())));
        }
    }

    private static JsonNode tree(Path file) throws BadInputException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new BadInputException(file + ": permission denied");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot be read (" + (Files.isDirectory(file) ? "it is a directory"
                    : oneLine(String.valueOf(e.getMessage()))) + ")");
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr();
            throw new BadInputException(file + " is not a tensor-parity report (not JSON" + where + ": "
                    + oneLine(e.getOriginalMessage()) + ")");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot be read (" + oneLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    private static String oneLine(String s) {
        String line = s.strip().lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
