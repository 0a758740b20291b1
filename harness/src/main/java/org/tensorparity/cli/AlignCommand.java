package org.tensorparity.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.tensorparity.ParityException;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.ParityReport;
import org.tensorparity.report.AlignmentTableWriter;
import org.tensorparity.report.MappingFileFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parity align}: show which ONNX tensor is which TFLite tensor, and why. */
@Command(name = "align",
        header = "Show which ONNX tensor is which TFLite tensor, and why.",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpWidth = 100,
        description = {
            "Runs both models with every intermediate kept and prints how their graphs align: each ONNX",
            "activation with its TFLite counterpart, the layout permutation, a confidence and the evidence,",
            "then every tensor without a counterpart and why. --mapping writes the pairs as JSON; edit it",
            "and give it to 'parity verify --mapping' to override the automatic pairing.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  parity align --onnx template.onnx --tflite template.tflite",
            "  parity align --onnx template.onnx --tflite template.tflite --mapping template.mapping.json",
            "",
            "Exit codes: 0 aligned, 1 the graphs do not align, 2 usage or bad input, 3 model load or run failure."
        })
public final class AlignCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions models;

    @Mixin
    RunOptions run;

    @Option(names = "--mapping", paramLabel = "FILE", description = "Write the aligned pairs to this JSON file.")
    Path mappingFile;

    @Override
    public Integer call() throws ParityException {
        ParityReport report = run.check(spec, models).run();
        PrintWriter out = spec.commandLine().getOut();
        new AlignmentTableWriter().write(report, out);
        if (mappingFile != null) {
            MappingFileFormat format = new MappingFileFormat();
            format.write(format.mappingOf(report), mappingFile);
            out.println("mapping: " + mappingFile);
            out.flush();
        }
        String failure = report.alignment().failure();
        if (failure != null) {
            spec.commandLine().getErr().println("parity: " + failure);
        }
        return ExitCode.of(failure == null ? Verdict.PASS : Verdict.FAIL).code();
    }
}
