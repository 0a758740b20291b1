package org.tensorparity.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import org.tensorparity.api.ParityCheck;
import org.tensorparity.bind.InputDistribution;
import org.tensorparity.bind.InputSource;
import org.tensorparity.bind.image.ImagePreprocessing;
import org.tensorparity.run.ProgressListener;
import org.tensorparity.run.VerifyRequest;
import org.tensorparity.tensor.Shape;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** How a parity run feeds and runs the models: options shared by {@code verify} and {@code align}. */
final class RunOptions {
    /**
     * Each sample is one inference in each runtime: ten thousand already take minutes on a small model and
     * settle the worst-case and mean statistics; more is a typo (or a runaway script), not a request.
     */
    static final int MAX_SAMPLES = 10_000;

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

    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--input", paramLabel = "NAME=FILE",
            description = "Feed ONNX input NAME from a file instead of seeded values: .npy, .npz (NAME=f.npz or NAME=f.npz:ENTRY) or an image (.png, .jpg; see --image-prep); seed it from its own distribution (NAME=uniform:0,255); or give its values (NAME=16000 fills it, NAME=0,1,2 lists every element, NAME=ones, NAME=zeros), for integer and boolean inputs. Without it, an integer or boolean input gets the values its graph implies (an index in [0, its table's size), a value compared with a constant that constant, a mask all true, an If condition the branch the TFLite model holds); another boolean is seeded, with a warning. Repeatable.")
    Map<String, String> inputFiles = new LinkedHashMap<>();

    @Option(names = "--inputs", paramLabel = "FILE.npz",
            description = "Feed each ONNX input that has an entry of its name in this .npz (as --save-inputs writes them); inputs without one stay seeded.")
    Path inputsNpz;

    @Option(names = "--image-prep", defaultValue = "rgb,resize", paramLabel = "SPEC",
            description = "How images become tensors: rgb|bgr|gray, resize|crop, nchw|nhwc, scale=X (e.g. 1/255), mean=A:B:C, std=A:B:C (default: ${DEFAULT-VALUE}).")
    String imagePrep;

    @Option(names = "--samples", defaultValue = "1", paramLabel = "N",
            description = "Run N input samples, 1 to 10000 (seeded inputs use seed, seed+1, ...) on the loaded models; outputs report their worst and mean over samples, layers are compared on the worst sample (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--save-inputs", paramLabel = "DIR",
            description = "Write every sample's inputs to DIR/inputs-K.npz; the report's rerun command replays the worst one, reporting into DIR/rerun.")
    Path saveInputs;

    @Mixin
    VerboseOption verbose;

    /**
     * The check these flags describe, on the models of {@code models}, judged by the default tolerances until
     * {@link VerdictOptions} says otherwise; nothing is read or run yet.
     */
    ParityCheck check(CommandSpec spec, ModelOptions models) {
        List<String> command = new ArrayList<>();
        command.add("parity");
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        if (samples < 1 || samples > ParityCheck.MAX_SAMPLES) {
            throw new ParameterException(spec.commandLine(), "--samples must be between 1 and " + ParityCheck.MAX_SAMPLES
                    + ", got " + samples);
        }
        ParityCheck check = ParityCheck.of(models.onnx, models.tflite)
                .settings(runtime.settings(spec))
                .signature(models.signature)
                .seed(seed)
                .distribution(distribution(spec))
                .samples(samples)
                .inputs(inputsNpz)
                .imagePreprocessing(imagePreprocessing(spec))
                .saveInputs(saveInputs)
                .progress(progress(spec))
                .provenance(command, rerun(command));
        shapes(spec).forEach(check::shape);
        binds.forEach(check::bind);
        inputs(spec, check);
        return check;
    }

    /**
     * A one-line sample counter on stderr for runs of several samples at an interactive terminal; never in
     * a CI log or a pipe, where it would only be noise.
     */
    private ProgressListener progress(CommandSpec spec) {
        if (samples < 2 || System.console() == null) {
            return ProgressListener.NONE;
        }
        java.io.PrintWriter err = spec.commandLine().getErr();
        return (done, total) -> {
            err.print("\rsample " + done + "/" + total);
            if (done == total) {
                err.print("\r" + " ".repeat(24) + "\r");
            }
            err.flush();
        };
    }

    /** With saved inputs, the same command fed from one sample's file instead of the generated values. */
    private List<String> rerun(List<String> command) {
        if (saveInputs == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        // Sample choice and report destinations are replaced: the rerun must not overwrite the report it came from.
        List<String> dropWithValue = List.of("--save-inputs", "--samples", "--input", "--inputs", "--seed", "--dist",
                "--image-prep", "--json", "--report-dir", "--html", "--junit", "--markdown");
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            String flag = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
            if (dropWithValue.contains(flag)) {
                if (!a.contains("=")) {
                    i++;
                }
                continue;
            }
            out.add(a);
        }
        out.add("--inputs");
        out.add(saveInputs.resolve("inputs-" + VerifyRequest.SAMPLE_PLACEHOLDER + ".npz").toString());
        out.add("--report-dir");
        out.add(saveInputs.resolve("rerun").toString());
        return out;
    }

    private ImagePreprocessing imagePreprocessing(CommandSpec spec) {
        try {
            return ImagePreprocessing.parse(imagePrep);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--image-prep: " + e.getMessage());
        }
    }

    /** Each --input NAME=VALUE as the check's input: a distribution, or a file the check reads when it runs. */
    private void inputs(CommandSpec spec, ParityCheck check) {
        for (Map.Entry<String, String> e : inputFiles.entrySet()) {
            String value = e.getValue();
            String lower = value.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("uniform:") || lower.startsWith("normal:")) {
                try {
                    check.input(e.getKey(), InputDistribution.parse(value));
                } catch (IllegalArgumentException ex) {
                    throw new ParameterException(spec.commandLine(), "--input " + e.getKey() + "=" + value + ": " + ex.getMessage());
                }
            } else if (lower.contains(".npz")) {
                int colon = value.lastIndexOf(':');
                if (colon > lower.lastIndexOf(".npz")) {
                    check.input(e.getKey(), Path.of(value.substring(0, colon)), value.substring(colon + 1));
                } else {
                    check.input(e.getKey(), Path.of(value));
                }
            } else if (InputSource.tellsKind(value)) {
                check.input(e.getKey(), Path.of(value));
            } else if (InputSource.Literal.looksLike(value)) {
                try {
                    check.input(e.getKey(), InputSource.Literal.parse(value));
                } catch (IllegalArgumentException ex) {
                    throw new ParameterException(spec.commandLine(), "--input " + e.getKey() + "=" + value + ": " + ex.getMessage());
                }
            } else {
                throw new ParameterException(spec.commandLine(), "--input " + e.getKey() + "=" + value
                        + ": expected a .npy, .npz, .png or .jpg file, uniform:LOW,HIGH / normal:MEAN,STD, or values"
                        + " (16000, 0,1,2, ones)");
            }
        }
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
}
