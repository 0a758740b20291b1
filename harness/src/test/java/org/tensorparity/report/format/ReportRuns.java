package org.tensorparity.report.format;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorparity.ParityException;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.report.ParityReport;
import org.tensorparity.run.ParityVerifier;
import org.tensorparity.run.VerifyRequest;
import org.tensorparity.testing.FixturePairs;

/** Reports of real verify runs (layer by layer, default settings), made once per JVM and shared by the tests. */
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

    private static ParityReport verify(Path onnx, Path tflite) {
        try {
            return new ParityVerifier().verify(VerifyRequest.simple(onnx, tflite, RunnerSettings.DEFAULT,
                    Tolerances.defaults(), true,
                    List.of("parity", "verify", "--onnx", onnx.toString(), "--tflite", tflite.toString())));
        } catch (ParityException e) {
            throw new IllegalStateException(e);
        }
    }
}
