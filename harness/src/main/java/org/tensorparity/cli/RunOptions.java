package org.tensorparity.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorparity.align.AlignmentMapping;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.TfLiteDelegate;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.compare.ToleranceOverrides;
import org.tensorparity.compare.ToleranceProfile;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.run.VerifyRequest;
import org.tensorparity.tensor.Shape;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How a parity run feeds, runs and judges the models: options shared by {@code verify} and {@code align}. */
final class RunOptions {
    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "Seed of the generated inputs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--dist", defaultValue = "uniform:-1,1", paramLabel = "SPEC",
            description = "Distribution of generated inputs: uniform:LOW,HIGH or normal:MEAN,STD (default: ${DEFAULT-VALUE}).")
    String distribution;

    @Option(names = "--shape", paramLabel = "NAME=DIMS",
            description = "Static shape for a dynamic ONNX input, e.g. x=1x3x127x127; the bound TFLite input is resized to match in its own layout. Repeatable.")
    Map<String, String> shapes = new LinkedHashMap<>();

    @Option(names = "--bind", paramLabel = "ONNX=TFLITE",
            description = "Pair an ONNX input or output with a TFLite one by name, overriding automatic matching. Repeatable.")
    Map<String, String> binds = new LinkedHashMap<>();

    @Option(names = "--atol", paramLabel = "X", description = "Absolute tolerance of the elementwise rule |a-b| <= atol + rtol*|ref|.")
    Double atol;

    @Option(names = "--rtol", paramLabel = "X", description = "Relative tolerance of the elementwise rule |a-b| <= atol + rtol*|ref|.")
    Double rtol;

    @Option(names = "--tolerance", defaultValue = "default", paramLabel = "PROFILE",
            description = "Tolerance profile when --atol/--rtol are not given: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). fp16 is for float16-weight conversions.")
    ToleranceProfile profile;

    @Option(names = "--override", paramLabel = "GLOB=RULE",
            description = "Per-tensor tolerance, first match wins, e.g. 'score*=scale:1e-3' or 'transpose_*=atol:1e-5,rtol:1e-3'. Repeatable.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--tflite-delegate", defaultValue = "xnnpack", paramLabel = "KIND",
            description = "TFLite execution: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}, what an app ships).")
    TfLiteDelegate delegate;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "Threads per runtime (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--verbose", description = "Print stack traces with errors.")
    boolean verbose;

    VerifyRequest request(CommandSpec spec, ModelOptions models, boolean layers, AlignmentMapping mapping) {
        List<String> command = new ArrayList<>();
        command.add("parity");
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        return new VerifyRequest(models.onnx, models.tflite, settings(spec), seed, distribution(spec), shapes(spec),
                binds, rule(spec), overrides(spec), layers, mapping, command);
    }

    private RunnerSettings settings(CommandSpec spec) {
        if (threads < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        return new RunnerSettings(delegate, threads, false);
    }

    private InputDistribution distribution(CommandSpec spec) {
        try {
            return InputDistribution.parse(distribution);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--dist: " + e.getMessage());
        }
    }

    private Map<String, Shape> shapes(CommandSpec spec) {
        Map<String, Shape> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : shapes.entrySet()) {
            try {
                out.put(e.getKey(), Shape.parse(e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new ParameterException(spec.commandLine(),
                        "--shape " + e.getKey() + "=" + e.getValue() + ": " + ex.getMessage());
            }
        }
        return out;
    }

    private ToleranceRule rule(CommandSpec spec) {
        if (atol == null && rtol == null) {
            return profile.rule();
        }
        double a = atol == null ? 0 : atol;
        double r = rtol == null ? 0 : rtol;
        if (!(a >= 0) || !(r >= 0) || Double.isInfinite(a) || Double.isInfinite(r)) {
            throw new ParameterException(spec.commandLine(), "--atol and --rtol must be finite, non-negative numbers");
        }
        return ToleranceRule.elementwise(a, r);
    }

    private ToleranceOverrides overrides(CommandSpec spec) {
        try {
            return ToleranceOverrides.parse(overrides);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--override: " + e.getMessage());
        }
    }
}
