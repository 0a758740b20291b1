package org.tensorparity.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The published JSON Schemas of the reports, {@code docs/schema/} at the repository root, as the tests see them:
 * read from the working tree (never a copy), so that a change to the schema or to the writer that the other does
 * not follow fails the build.
 */
public final class ReportSchema {
    /** The repository's schema folder; tests run in the harness module's folder, as {@link FixturePairs} assumes. */
    public static final Path FOLDER = Path.of("..", "docs", "schema").toAbsolutePath().normalize();
    public static final String REPORT_ID = "urn:tensor-parity:schema:report:1";
    public static final String SUITE_ID = "urn:tensor-parity:schema:suite-report:1";

    private static final Schema REPORT;
    private static final Schema SUITE;

    static {
        Map<String, String> byId = new LinkedHashMap<>();
        byId.put(REPORT_ID, read("report.schema.json"));
        byId.put(SUITE_ID, read("suite-report.schema.json"));
        // The schemas name each other by $id (a URN, never fetched); format assertions make createdAt's date-time count.
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(byId).schemaRegistryConfig(SchemaRegistryConfig.builder()
                        .pathType(PathType.JSON_POINTER).formatAssertionsEnabled(true).build()));
        REPORT = registry.getSchema(SchemaLocation.of(REPORT_ID));
        SUITE = registry.getSchema(SchemaLocation.of(SUITE_ID));
    }

    /** What a JSON document is, as far as the schemas are concerned. */
    public enum Kind {
        /** A {@code parity verify} report. */
        REPORT,
        /** A {@code parity suite} or {@code parity report merge} report. */
        SUITE;

        /**
         * The kind of {@code document}, or null when it is no report at all (a mapping file, a suite file, an
         * oracle): a report is an object with {@code schemaVersion} and {@code verdict}, a suite report also has
         * {@code "kind": "suite"}.
         */
        public static Kind of(JsonNode document) {
            if (!document.isObject() || !document.has("schemaVersion") || !document.has("verdict")) {
                return null;
            }
            return document.path("kind").asText().equals("suite") ? SUITE : REPORT;
        }
    }

    /** One way a document breaks its schema. */
    public record Violation(String pointer, String message) {
        @Override
        public String toString() {
            return (pointer.isEmpty() ? "/" : pointer) + ": " + message;
        }
    }

    private ReportSchema() {
    }

    /** Every violation of {@code document} against the schema of {@code kind}; empty when it conforms. */
    public static List<Violation> validate(Kind kind, JsonNode document) {
        Schema schema = kind == Kind.SUITE ? SUITE : REPORT;
        return schema.validate(document).stream()
                .map(e -> new Violation(e.getInstanceLocation().toString(), e.getMessage()))
                .toList();
    }

    private static String read(String name) {
        try {
            return Files.readString(FOLDER.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException("the published report schema " + FOLDER.resolve(name), e);
        }
    }
}
