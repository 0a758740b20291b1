package org.tensorparity.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Removes the {@link FixturePairs#scratch} folders a test class wrote once the class has passed, and keeps them, named
 * on the console, when any of its tests failed. Without it the suite left about 2.2 GB of models and reports under
 * {@code target/scratch} (measured 2026-12-06 on a fresh clone), and a CI run once died of a full disk while packaging.
 *
 * <p>Registered for every test class by JUnit's extension auto-detection, listed before {@link ReportSchemaExtension}
 * in META-INF/services: JUnit calls after-all callbacks in the reverse order of registration, so the reports are
 * validated before their folder goes.
 *
 * <p>A folder belongs to the nearest class on the call stack that declares tests, and goes when the top-level class
 * enclosing it ends. The stack, not the time, decides, because a test class may start another's static initializer
 * (DiagnosisTest's is started by the four classes reading its expected diagnoses), and that folder is the other
 * class's to use. A folder made with no test class on the stack (on a pool thread, say) belongs to the top-level class
 * running then; a class may run others through a launcher of its own, hence a stack of them. Folders shared by the
 * whole JVM come from {@link FixturePairs#shared} and stay.
 */
public final class ScratchCleanup implements BeforeAllCallback, TestWatcher, AfterAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ScratchCleanup.class);
    private static final String FAILED = "failed";
    private static final StackWalker STACK = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
    private static final ClassValue<Boolean> DECLARES_TESTS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return Arrays.stream(type.getDeclaredMethods())
                    .anyMatch(m -> AnnotationSupport.isAnnotated(m, Testable.class));
        }
    };
    private static final Deque<Class<?>> RUNNING = new ArrayDeque<>();
    /** Folders by the name of the class that owns them. */
    private static final Map<String, List<Path>> OWNED = new HashMap<>();

    /** Records a scratch folder for removal when the top-level test class it belongs to ends. */
    static synchronized void track(Path folder) {
        STACK.walk(frames -> frames.<Class<?>>map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(DECLARES_TESTS::get).findFirst())
                .or(() -> Optional.ofNullable(RUNNING.peek()))
                .ifPresent(owner -> OWNED.computeIfAbsent(owner.getName(), k -> new ArrayList<>()).add(folder));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (topLevelClass(context) == context) {
            open(context.getRequiredTestClass());
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        topLevelClass(context).getStore(NAMESPACE).put(FAILED, Boolean.TRUE);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (topLevelClass(context) != context) {
            return;
        }
        List<Path> folders = close(context.getRequiredTestClass());
        if (folders.isEmpty()) {
            return;
        }
        boolean failed = context.getExecutionException().isPresent()
                || context.getStore(NAMESPACE).getOrDefault(FAILED, Boolean.class, Boolean.FALSE);
        if (failed) {
            System.out.printf("[scratch] %s failed: its folders stay for inspection: %s%n",
                    context.getRequiredTestClass().getSimpleName(), folders);
            return;
        }
        for (Path folder : folders) {
            deleteTree(folder);
        }
    }

    private static synchronized void open(Class<?> testClass) {
        RUNNING.push(testClass);
    }

    /** Ends {@code testClass}'s run and hands over the folders it and its nested classes own. */
    private static synchronized List<Path> close(Class<?> testClass) {
        RUNNING.remove(testClass);
        List<Path> folders = new ArrayList<>();
        for (Iterator<Map.Entry<String, List<Path>>> it = OWNED.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, List<Path>> owned = it.next();
            if (owned.getKey().equals(testClass.getName()) || owned.getKey().startsWith(testClass.getName() + "$")) {
                folders.addAll(owned.getValue());
                it.remove();
            }
        }
        return folders;
    }

    /** The context of the top-level test class {@code context} belongs to: the one right below the engine's. */
    private static ExtensionContext topLevelClass(ExtensionContext context) {
        ExtensionContext current = context;
        for (Optional<ExtensionContext> parent = current.getParent(); parent.isPresent()
                && parent.get().getParent().isPresent(); parent = current.getParent()) {
            current = parent.get();
        }
        return current;
    }

    private static void deleteTree(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the scratch folder " + folder, e);
        }
    }
}
