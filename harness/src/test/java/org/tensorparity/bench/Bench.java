package org.tensorparity.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tensorparity.align.GraphLayers;
import org.tensorparity.align.SyntheticGraphs;
import org.tensorparity.align.TensorAligner;
import org.tensorparity.backend.ModelRunner;
import org.tensorparity.backend.RunResult;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.ort.OnnxRuntimeRunner;
import org.tensorparity.backend.tflite.TfLiteRunner;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.cli.ParityCli;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.fixtures.catalog.FixtureCatalog;
import org.tensorparity.fixtures.catalog.FixturePair;
import org.tensorparity.fixtures.catalog.FixtureWriter;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.result.ParityReport;
import org.tensorparity.run.ParityVerifier;
import org.tensorparity.run.VerifyRequest;
import org.tensorparity.tensor.Tensor;

/**
 * {@code make bench}: every figure is a ratio of two things measured side by side in this one run, so
 * a noisy shared machine moves both alike. Never a timed test.
 */
public final class Bench {
    private static final Path FOLDER = Path.of("target", "bench-fixtures").toAbsolutePath();
    private static final PrintStream OUT = System.out;

    private Bench() {
    }

    /** Runs every section, or only those named as arguments (process, deep, jobs, bounded, verify, diagnosis, isolate, samples, start, alignment, memory, report, compare, quantized). */
    public static void main(String[] args) throws Exception {
        List<String> only = List.of(args);
        OUT.println("tensor-parity benchmarks (" + Runtime.getRuntime().availableProcessors() + " cores, Java "
                + System.getProperty("java.version") + ")");
        Files.createDirectories(FOLDER);
        FixturePair template = FixtureWriter.write(FixtureCatalog.byName("template-127-onnxtf"), FOLDER, 1.0, 7);
        FixturePair detection = FixtureWriter.write(FixtureCatalog.byName("detection-271-onnxtf"), FOLDER, 1.0, 7);

        if (only.isEmpty() || only.contains("verify")) {
            OUT.println();
            OUT.println("== verify overhead, full-size pairs (issue 2: beyond the two inferences <= 10% of them)");
            for (FixturePair pair : List.of(template, detection)) {
                verifyOverhead(pair);
            }
        }
        if (only.isEmpty() || only.contains("process")) {
            OUT.println();
            OUT.println("== whole processes against a bare load-and-infer (runtime APIs only) and against the tool's runners"
                    + " loading and running the same, full-size pairs (issue 19: --outputs-only <= 1.15x wall, 1.3x memory;"
                    + " verify <= 1.8x wall, 2x memory; a suite of N pairs <= N x one pair + one process start)");
            WholeProcessBench.run(OUT, List.of(template, detection), FOLDER.resolve("reports"));
        }
        if (only.isEmpty() || only.contains("deep")) {
            OUT.println();
            OUT.println("== deep real networks, layer by layer against --outputs-only (issue 39: layers <= 1.5x wall and 2x"
                    + " memory; --isolate all <= 2x wall; <= 3 ns per aligned element pair)");
            DeepNetworksBench.run(OUT, FOLDER.resolve("deep"));
        }
        if (only.isEmpty() || only.contains("jobs")) {
            OUT.println();
            OUT.println("== a suite on every core against one core (issue 36: parity suite --jobs N)");
            SuiteJobsBench.run(OUT, FOLDER.resolve("jobs"));
        }
        if (only.isEmpty() || only.contains("bounded")) {
            OUT.println();
            OUT.println("== layer by layer in bounded memory, generated pairs of 0.5 to 4 GB of activations (issue 36: peak"
                    + " RSS <= 1.15x the two models + the budget; time against passes x two inferences + comparison)");
            BoundedMemoryBench.run(OUT, FOLDER.resolve("bounded"));
            BoundedMemoryBench.fullSize(OUT, List.of(detection, FixtureWriter.write(
                    FixtureCatalog.byName("detection-271-onnx2tf-kernel-view-nhwc"), FOLDER, 1.0, 7)),
                    FOLDER.resolve("bounded"));
        }
        if (only.isEmpty() || only.contains("diagnosis")) {
            OUT.println();
            OUT.println("== diagnosis of failing pairs' root causes on top of their layer-by-layer verify (issue 33: <= 0.5x)");
            DiagnosisBench.run(OUT, FixtureWriter.write(FixtureCatalog.byName("detection-271-onnx2tf-kernel-view-nhwc"),
                    FOLDER, 1.0, 7), FOLDER.resolve("diagnosis"));
        }
        if (only.isEmpty() || only.contains("isolate")) {
            OUT.println();
            OUT.println("== isolation, full-size pairs (issue 17: --isolate all adds at most 1x the verify)");
            IsolationBench.run(OUT, List.of(template, detection), FOLDER.resolve("reports"));
        }
        if (only.isEmpty() || only.contains("samples")) {
            OUT.println();
            OUT.println("== samples reuse the loaded models (issue 5: N samples cost about N inferences, not N loads)");
            for (FixturePair pair : List.of(template, detection)) {
                samples(pair);
            }
        }
        if (only.isEmpty() || only.contains("start")) {
            OUT.println();
            OUT.println("== JVM start to verdict, width 0.125 template pair (child JVM started as ./parity starts it, --outputs-only)");
            startToVerdict();
        }
        if (only.isEmpty() || only.contains("alignment")) {
            OUT.println();
            OUT.println("== alignment time for synthetic graphs (issue 3: 1000 layers < 1 s, close to linear)");
            alignment();
        }
        if (only.isEmpty() || only.contains("memory")) {
            OUT.println();
            OUT.println("== capture memory, full-size pairs (issue 3: <= 2x activations + weights)");
            for (FixturePair pair : List.of(template, detection)) {
                captureMemory(pair);
            }
        }
        if (only.isEmpty() || only.contains("report")) {
            OUT.println();
            OUT.println("== HTML report of full-size pairs (issue 4: rendering well under the inferences, page under 5 MB)");
            ReportRenderBench.run(OUT, List.of(template, detection));
        }
        if (only.isEmpty() || only.contains("compare")) {
            OUT.println();
            OUT.println("== comparison throughput against a plain array copy (issue 3: >= 0.5x copy)");
            ComparisonThroughputBench.run(OUT);
        }
        if (only.isEmpty() || only.contains("quantized")) {
            OUT.println();
            OUT.println("== reading a quantized candidate (issue 16: dequantization adds < 10% to compare time)");
            QuantizedCompareBench.run(OUT);
        }
    }

