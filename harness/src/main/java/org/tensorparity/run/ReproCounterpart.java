package org.tensorparity.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.tensorparity.BadInputException;
import org.tensorparity.ParityException;
import org.tensorparity.backend.ModelCut;
import org.tensorparity.backend.Runtimes;
import org.tensorparity.compare.Verdict;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.ModelRef;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;
import org.tensorparity.text.ShortNumber;

/**
 * The correct counterpart of one of a reproducer's models ({@code parity repro --against GOOD}): a conversion known
 * to be right, or the original a TFLite model was converted from. The same operators cut out of it must pass where
 * the bundle's fail, or the cut does not show the conversion's bug.
 */
final class ReproCounterpart {
    /** The same operators cut out of the correct counterpart {@code file} of one of the two models. */
    record SameCut(ModelRef file, ModelCut.Model cut) {
    }

    /**
     * What the same cut of the correct counterpart did on the same inputs: it passed.
     *
     * @param error its error on the root's tensor, as a fraction of scale
     */
    record Passed(ModelRef file, double error) {
    }

    private ReproCounterpart() {
    }

    /** The correct counterpart's file, read as the format its name ends in. */
    static ModelFile read(Path against) throws ReproBundle.Refusal {
        String name = against.getFileName() == null ? "" : against.getFileName().toString();
        ModelFormat format = name.endsWith(ModelFormat.ONNX.extension()) ? ModelFormat.ONNX
                : name.endsWith(ModelFormat.TFLITE.extension()) ? ModelFormat.TFLITE : null;
        if (format == null) {
            throw new ReproBundle.Refusal("the correct counterpart " + against + " is neither an .onnx nor a .tflite file");
        }
        try {
            return ModelFile.read(against, format);
        } catch (BadInputException e) {
            throw new ReproBundle.Refusal("the correct counterpart cannot be read: " + e.getMessage());
        }
    }

    /**
     * Checks that the same cut of the correct counterpart, in the place of its model's cut and fed the same inputs,
     * passes as the run judges; it is written beside the bundle's files only while it runs. A counterpart whose cut
     * fails too shows that the cut's failure is not the conversion's bug (an input the cut cannot bind, a kernel
     * that differs on these values): no bundle.
     */
    static Passed passes(Path folder, ReproBundle.Cut cut, VerifyRequest request, List<String> command,
            Runtimes runtimes) throws IOException, ParityException, ReproBundle.Refusal {
        ModelFormat side = cut.counterpart().file().format();
        Path file = folder.resolve("counterpart" + side.extension());
        try {
            Files.write(file, cut.counterpart().cut().bytes());
            ParityReport check = new ParityVerifier(runtimes, ProgressListener.NONE).verify(ReproBundle.bundleRequest(
                    side == ModelFormat.ONNX ? file : folder.resolve(ReproBundle.ONNX),
                    side == ModelFormat.TFLITE ? file : folder.resolve(ReproBundle.TFLITE), folder, request, command));
            OutputResult out = check.outputs().stream().filter(o -> o.onnx().equals(cut.onnxEnd())).findFirst()
                    .orElse(null);
            if (out == null || out.metrics() == null) {
                throw new ReproBundle.Refusal("the same cut of " + cut.counterpart().file().path() + " cannot be compared on '"
                        + cut.onnxEnd() + "'" + (out == null ? "" : ": " + out.reason()));
            }
            if (check.verdict() != Verdict.PASS) {
                throw new ReproBundle.Refusal("the same cut of " + cut.counterpart().file().path() + " fails too ("
                        + ShortNumber.format(out.metrics().normalizedMaxError()) + " of scale on '" + cut.onnxEnd()
                        + "'): the cut does not isolate the conversion's bug");
            }
            return new Passed(cut.counterpart().file(), out.metrics().normalizedMaxError());
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
