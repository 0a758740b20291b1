package org.tensorparity.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.tensorparity.cli.ParityCli;
import org.tensorparity.fixtures.catalog.FixtureCatalog;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.fixtures.catalog.FixtureSpec;
import org.tensorparity.fixtures.catalog.FixtureWriter;

/**
 * A 90-pair suite on every core against one core (issue 36): the catalog's correct pairs at width 0.125, repeated
 * to 90 entries, verified layer by layer by {@code parity suite --jobs 1} and {@code --jobs <cores>} as whole
 * processes, alternated.
 */
final class SuiteJobsBench {
    private static final int PAIRS = 90;
    private static final int ROUNDS = 3;

    private SuiteJobsBench() {
    }

    static void run(PrintStream out, Path folder) throws Exception {
        List<FixturePair> written = new ArrayList<>();
        for (FixtureSpec spec : FixtureCatalog.correct()) {
            written.add(FixtureWriter.write(spec, folder, 0.125, 7));
        }
        StringBuilder yaml = new StringBuilder("pairs:\n");
        for (int i = 0; i < PAIRS; i++) {
            FixturePair pair = written.get(i % written.size());
            yaml.append("  - {name: p").append(i).append(", onnx: \"").append(pair.onnx()).append("\", tflite: \"")
                    .append(pair.tflite()).append("\"}\n");
        }
        Path suite = Files.writeString(folder.resolve("ninety.suite.yaml"), yaml);
        int cores = Runtime.getRuntime().availableProcessors();
        Launch launch = Launch.asTheLauncher();
        List<String> one = launch.command(command(suite, folder, 1));
        List<String> all = launch.command(command(suite, folder, cores));
        double[] oneWall = new double[ROUNDS];
        double[] allWall = new double[ROUNDS];
        double[] onePeak = new double[ROUNDS];
        double[] allPeak = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            WholeProcessBench.Cost a = WholeProcessBench.measure(one);
            WholeProcessBench.Cost b = WholeProcessBench.measure(all);
            oneWall[r] = a.wallMs();
            onePeak[r] = a.peakKb();
            allWall[r] = b.wallMs();
            allPeak[r] = b.peakKb();
        }
        out.printf(Locale.ROOT, "  %d pairs (%d distinct, width 0.125), layer by layer: --jobs 1 %.1f s, %.0f MB | --jobs %d"
                + " %.1f s, %.0f MB | speed-up x%.2f on %d cores (medians of %d, alternated)%n", PAIRS, written.size(),
                Bench.median(oneWall) / 1000, Bench.median(onePeak) / 1024, cores, Bench.median(allWall) / 1000,
                Bench.median(allPeak) / 1024, Bench.median(oneWall) / Bench.median(allWall), cores, ROUNDS);
    }

    private static List<String> command(Path suite, Path folder, int jobs) {
        return List.of(ParityCli.class.getName(), "suite", suite.toString(), "--jobs", Integer.toString(jobs),
                "--json", folder.resolve("jobs-" + jobs + ".json").toString());
    }
}
