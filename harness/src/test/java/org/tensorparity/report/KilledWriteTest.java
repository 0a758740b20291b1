package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tensorparity.testing.FixturePairs;

/**
 * A {@code kill -9} at any moment while reports are written leaves each report either as it was before or
 * complete and new, never partial. A child JVM rewrites the four reports of two real runs (one passing, one
 * failing) in a loop and is killed at 50 seeded random moments; after each kill every report must be
 * byte-identical to one of the two complete renderings. The temporary siblings a kill strands are counted
 * to show that kills did land mid-write.
 */
class KilledWriteTest {
    private static final int KILLS = 50;
    private static final List<String> REPORTS = List.of("report.json", "report.html", "report.xml", "report.md");

    @Test
    void aKilledWriterLeavesEachReportOldOrNewNeverPartial() throws Exception {
        Path dir = FixturePairs.scratch("killed-write");
        Path passing = dir.resolve("passing.json");
        Path failing = dir.resolve("failing.json");
        new JsonReportWriter().write(ReportRuns.fixture("template-127-onnxtf"), passing);
        new JsonReportWriter().write(ReportRuns.fixture("template-127-onnxtf-conv-weight-early"), failing);
        Path expectedPassing = Files.createDirectories(dir.resolve("expected-passing"));
        Path expectedFailing = Files.createDirectories(dir.resolve("expected-failing"));
        ReportRewriter.writeAll(new JsonReportReader().read(passing), expectedPassing);
        ReportRewriter.writeAll(new JsonReportReader().read(failing), expectedFailing);

        Path out = Files.createDirectories(dir.resolve("out"));
        Random random = new Random(20261203);
        int stranded = 0;
        Path ready = dir.resolve("ready");
        for (int kill = 0; kill < KILLS; kill++) {
            Files.deleteIfExists(ready);
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), ReportRewriter.class.getName(),
                    passing.toString(), failing.toString(), out.toString(), ready.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            // Killed at a random moment once it rewrites complete reports: how long the JVM takes to start and
            // write its first set depends on the machine's load (over 1.6 s while a full build runs beside it).
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(ready) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertTrue(Files.exists(ready), "the child wrote its first set of reports");
            Thread.sleep(random.nextInt(1000));
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child died");
            int k = kill;
            for (String name : REPORTS) {
                Path report = out.resolve(name);
                if (Files.exists(report)) {
                    byte[] bytes = Files.readAllBytes(report);
                    assertTrue(Arrays.equals(bytes, Files.readAllBytes(expectedPassing.resolve(name)))
                                    || Arrays.equals(bytes, Files.readAllBytes(expectedFailing.resolve(name))),
                            () -> "kill " + k + " left a partial " + name + " (" + bytes.length + " bytes)");
                }
            }
            try (Stream<Path> files = Files.list(out)) {
                for (Path temp : files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                    stranded++;
                    Files.delete(temp);
                }
            }
        }
        System.out.println("KilledWriteTest: " + KILLS + " kills, " + stranded + " landed mid-write");
        assertTrue(stranded > 0, "at least one kill landed while a report was being written");
    }
}
