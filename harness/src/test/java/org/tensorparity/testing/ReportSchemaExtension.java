package org.tensorparity.testing;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * Validates every report the test suite writes against the published schema ({@link ReportSchema}). Registered for
 * every test class of the harness by JUnit's extension auto-detection (META-INF/services and
 * junit-platform.properties), so no test has to ask for it.
 *
 * <p>After each test, and after each class (for what {@code @AfterAll} methods write), it walks {@code target/}, where
 * the tests write everything ({@link FixturePairs#scratch}, {@link TargetTempDirFactory}, child processes' report
 * folders), and reads every {@code *.json} file written or rewritten since it last looked and since this JVM started
 * (older files are earlier runs' leftovers). Comparing with what it saw last, rather than with the test's start time,
 * also catches what {@code @BeforeAll} methods and static initializers write; a file is attributed to the test after
 * which it is found. Reports (a {@link ReportSchema.Kind}) must conform, other JSON (mapping files, suite files,
 * fixture oracles) is skipped, and a file that is not JSON at all fails the test too: a report the tool truncated
 * would otherwise pass unseen. A file rewritten twice within one test is checked in its final state only, and one
 * deleted before the test ends is not seen at all (which is why the fuzz subset keeps its cases' reports).
 *
 * <p>Files a test names with {@link WritesInvalidReports} are exempt. Each class's count of validated reports is
 * printed when the class ends.
 */
public final class ReportSchemaExtension implements AfterEachCallback, AfterAllCallback {
    private static final Path TARGET = Path.of("target").toAbsolutePath();
    private static final FileTime JVM_START = FileTime.fromMillis(ManagementFactory.getRuntimeMXBean().getStartTime());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_VIOLATIONS_SHOWN = 20;

    /** What each file looked like when last read: a rewrite (the tool's is a rename onto it) changes it. */
    private static final Map<Path, Stamp> SEEN = new HashMap<>();
    private static int validatedInJvm;

    private record Stamp(FileTime modified, long size, Object fileKey) {
        static Stamp of(BasicFileAttributes a) {
            return new Stamp(a.lastModifiedTime(), a.size(), a.fileKey());
        }
    }

    /** Per test class: how many reports were validated and how many files were exempt. */
    private static final class Tally {
        int validated;
        int exempt;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<WritesInvalidReports> exemptions = new ArrayList<>();
        context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, WritesInvalidReports.class))
                .ifPresent(exemptions::add);
        exemptions.addAll(classExemptions(context));
        check(context, exemptions);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            check(context, classExemptions(context));
        } finally {
            printTally(context);
        }
    }

    private static void printTally(ExtensionContext context) {
        Tally tally = tally(context);
        System.out.printf("[report schema] %s: %d report%s validated%s (%d in this JVM)%n",
                context.getRequiredTestClass().getSimpleName(), tally.validated, tally.validated == 1 ? "" : "s",
                tally.exempt == 0 ? "" : ", " + tally.exempt + " exempt by @WritesInvalidReports", validatedInJvm);
    }

    private static List<WritesInvalidReports> classExemptions(ExtensionContext context) {
        // Nested classes inherit their enclosing classes' exemptions.
        List<WritesInvalidReports> found = new ArrayList<>();
        for (Optional<Class<?>> c = context.getTestClass(); c.isPresent(); c = Optional.ofNullable(c.get().getEnclosingClass())) {
            AnnotationSupport.findAnnotation(c.get(), WritesInvalidReports.class).ifPresent(found::add);
        }
        return found;
    }

    private static Tally tally(ExtensionContext context) {
        // A parameterized test's invocations sit below the test's own context, which sits below the class's.
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()) {
            classContext = classContext.getParent().orElseThrow();
        }
        return classContext.getStore(ExtensionContext.Namespace.create(ReportSchemaExtension.class))
                .getOrComputeIfAbsent(Tally.class, k -> new Tally(), Tally.class);
    }

    private static synchronized void check(ExtensionContext context, List<WritesInvalidReports> exemptions) {
        List<PathMatcher> exempt = exemptions.stream().flatMap(e -> Arrays.stream(e.value()))
                .map(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
        Tally tally = tally(context);
        List<String> failures = new ArrayList<>();
        for (Path file : changedJsonFiles()) {
            if (exempt.stream().anyMatch(m -> m.matches(file.getFileName()))) {
                tally.exempt++;
                continue;
            }
            JsonNode document;
            try {
                document = JSON.readTree(file.toFile());
            } catch (JacksonException e) {
                failures.add(file + " is not JSON: " + e.getOriginalMessage());
                continue;
            } catch (IOException e) {
                // Gone or unreadable since the walk (a test's child process may still be tidying up): nothing to check.
                continue;
            }
            if (document.isMissingNode()) {
                failures.add(file + " is empty, not JSON");
                continue;
            }
            ReportSchema.Kind kind = ReportSchema.Kind.of(document);
            if (kind == null) {
                continue;
            }
            List<ReportSchema.Violation> violations = ReportSchema.validate(kind, document);
            tally.validated++;
            validatedInJvm++;
            if (!violations.isEmpty()) {
                StringBuilder sb = new StringBuilder(file + " breaks " + (kind == ReportSchema.Kind.SUITE
                        ? ReportSchema.SUITE_ID : ReportSchema.REPORT_ID) + ":");
                violations.stream().limit(MAX_VIOLATIONS_SHOWN).forEach(v -> sb.append("\n  ").append(v));
                if (violations.size() > MAX_VIOLATIONS_SHOWN) {
                    sb.append("\n  ... ").append(violations.size() - MAX_VIOLATIONS_SHOWN).append(" more");
                }
                failures.add(sb.toString());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionFailedError("reports written by " + context.getDisplayName() + " do not conform to "
                    + ReportSchema.FOLDER + " (a deliberately invalid one needs @WritesInvalidReports):\n"
                    + String.join("\n", failures));
        }
    }

    /** The {@code *.json} files under target/ written since this JVM started and changed since last seen. */
    private static List<Path> changedJsonFiles() {
        List<Path> changed = new ArrayList<>();
        if (!Files.isDirectory(TARGET)) {
            return changed;
        }
        try {
            Files.walkFileTree(TARGET, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && file.getFileName().toString().endsWith(".json")
                            && attrs.lastModifiedTime().compareTo(JVM_START) >= 0) {
                        Stamp stamp = Stamp.of(attrs);
                        if (!Objects.equals(SEEN.put(file, stamp), stamp)) {
                            changed.add(file);
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    // Deleted or made unreadable while walking (tests delete their own files): not a report to check.
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return changed;
    }
}
