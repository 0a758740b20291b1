package org.tensorparity.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tensorparity.ParityException;
import org.tensorparity.api.ParityCheck;
import org.tensorparity.result.ParityReport;
import org.tensorparity.report.ReportFiles;
import org.tensorparity.report.TextSummaryWriter;
import org.tensorparity.run.DiagnosisScope;
import org.tensorparity.run.ReproOutcome;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code parity verify}: run both models on the same inputs and judge outputs and layers. */
@Command(name = "verify",
        header = "Judge a converted model against its ONNX original, outputs and every layer.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Runs the ONNX model in ONNX Runtime and the TFLite model in the TFLite interpreter on the same",
            "seeded inputs, pairs their inputs and outputs (by name, then shape allowing NCHW/NHWC, then",
            "values, concatenation of split outputs, order) and compares every output pair. Unless",
            "--outputs-only is given, it then runs both again with every intermediate tensor kept, aligns the",
            "two graphs by their values, judges every pair, runs suspicious layers' ONNX operators alone on",
            "the TFLite values of their inputs, and names the first layer where the models part. The run",
            "fails when an output disagrees, or when a confidently paired layer computes differently by",
            "itself although every output agrees on these inputs (--no-fail-on-isolated: then a warning);",
            "layers that only inherit error are warnings (--fail-on-layers makes them fail). Writes a JSON",
            "report and, next to it, an HTML report; JUnit XML and a Markdown summary on request.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  parity verify --onnx template.onnx --tflite template.tflite",
            "  parity verify --onnx det.onnx --tflite det.tflite --shape x=1x3x271x271 --seed 7",
            "  parity verify --onnx a.onnx --tflite a.tflite --dist uniform:0,1   # inputs in the model's domain",
            "  parity verify --onnx a.onnx --tflite a.tflite --bind y1=Identity --atol 1e-5 --rtol 1e-3",
            "  parity verify --onnx a.onnx --tflite a_fp16.tflite --tolerance fp16 --json out/a.json",
            "  parity verify --onnx a.onnx --tflite a.tflite --outputs-only      # the fast gate",
            "  parity verify --onnx a.onnx --tflite a.tflite --junit out/a.xml --markdown out/a.md",
            "  parity verify --onnx vad.onnx --tflite vad.tflite --input sr=16000 --steps 500   # streaming",
            "",
            "Default tolerance (float32): an output passes when max|a-b| <= 1e-3 x max|reference| (ONNX is",
            "the reference), a layer at 5e-3, a layer's operators run alone at 1e-3; reduced-precision",
            "models get their own profile; --atol/--rtol switch to the elementwise rule",
            "|a-b| <= atol + rtol x |reference|.",
            "",
            "Exit codes: 0 parity holds, 1 parity violated, 2 usage or bad input, 3 model load or run",
            "failure (a loop past --max-iterations too), 70 internal error."
        })
public final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions models;

    @Mixin
    RunOptions run;

    @Mixin
    VerdictOptions judging;

    @Mixin
    LayerVerdictOptions verdict;

    @Mixin
    StepOptions streaming;

    @Option(names = "--mapping", paramLabel = "FILE",
            description = "Pair layers as this mapping file says (written by 'parity align --mapping'), overriding automatic alignment for the tensors it names.")
    Path mappingFile;

    @Option(names = "--diagnose", paramLabel = "WHAT", split = ",", defaultValue = "roots",
            description = "Which layers to diagnose (rerun their ONNX operators alone with one change at a time, to say what the converter did): roots (default: every root cause of a failing run), none, and layers by ONNX or TFLite tensor name, diagnosed whatever the verdict besides the roots (with none: instead of them).")
    List<String> diagnose;

    @Mixin
    ReportDestinationOptions destination;

    @Mixin
    ReportFormatOptions formats;

    @Option(names = "--repro", paramLabel = "DIR",
            description = "When a layer is found that computes differently by itself, cut it out of both models into DIR (repro.onnx, repro.tflite, inputs.npz, README.md), written only if a verify of the cut fails the same way.")
    Path repro;

    @Override
    public Integer call() throws ParityException {
        ReportFiles files = formats.applyTo(destination.json != null ? ReportFiles.beside(destination.json)
                : ReportFiles.inDirectory(destination.reportDir, models.tflite));
        files.checkWritable();
        List<ReproOutcome> reproduced = new ArrayList<>();
        ParityReport report = check().repro(repro, reproduced::add).run();
        PrintWriter out = spec.commandLine().getOut();
        new TextSummaryWriter().write(report, out);
        ReportFormatOptions.print(files.write(report), out);
        reproduced.forEach(r -> ReproLine.print(r, out, spec.commandLine().getErr()));
        return ExitCode.of(report.verdict()).code();
    }

    /** The check these options describe; {@code parity repro} runs it again from a report's command. */
    ParityCheck check() {
        return streaming.applyTo(judging.applyTo(run.check(spec, models), spec), spec).layerPolicy(verdict.policy(spec))
                .isolate(verdict.isolate).layers(!verdict.outputsOnly).mapping(mappingFile).diagnose(diagnosisScope())
                .maxMemory(verdict.maxMemory(spec));
    }

    /** {@code --diagnose}: the words roots and none, and layer names, which none keeps and roots adds to. */
    private DiagnosisScope diagnosisScope() {
        List<String> names = diagnose.stream().filter(w -> !w.equals("roots") && !w.equals("none")).toList();
        boolean roots = !diagnose.contains("none");
        if (diagnose.contains("roots") && !roots) {
            throw new ParameterException(spec.commandLine(), "--diagnose roots and --diagnose none contradict each other");
        }
        return DiagnosisScope.of(roots, names);
    }
}
