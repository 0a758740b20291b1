package org.tensorparity.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.tensorparity.cli.ParityCli;
import org.tensorparity.fixtures.catalog.FixturePair;

/**
 * What {@code --isolate all} costs on top of a layer-by-layer verify: whole child processes, one with
 * isolation off and one with every aligned pair isolated, alternated (A B A B) so the shared machine's
 * noise falls on both alike.
 */
final class IsolationBench {
    private static final int ROUNDS = 3;

    private IsolationBench() {
    }

    static void run(PrintStream out, List<FixturePair> pairs, Path reports) throws Exception {
        for (FixturePair pair : pairs) {
            double[] off = new double[ROUNDS];
            double[] all = new double[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                off[i] = wallMs(pair, "off", reports);
                all[i] = wallMs(pair, "all", reports);
            }
            double base = median(off);
            double isolated = median(all);
            out.printf(Locale.ROOT, "  %-22s verify (layers, --isolate off) %7.0f ms | --isolate all %7.0f ms | isolation adds"
                    + " %6.0f ms = %.2fx the verify (target <= 1x)%n", pair.name(), base, isolated, isolated - base,
                    (isolated - base) / base);
        }
    }

    private static double wallMs(FixturePair pair, String isolate, Path reports) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ParityCli.class.getName(), "verify", "--onnx",
                pair.onnx().toString(), "--tflite", pair.tflite().toString(), "--isolate", isolate, "--report-dir",
                reports.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " did not pass (exit " + (p.isAlive() ? "none" : p.exitValue()) + ")");
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
