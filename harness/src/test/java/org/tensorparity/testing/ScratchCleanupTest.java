package org.tensorparity.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * A passing class's scratch folders go when it ends, a failing class's stay, and folders made by a nested class, by a
 * static initializer another class started, or shared by the JVM, are handled as their owner needs. The classes judged
 * are the nested ones below, run by a launcher of their own (the build's test scan skips nested classes), with the
 * suite's configuration.
 */
class ScratchCleanupTest {
    /** Folders the classes below made, in order. */
    private static final List<Path> MADE = new ArrayList<>();

    @Test
    void aPassingClassLeavesNoScratchFolder() throws Exception {
        Path mine = FixturePairs.scratch("cleanup-outer");
        List<TestExecutionResult> results = run(Passes.class);
        assertTrue(results.stream().allMatch(r -> r.getStatus() == TestExecutionResult.Status.SUCCESSFUL), results::toString);
        assertEquals(3, MADE.size(), MADE::toString);
        MADE.forEach(folder -> assertFalse(Files.exists(folder), folder + " outlived its class"));
        assertTrue(Files.isDirectory(mine), "a class run by another class's launcher took its caller's folder");
    }

    @Test
    void aFailingClassKeepsItsScratchFolders() throws Exception {
        List<TestExecutionResult> results = run(Fails.class);
        assertTrue(results.stream().anyMatch(r -> r.getStatus() == TestExecutionResult.Status.FAILED), results::toString);
        assertEquals(1, MADE.size(), MADE::toString);
        assertTrue(Files.isRegularFile(MADE.get(0).resolve("kept.txt")), "the failed class's folder went");
        ScratchCleanup.track(MADE.get(0));
    }

    @Test
    void aFolderMadeByAnotherClassesStaticInitializerIsThatClasses() throws Exception {
        run(ReadsAnothersConstant.class);
        Path owned = MADE.get(0);
        assertTrue(Files.isDirectory(owned), "the class that started another's initializer took its folder");
        run(OwnsAConstant.class);
        assertFalse(Files.isDirectory(owned), "the class that made the folder left it");
    }

    @Test
    void aSharedFolderOutlivesItsClass() throws Exception {
        run(Shares.class);
        assertEquals(1, MADE.size(), MADE::toString);
        assertTrue(Files.isDirectory(MADE.get(0)), "a shared folder went with the class that made it");
    }

    private static List<TestExecutionResult> run(Class<?> testClass) {
        MADE.clear();
        List<TestExecutionResult> results = new ArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(testClass)).build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                        results.add(result);
                    }
                });
        return results;
    }

    private static Path made(Path folder) {
        MADE.add(folder);
        return folder;
    }

    static class Passes {
        static final Path STATIC = made(FixturePairs.scratch("cleanup-static"));

        @Test
        void writes() throws Exception {
            Files.writeString(made(FixturePairs.scratch("cleanup-test")).resolve("a.txt"), "a");
        }

        @Nested
        class Inner {
            @Test
            void writes() throws Exception {
                Files.writeString(made(FixturePairs.scratch("cleanup-nested")).resolve("b.txt"), "b");
                assertTrue(Files.isDirectory(STATIC), "a nested class's end removed its outer class's folder");
            }
        }
    }

    static class OwnsAConstant {
        static final Path DIR = made(FixturePairs.scratch("cleanup-constant"));

        @Test
        void uses() {
            assertTrue(Files.isDirectory(DIR));
        }
    }

    static class ReadsAnothersConstant {
        @Test
        void reads() {
            assertTrue(Files.isDirectory(OwnsAConstant.DIR));
        }
    }

    static class Fails {
        @Test
        void writesAndFails() throws Exception {
            Files.writeString(made(FixturePairs.scratch("cleanup-failed")).resolve("kept.txt"), "kept");
            fail("deliberately");
        }
    }

    static class Shares {
        @Test
        void writes() {
            made(FixturePairs.shared("cleanup-shared"));
        }
    }
}