    private static void verifyOverhead(FixturePair pair) throws Exception {
        ModelFile onnxFile = ModelFile.read(pair.onnx(), ModelFormat.ONNX);
        ModelFile tfliteFile = ModelFile.read(pair.tflite(), ModelFormat.TFLITE);
        double[] bare = new double[5];
        double[] verify = new double[5];
        double[] layers = new double[3];
        try (ModelRunner onnx = OnnxRuntimeRunner.open(onnxFile, RunnerSettings.DEFAULT);
                ModelRunner tflite = TfLiteRunner.open(tfliteFile, RunnerSettings.DEFAULT)) {
            Map<String, Tensor> onnxFeeds = feeds(onnx);
            Map<String, Tensor> tfliteFeeds = feeds(tflite);
            onnx.run(onnxFeeds);
            tflite.run(tfliteFeeds);
            for (int i = 0; i < bare.length; i++) {
                long t0 = System.nanoTime();
                onnx.run(onnxFeeds);
                tflite.run(tfliteFeeds);
                bare[i] = (System.nanoTime() - t0) / 1e6;
                verify[i] = timeVerify(pair, false);
            }
        }
        for (int i = 0; i < layers.length; i++) {
            layers[i] = timeVerify(pair, true);
        }
        ParityReport last = new ParityVerifier().verify(request(pair, false));
        double inference = median(bare);
        double whole = median(verify);
        double ours = last.timings().compareMs();
        OUT.printf(Locale.ROOT, "  %-22s two inferences %7.1f ms | whole verify --outputs-only %7.1f ms (x%.2f; load %.1f ms"
                + " is the runtimes' own) | bind+compare %.2f ms = %.1f%% of inference | with layers %7.1f ms (x%.2f)%n",
                pair.name(), inference, whole, whole / inference, last.timings().loadMs(), ours, 100 * ours / inference,
                median(layers), median(layers) / inference);
    }

