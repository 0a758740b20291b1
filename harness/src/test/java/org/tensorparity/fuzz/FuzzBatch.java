package org.tensorparity.fuzz;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorparity.cli.ParityCli;

/**
 * The child JVM of a {@link FuzzCampaign}: runs a list of cases in-process, one after another, and
 * tells the parent on stdout where it is ({@code start ID}, then {@code end ID CODE}, and {@code trace ID}
 * or {@code lines ID N} when a failure did not print exactly one error line). A crash or hang of this process is
 * therefore pinned on the case that was started last.
 */
public final class FuzzBatch {
    static final String FIELD = "\u001f";

    private FuzzBatch() {
    }

    /** Arguments: the batch file (one case per line: id, then the arguments, separated by U+001F), the reports folder. */
    public static void main(String[] args) throws Exception {
        Path reports = Path.of(args[1]);
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            List<String> fields = Arrays.asList(line.split(FIELD, -1));
            String id = fields.get(0);
            List<String> argv = new ArrayList<>(fields.subList(1, fields.size()));
            argv.addAll(List.of("--report-dir", reports.resolve("case-" + id).toString()));
            System.out.println("start " + id);
            StringWriter err = new StringWriter();
            int code = ParityCli.create(new PrintWriter(Writer.nullWriter(), true), new PrintWriter(err, true))
                    .execute(argv.toArray(String[]::new));
            String text = err.toString();
            if (text.contains("\tat ") || text.contains("Exception in thread") || text.contains("Caused by:")) {
                System.out.println("trace " + id);
            }
            // A usage error's second line is picocli's pointer to --help, part of the one-line convention.
            long lines = text.lines().filter(l -> !l.isBlank() && !l.startsWith("Try 'parity")).count();
            if (code >= 2 && lines != 1) {
                System.out.println("lines " + id + " " + lines);
            }
            System.out.println("end " + id + " " + code);
        }
    }
}
