package org.tensorparity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries the design rests on: each runtime's API is imported only by its runner, the
 * command line library only by the CLI, the stages upstream of the report know no output format, and no package
 * imports from a package above it.
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
            new Rule("com.fasterxml.jackson", "report/"),
            new Rule("org.tensorparity.cli", "cli/"),
            // The library entry point (api/) and the command line write reports; the stages below them do not.
            new Rule("org.tensorparity.report", "cli/", "api/"));

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
                                || (rule.importPrefix().startsWith("org.tensorparity.report")
                                        && relative.startsWith("report/"))
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

    /**
     * The packages bottom-up, in the order data flows through a verify. A package imports only from the layers below
     * its own, so nothing imports upward and no two packages depend on each other. The root package (the exceptions
     * every layer throws) sits beneath them all.
     */
    private static final List<List<String>> LAYERS = List.of(
            List.of("tensor", "text"),
            List.of("model"),
            List.of("backend", "bind", "compare"),
            List.of("align", "suite"),
            List.of("result"),
            List.of("judge", "report", "diff"),
            List.of("run"),
            List.of("api"),
            List.of("cli"));

    @Test
    void noPackageImportsUpward() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = SOURCES.relativize(file);
                if (relative.getNameCount() == 1) {
                    continue;
                }
                int own = layerOf(relative.getName(0).toString());
                for (String line : Files.readAllLines(file)) {
                    Matcher m = TENSORPARITY_IMPORT.matcher(line);
                    if (m.find() && !m.group(1).equals(relative.getName(0).toString()) && layerOf(m.group(1)) >= own) {
                        violations.add(relative.toString().replace('\\', '/') + ": " + line);
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    private static final Pattern TENSORPARITY_IMPORT = Pattern.compile("^import (?:static )?org\\.tensorparity\\.([a-z]+)\\.");

    private static int layerOf(String pkg) {
        for (int i = 0; i < LAYERS.size(); i++) {
            if (LAYERS.get(i).contains(pkg)) {
                return i;
            }
        }
        throw new AssertionError("package " + pkg + " is in no layer of PackageBoundariesTest.LAYERS");
    }

    /** Suite files are configuration the suite package reads itself. */
    private static boolean isSuiteReader(String relative) {
        return relative.startsWith("suite/");
    }
}