    /** From one run's own stage timings: differencing wall times drowns in the variance of model loading. */
    private static void samples(FixturePair pair) throws Exception {
        int n = 8;
        new ParityVerifier().verify(sampleRequest(pair, 2));
        ParityReport report = new ParityVerifier().verify(sampleRequest(pair, n));
        double inference = (report.timings().onnxInferenceMs() + report.timings().tfliteInferenceMs()) / n;
        double perSample = inference + report.timings().compareMs() / n;
        OUT.printf(Locale.ROOT, "  %-22s %d samples | load %7.1f ms once | per sample %6.1f ms, of which its two inferences"
                + " %6.1f ms (x%.2f) | whole run %7.1f ms%n", pair.name(), n, report.timings().loadMs(), perSample,
                inference, perSample / inference, report.timings().totalMs());
    }

    private static VerifyRequest sampleRequest(FixturePair pair, int samples) {
        return VerifyRequest.of(pair.onnx(), pair.tflite()).tolerances(Tolerances.defaults()).layers(false)
                .samples(samples).invocation(List.of("bench"), List.of()).build();
    }

    private static double timeVerify(FixturePair pair, boolean layers) throws Exception {
        long t0 = System.nanoTime();
        new ParityVerifier().verify(request(pair, layers));
        return (System.nanoTime() - t0) / 1e6;
    }

    private static VerifyRequest request(FixturePair pair, boolean layers) {
        return VerifyRequest.of(pair.onnx(), pair.tflite()).tolerances(Tolerances.defaults()).layers(layers)
                .invocation(List.of("bench"), List.of()).build();
    }

    private static Map<String, Tensor> feeds(ModelRunner runner) {
        Map<String, Tensor> feeds = new java.util.LinkedHashMap<>();
        runner.signature().inputs().forEach(s -> feeds.put(s.name(),
                new org.tensorparity.bind.InputGenerator(0, InputDistribution.DEFAULT).generate(s.name(), s.dtype(), s.shape())));
        return feeds;
    }

    private static void startToVerdict() throws Exception {
        FixturePair pair = FixtureWriter.write(FixtureCatalog.byName("template-127-onnxtf"), FOLDER.resolve("small"), 0.125, 7);
        double[] wall = new double[3];
        for (int i = 0; i < wall.length; i++) {
            ProcessBuilder child = new ProcessBuilder(Launch.asTheLauncher().command(List.of(ParityCli.class.getName(),
                    "verify", "--outputs-only", "--onnx", pair.onnx().toString(), "--tflite", pair.tflite().toString(),
                    "--report-dir", FOLDER.resolve("reports").toString()))).redirectErrorStream(true);
            long t0 = System.nanoTime();
            Process p = child.start();
            p.getInputStream().readAllBytes();
            p.waitFor(120, TimeUnit.SECONDS);
            wall[i] = (System.nanoTime() - t0) / 1e6;
        }
        OUT.printf(Locale.ROOT, "  median of %d: %.0f ms from process start to exit code%n", wall.length, median(wall));
    }

