package org.tensorparity.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.tensorparity.ParityException;
import org.tensorparity.align.AlignmentMapping;
import org.tensorparity.align.UnmatchedTensor;
import org.tensorparity.report.LayerResult;
import org.tensorparity.report.ParityReport;
import org.tensorparity.report.format.MappingFileFormat;
import org.tensorparity.report.format.TerminalText;
import org.tensorparity.run.ParityVerifier;
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
        ParityReport report = new ParityVerifier().verify(run.request(spec, models, true, null));
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-4s %-36s %-36s %-14s %5s  %s%n", "#", "ONNX", "TFLite", "layout", "conf", "evidence");
        for (LayerResult l : report.layers()) {
            out.printf(Locale.ROOT, "%-4d %-36s %-36s %-14s %5.2f  %s%n", l.index(), TerminalText.clip(l.onnx(), 36),
                    TerminalText.clip(l.tflite(), 36), l.permutation() == null ? "shape differs" : l.permutation().toString(),
                    l.confidence(), TerminalText.printable(String.join("; ", l.evidence())));
        }
        out.println();
        out.println("unmatched:");
        for (UnmatchedTensor u : report.unmatched()) {
            out.printf(Locale.ROOT, "  %-6s %-40s %-22s %s%n", u.model(), TerminalText.clip(u.name(), 40),
                    u.reason().name().toLowerCase(Locale.ROOT), TerminalText.printable(u.detail()));
        }
        for (String note : report.alignment().notes()) {
            out.println("note: " + TerminalText.printable(note));
        }
        if (mappingFile != null) {
            List<AlignmentMapping.MappedPair> pairs = report.layers().stream()
                    .filter(l -> !l.pairing().equals("transpose"))
                    .map(l -> new AlignmentMapping.MappedPair(l.onnx(), l.tflite(), l.confidence(), l.evidence()))
                    .toList();
            new MappingFileFormat().write(new AlignmentMapping(AlignmentMapping.SCHEMA_VERSION, models.onnx.toString(),
                    models.tflite.toString(), pairs), mappingFile);
            out.println("mapping: " + mappingFile);
        }
        out.flush();
        if (report.alignment().failure() != null) {
            spec.commandLine().getErr().println("parity: " + report.alignment().failure());
            return ExitCode.PARITY_VIOLATED.code();
        }
        return ExitCode.PASS.code();
    }
}
