package org.tensorparity.run;

import java.nio.file.Path;
import java.util.List;
import org.tensorparity.compare.DiagnosisKind;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.result.Diagnosis;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.ModelInfo;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.text.ShortNumber;

/**
 * A reproducer bundle's README: the original pair, the layer with its accumulated and isolated error and its
 * diagnosis, what the cut holds and was fed, and the one command that shows the failure. Model-derived names are put in code spans that
 * cannot close early or start a line of their own.
 */
final class ReproReadme {
    private ReproReadme() {
    }

    /** @param passing the same cut of the correct counterpart, which passed; or null when none was given */
    static String of(ParityReport report, ReproBundle.Cut cut, OutputResult failing,
            ReproCounterpart.Passed passing, List<String> command) {
        LayerResult root = cut.root();
        ModelInfo onnx = report.provenance().onnxModel();
        ModelInfo tflite = report.provenance().tfliteModel();
        StringBuilder md = new StringBuilder();
        md.append("# Reproducer: ONNX ").append(code(root.onnxOp())).append(" against TFLite ").append(code(root.tfliteOp()))
                .append("\n\nCut by tensor-parity out of a conversion whose outputs or layers disagree with its original.\n\n");
        md.append("| model | file | sha256 |\n|---|---|---|\n");
        md.append("| ONNX original | ").append(code(fileName(onnx.path()))).append(" | `").append(onnx.sha256()).append("` |\n");
        md.append("| TFLite conversion | ").append(code(fileName(tflite.path()))).append(" | `").append(tflite.sha256())
                .append("` |\n\n");
        md.append("**Layer**: ONNX ").append(code(root.onnx())).append(" (").append(code(root.onnxOp()))
                .append(") against TFLite ").append(code(root.tflite())).append(" (").append(code(root.tfliteOp()))
                .append("). In the model its error is ")
                .append(root.metrics() == null ? "unknown" : ShortNumber.format(root.metrics().normalizedMaxError()))
                .append(" of scale (accumulated); its operators add ")
                .append(ShortNumber.format(root.isolated().metrics().normalizedMaxError()))
                .append(" of scale by themselves (isolated; rule: ").append(text(root.isolated().rule())).append(").\n\n");
        Diagnosis d = root.diagnosis();
        if (d != null) {
            md.append("**Likely cause**: ").append(text(d.detail())).append(d.kind() == DiagnosisKind.UNKNOWN
                    ? " (unknown)" : " (" + d.kind().id() + ", reproduced to " + ShortNumber.format(d.reproducedError())
                            + " of scale by the ONNX operators with that change)").append(".\n\n");
        }
        md.append("**Cut**: `").append(ReproBundle.ONNX).append("` holds ").append(list(cut.onnx().operators())).append("; `")
                .append(ReproBundle.TFLITE).append("` holds ").append(list(cut.tflite().operators())).append(".");
        if (cut.tflite().operators().stream().anyMatch(o -> o.contains(ReproBundle.ADDED))) {
            md.append(" The operators marked *added* are tensor-parity's, not the conversion's: they move values between"
                    + " the ONNX layout the verify binds in and the one the TFLite operators read or write, and compute"
                    + " nothing.");
        }
        if (cut.startsEarlier()) {
            md.append(" The cut starts at the operators before the layer's: the run fed the layer a TFLite value that"
                    + " includes a bias its ONNX tensor lacks (a FULLY_CONNECTED's output for a MatMul's), which a cut"
                    + " from there would add again.");
        }
        if (cut.bias() != null) {
            md.append(" The run paired the layer with the ONNX ").append(code(root.onnxOp()))
                    .append("; the ONNX cut ends at the ").append(code(cut.bias().op()))
                    .append(" after it, ").append(code(cut.bias().onnx()))
                    .append(", which adds the bias the TFLite ").append(code(root.tfliteOp()))
                    .append(" includes (there the run's error is ").append(ShortNumber.format(cut.bias().error()))
                    .append(" of scale).");
        }
        if (cut.offset() != null) {
            md.append(" The run paired the layer with the TFLite ").append(code(root.tfliteOp()))
                    .append("; the cut ends at the ").append(code(cut.offset().op()))
                    .append(" after it, ").append(code(cut.offset().tflite()))
                    .append(", which adds the offset the ONNX ").append(code(root.onnxOp()))
                    .append(" includes (there the run's error is ").append(ShortNumber.format(cut.offset().error()))
                    .append(" of scale).");
        }
        md.append("\n\n");
        md.append("**Inputs** (`").append(ReproBundle.INPUTS).append("`, in ONNX layout; the TFLite input of the same name gets the"
                + " same values in its own layout), as the run fed them:\n\n");
        cut.fedFrom().forEach(f -> md.append("- ").append(code(f)).append('\n'));
        md.append("\n**Reproduce** (from this folder; exits 1):\n\n    ").append(String.join(" ", command)).append("\n\n");
        md.append("It fails on ").append(code(failing.onnx())).append(": ").append(text(cut.weightsDiffer()
                ? "its " + cut.root().isolated().weights().describe() : failing.reason())).append('\n');
        if (passing != null) {
            String side = passing.file().format() == ModelFormat.ONNX ? "ONNX original" : "TFLite conversion";
            md.append("\n**Against the correct ").append(side).append("** ").append(code(fileName(passing.file().path().toString())))
                    .append(" (sha256 `").append(passing.file().sha256()).append("`): the same cut of it, in the place of `")
                    .append(passing.file().format() == ModelFormat.ONNX ? ReproBundle.ONNX : ReproBundle.TFLITE)
                    .append("` and fed the same inputs, passes: ").append(ShortNumber.format(passing.error()))
                    .append(" of scale on ").append(code(failing.onnx())).append(", against ")
                    .append(ShortNumber.format(failing.metrics().normalizedMaxError()))
                    .append(": the failure comes from what the models compute, not from how they were cut.\n");
        }
        return md.toString();
    }

    private static String list(List<String> operators) {
        return String.join(", ", operators.stream().map(ReproReadme::code).toList());
    }

    /** A name from a model file as Markdown code: it cannot close the span or start a line of its own. */
    private static String code(String name) {
        return "`" + text(name).replace('`', '\'') + "`";
    }

    private static String text(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}", " ");
    }

    private static String fileName(String path) {
        Path p = Path.of(path).getFileName();
        return p == null ? path : p.toString();
    }
}