    private static void alignment() {
        TensorAligner aligner = new TensorAligner();
        double previous = 0;
        for (int layers : new int[] {10, 100, 1000}) {
            SyntheticGraphs.Pair pair = SyntheticGraphs.chain(layers / 3 + 1, -1, 8, 1);
            double[] ms = new double[8];
            int onnxLayers = 0;
            int tfliteLayers = 0;
            for (int i = 0; i < ms.length; i++) {
                // Graph analysis (fingerprints) and the dynamic programme, as verify runs them.
                long t0 = System.nanoTime();
                GraphLayers onnx = GraphLayers.of("onnx", pair.onnx().graph(), pair.onnx().captured(), pair.onnx().inputs());
                GraphLayers tflite = GraphLayers.of("tflite", pair.tflite().graph(), pair.tflite().captured(),
                        pair.tflite().inputs());
                aligner.align(onnx, tflite, pair.boundInputs(), List.of(), Map.of());
                ms[i] = (System.nanoTime() - t0) / 1e6;
                onnxLayers = onnx.candidates().size();
                tfliteLayers = tflite.candidates().size();
            }
            double m = median(Arrays.copyOfRange(ms, 3, ms.length));
            OUT.printf(Locale.ROOT, "  %4d ONNX layers x %4d TFLite layers: %8.2f ms%s%n", onnxLayers, tfliteLayers, m,
                    previous == 0 ? "" : String.format(Locale.ROOT, "  (x%.1f for 10x layers)", m / previous));
            previous = m;
        }
        // Broken halfway: the second half agrees with nothing and is paired by structure.
        SyntheticGraphs.Pair broken = SyntheticGraphs.chain(1000 / 3 + 1, 1000 / 6, 8, 1);
        double[] ms = new double[8];
        for (int i = 0; i < ms.length; i++) {
            long t0 = System.nanoTime();
            GraphLayers onnx = GraphLayers.of("onnx", broken.onnx().graph(), broken.onnx().captured(), broken.onnx().inputs());
            GraphLayers tflite = GraphLayers.of("tflite", broken.tflite().graph(), broken.tflite().captured(),
                    broken.tflite().inputs());
            aligner.align(onnx, tflite, broken.boundInputs(), List.of(), Map.of());
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        OUT.printf(Locale.ROOT, "  the same 1002 layers, broken halfway (structural pairing after it): %8.2f ms%n",
                median(Arrays.copyOfRange(ms, 3, ms.length)));
    }

    private static void captureMemory(FixturePair pair) throws Exception {
        ModelFile onnxFile = ModelFile.read(pair.onnx(), ModelFormat.ONNX);
        ModelFile tfliteFile = ModelFile.read(pair.tflite(), ModelFormat.TFLITE);
        RunnerSettings instrumented = RunnerSettings.DEFAULT.instrumented();
        long before = usedHeap();
        RunResult onnx;
        RunResult tflite;
        try (ModelRunner o = OnnxRuntimeRunner.open(onnxFile, instrumented)) {
            onnx = o.run(feeds(o));
        }
        try (ModelRunner t = TfLiteRunner.open(tfliteFile, instrumented)) {
            tflite = t.run(feeds(t));
        }
        long held = usedHeap() - before;
        long activations = bytes(onnx.intermediates());
        long weights = onnxFile.ref().sizeBytes();
        OUT.printf(Locale.ROOT, "  %-22s heap holding both captures %6.1f MB | ONNX activations %6.1f MB + weights %6.1f MB"
                + " = %6.1f MB | ratio %.2f%n", pair.name(), held / 1e6, activations / 1e6, weights / 1e6,
                (activations + weights) / 1e6, held / (double) (activations + weights));
        if (tflite.intermediates().isEmpty()) {
            throw new IllegalStateException("capture held nothing");
        }
    }

    private static long bytes(Map<String, Tensor> tensors) {
        return tensors.values().stream().mapToLong(t -> 4L * t.size()).sum();
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** The middle value (the upper one of an even count): what every section reports. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
