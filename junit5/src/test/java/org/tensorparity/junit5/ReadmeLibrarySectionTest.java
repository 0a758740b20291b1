package org.tensorparity.junit5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * The README's section on the library and the JUnit 5 gate is meant to be copied into a project as it stands, so
 * its Java snippets must compile and its Maven and Gradle coordinates must name artifacts this build makes.
 */
class ReadmeLibrarySectionTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String SECTION = "## In a Java build";
    private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w+)\\n(.*?)^```$");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "(?m)^(?:(?:public|final|abstract)\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

    @Test
    void javaSnippetsCompileAsWritten(@TempDir Path out) throws IOException {
        List<String> snippets = fenced("java");
        assertFalse(snippets.isEmpty(), "no ```java block in the README's section \"" + SECTION + "\"");
        for (int i = 0; i < snippets.size(); i++) {
            String source = compilationUnit(snippets.get(i), "ReadmeSnippet" + (i + 1));
            List<String> errors = compile(source, out.resolve("snippet-" + (i + 1)));
            assertTrue(errors.isEmpty(), "README Java snippet " + (i + 1) + " of \"" + SECTION + "\" does not compile:\n"
                    + String.join("\n", errors) + "\n\nas compiled:\n" + source);
        }
    }

    @Test
    void mavenAndGradleCoordinatesNameThisBuildsArtifacts() throws Exception {
        Set<String> built = builtArtifacts();
        List<String> dependencies = fenced("xml");
        assertFalse(dependencies.isEmpty(), "no ```xml <dependency> block in the README's section \"" + SECTION + "\"");
        for (String xml : dependencies) {
            Element dependency = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader(xml))).getDocumentElement();
            assertEquals("dependency", dependency.getTagName(), xml);
            String coordinates = child(dependency, "groupId") + ":" + child(dependency, "artifactId") + ":"
                    + child(dependency, "version");
            assertTrue(built.contains(coordinates), coordinates + " is not an artifact of this build: " + built);
        }
        String section = section();
        Matcher gradle = Pattern.compile("org\\.tensorparity:[\\w.-]+:[\\w.-]+").matcher(section);
        while (gradle.find()) {
            assertTrue(built.contains(gradle.group()), gradle.group() + " is not an artifact of this build: " + built);
        }
        Set<String> artifactIds = built.stream().map(c -> c.split(":")[1]).collect(Collectors.toSet());
        Matcher named = Pattern.compile("tensor-parity-[a-z0-9]+").matcher(section);
        while (named.find()) {
            assertTrue(artifactIds.contains(named.group()), named.group() + " is not a module of this build: " + artifactIds);
        }
    }

    /** The compiler's errors, each with the line it points at. */
    private static List<String> compile(String source, Path out) throws IOException {
        Files.createDirectories(out);
        String name = TYPE_DECLARATION.matcher(source).results().map(m -> m.group(1)).findFirst().orElseThrow();
        Path file = Files.writeString(out.resolve(name + ".java"), source);
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !testOnly(Path.of(entry))).collect(Collectors.joining(File.pathSeparator));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-classpath", classPath, "-d", out.toString(), "-proc:none");
            javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(file)).call();
        }
        List<String> lines = source.lines().toList();
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                long line = d.getLineNumber();
                errors.add("line " + line + ": " + d.getMessage(null)
                        + (line >= 1 && line <= lines.size() ? "\n    " + lines.get((int) line - 1).strip() : ""));
            }
        }
        return errors;
    }

    /**
     * Not on a reader's classpath: this build's test classes and its fixture generator. A snippet that needs them
     * would compile here and nowhere else.
     */
    private static boolean testOnly(Path entry) {
        String name = entry.getFileName().toString();
        return name.equals("test-classes") || name.endsWith("-tests.jar") || name.startsWith("tensor-parity-fixtures")
                || entry.endsWith(Path.of("fixtures", "target", "classes"));
    }

    /**
     * A snippet that declares a class is a file as it stands; one of statements becomes the body of a method that
     * throws what they throw, as the reader's own method would.
     */
    private static String compilationUnit(String snippet, String className) {
        if (TYPE_DECLARATION.matcher(snippet).find()) {
            return snippet;
        }
        List<String> imports = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        for (String line : snippet.lines().toList()) {
            (line.startsWith("import ") ? imports : statements).add(line);
        }
        return String.join("\n", imports) + "\n\nclass " + className + " {\n    void snippet() throws Exception {\n"
                + statements.stream().map(s -> "        " + s).collect(Collectors.joining("\n")) + "\n    }\n}\n";
    }

    private static List<String> fenced(String language) throws IOException {
        return FENCE.matcher(section()).results().filter(m -> m.group(1).equals(language)).map(m -> m.group(2)).toList();
    }

    private static String section() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int start = readme.indexOf("\n" + SECTION);
        assertTrue(start >= 0, "README.md has no section \"" + SECTION + "\"");
        int end = readme.indexOf("\n## ", start + 1);
        return readme.substring(start + 1, end < 0 ? readme.length() : end);
    }

    /** groupId:artifactId:version of the root POM and each module it lists. */
    private static Set<String> builtArtifacts() throws Exception {
        Set<String> built = new TreeSet<>();
        Element root = pom(ROOT);
        built.add(coordinates(root));
        for (String module : children(root, "module")) {
            built.add(coordinates(pom(ROOT.resolve(module))));
        }
        return built;
    }

    private static List<String> children(Element project, String tag) {
        var nodes = project.getElementsByTagName(tag);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            values.add(nodes.item(i).getTextContent().strip());
        }
        return values;
    }

    private static Element pom(Path dir) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(dir.resolve("pom.xml").toFile())
                .getDocumentElement();
    }

    private static String coordinates(Element project) {
        Element parent = directChild(project, "parent");
        String groupId = directChild(project, "groupId") != null ? child(project, "groupId") : child(parent, "groupId");
        String version = directChild(project, "version") != null ? child(project, "version") : child(parent, "version");
        return groupId + ":" + child(project, "artifactId") + ":" + version;
    }

    private static String child(Element element, String tag) {
        Element child = directChild(element, tag);
        assertTrue(child != null, "<" + element.getTagName() + "> has no <" + tag + ">");
        return child.getTextContent().strip();
    }

    private static Element directChild(Element element, String tag) {
        for (var node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && e.getTagName().equals(tag)) {
                return e;
            }
        }
        return null;
    }
}
