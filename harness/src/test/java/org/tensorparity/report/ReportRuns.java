package org.tensorparity.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorparity.BadInputException;
import org.tensorparity.ParityException;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.result.ParityReport;
import org.tensorparity.run.ParityVerifier;
import org.tensorparity.run.VerifyRequest;
import org.tensorparity.testing.CliRun;
import org.tensorparity.testing.FixturePairs;
import org.tensorparity.testing.RealPairs;
import org.tensorparity.testing.RealPairs.Expectation;

/**
 * Reports of real verify runs (layer by layer, default settings), made once per JVM and shared by the tests: of the
 * fixture pairs, and of the real converted pairs of the corpus (skipped where it is missing, see {@link RealPairs}).
 */
final class ReportRuns {
    private static final Map<String, ParityReport> RUNS = new HashMap<>();

    private ReportRuns() {
    }

    /** The report of the catalog fixture pair {@code name}. */
    static synchronized ParityReport fixture(String name) {
        return RUNS.computeIfAbsent(name, n -> {
            var pair = FixturePairs.pair(n);
            return verify(pair.onnx(), pair.tflite());
        });
    }

    /** The report of {@link HostileModels#failingPair()}. */
    static synchronized ParityReport hostile() {
        return RUNS.computeIfAbsent("hostile", n -> {
            HostileModels.Pair pair = HostileModels.failingPair();
            return verify(pair.onnx(), pair.tflite());
        });
    }

    /** The report of the corpus pair {@code name} of real-pairs.yaml, run through the command line with its entry's inputs. */
    static synchronized ParityReport realPair(String name) {
        return RUNS.computeIfAbsent("real " + name, n -> {
            Expectation pair = RealPairs.expectations().stream().filter(e -> e.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no pair " + name + " in real-pairs.yaml"));
            Path json = FixturePairs.shared("real-pair").resolve(name + ".json");
            List<Object> argv = new ArrayList<>(List.of("verify", "--onnx", pair.onnxPath(), "--tflite",
                    pair.tflitePath(), "--json", json));
            argv.addAll(pair.resolvedArgs());
            CliRun run = CliRun.of(argv.toArray());
            if (run.exitCode() > 1) {
                throw new IllegalStateException(name + " did not run: " + run);
            }
            try {
                return new JsonReportReader().read(json);
            } catch (BadInputException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static ParityReport verify(Path onnx, Path tflite) {
        try {
            return new ParityVerifier().verify(VerifyRequest.of(onnx, tflite).tolerances(Tolerances.defaults())
                    .invocation(List.of("parity", "verify", "--onnx", onnx.toString(), "--tflite", tflite.toString()),
                            List.of())
                    .build());
        } catch (ParityException e) {
            throw new IllegalStateException(e);
        }
    }
}
