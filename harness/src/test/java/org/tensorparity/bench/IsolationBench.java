package org.tensorparity.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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
        Launch launch = Launch.asTheLauncher();
        for (FixturePair pair : pairs) {
            double[] off = new double[ROUNDS];
            double[] all = new double[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                off[i] = WholeProcessBench.measure(launch.command(verify(pair, "off", reports))).wallMs();
                all[i] = WholeProcessBench.measure(launch.command(verify(pair, "all", reports))).wallMs();
            }
            double base = Bench.median(off);
            double isolated = Bench.median(all);
            out.printf(Locale.ROOT, "  %-22s verify (layers, --isolate off) %7.0f ms | --isolate all %7.0f ms | isolation adds"
                    + " %6.0f ms = %.2fx the verify (target <= 1x)%n", pair.name(), base, isolated, isolated - base,
                    (isolated - base) / base);
        }
    }

    private static List<String> verify(FixturePair pair, String isolate, Path reports) {
        return List.of(ParityCli.class.getName(), "verify", "--onnx", pair.onnx().toString(), "--tflite",
                pair.tflite().toString(), "--isolate", isolate, "--report-dir", reports.toString());
    }
}
