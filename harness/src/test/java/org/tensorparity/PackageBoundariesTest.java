package org.tensorparity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries the design rests on: each runtime's API is imported only by its runner, the
 * command line library only by the CLI, and the stages upstream of the report know no output format.
 */
class PackageBoundariesTest {
    private static final Path SOURCES = Path.of("src", "main", "java", "org", "tensorparity");

    /** An import that only files under one of {@code allowedUnder} may have. */
    private record Rule(String importPrefix, List<String> allowedUnder) {
        Rule(String importPrefix, String... allowedUnder) {
            this(importPrefix, List.of(allowedUnder));
        }

        boolean allows(String relative) {
            return allowedUnder.stream().anyMatch(relative::startsWith);
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule("ai.onnxruntime", "backend/ort/"),
            new Rule("org.bytedeco.tensorflowlite", "backend/tflite/"),
            // JavaCPP's cache holds both runtimes' native libraries (NativeLibraryCache).
            new Rule("org.bytedeco.javacpp", "backend/tflite/", "backend/NativeLibraryCache.java"),
            // Runtimes (the runner factory) is the one type that names the concrete runners.
            new Rule("org.tensorparity.backend.ort", "backend/"),
            new Rule("org.tensorparity.backend.tflite", "backend/"),
            new Rule("picocli", "cli/"),
            new Rule("com.fasterxml.jackson", "report/format/"),
            new Rule("org.tensorparity.cli", "cli/"),
            // The library entry point (api/) and the command line write reports; the stages below them do not.
            new Rule("org.tensorparity.report.format", "cli/", "api/"));

    @Test
    void importsStayInsideTheirPackages() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String relative = SOURCES.relativize(file).toString().replace('\\', '/');
                for (String line : Files.readAllLines(file)) {
                    if (!line.startsWith("import ")) {
                        continue;
                    }
                    for (Rule rule : RULES) {
                        boolean allowed = rule.allows(relative)
                                || (rule.importPrefix().startsWith("org.tensorparity.report.format")
                                        && relative.startsWith("report/format/"))
                                || (rule.importPrefix().equals("com.fasterxml.jackson") && isSuiteReader(relative));
                        if (line.startsWith("import " + rule.importPrefix()) && !allowed) {
                            violations.add(relative + ": " + line);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    /** Suite files are configuration the suite package reads itself. */
    private static boolean isSuiteReader(String relative) {
        return relative.startsWith("suite/");
    }
}
