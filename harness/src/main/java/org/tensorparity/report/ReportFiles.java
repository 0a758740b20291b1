package org.tensorparity.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.tensorparity.BadInputException;
import org.tensorparity.backend.Background;
import org.tensorparity.result.ParityReport;

/**
 * Where one verify's reports go: a destination per {@link ReportFormat}, each written atomically. A format without
 * a destination is not written.
 *
 * @param destinations the file (for {@link ReportFormat#MODEL_EXPLORER} the folder) of each format written
 */
public record ReportFiles(Map<ReportFormat, Path> destinations) {

    /** One file written, for the line a command prints about it. */
    public record Written(String kind, Path file) {
    }

    public ReportFiles {
        EnumMap<ReportFormat, Path> copy = new EnumMap<>(ReportFormat.class);
        destinations.forEach((format, path) -> {
            if (path != null) {
                copy.put(format, path);
            }
        });
        destinations = Collections.unmodifiableMap(copy);
    }

    /** No report at all. */
    public static ReportFiles none() {
        return new ReportFiles(Map.of());
    }

    /**
     * The JSON report at {@code json} and the HTML report beside it ({@code run.json} -> {@code run.html}); none
     * beside a device or a pipe ({@code --json /dev/null} must not create {@code /dev/null.html}).
     */
    public static ReportFiles beside(Path json) {
        ReportFiles files = none().with(ReportFormat.JSON, json);
        return AtomicFileWriter.isStream(json) ? files : files.with(ReportFormat.HTML, sibling(json, ".html"));
    }

    /** {@code DIR/NAME.json} and {@code DIR/NAME.html}, NAME being the file name of {@code model} without its extension. */
    public static ReportFiles inDirectory(Path dir, Path model) {
        String name = model.getFileName() == null ? "report" : model.getFileName().toString();
        return beside(dir.resolve(ModelNames.withoutExtension(name) + ".json"));
    }

    /** {@code dir/run.html} for {@code dir/run.json} and {@code ".html"}: another format of the same report beside it. */
    public static Path sibling(Path json, String extension) {
        return json.resolveSibling(ModelNames.withoutExtension(json.getFileName().toString()) + extension);
    }

    /** These destinations with {@code format} written to {@code destination} (or not at all, when it is null). */
    public ReportFiles with(ReportFormat format, Path destination) {
        Map<ReportFormat, Path> changed = new EnumMap<>(ReportFormat.class);
        changed.putAll(destinations);
        changed.put(format, destination);
        return new ReportFiles(changed);
    }

    /** Where {@code format} is written; null when it is not. */
    public Path destination(ReportFormat format) {
        return destinations.get(format);
    }

    /** Fails on any destination that could not be written, so that a run does not end without its report. */
    public void checkWritable() throws BadInputException {
        for (Map.Entry<ReportFormat, Path> d : destinations.entrySet()) {
            AtomicFileWriter.checkWritable(d.getKey().probe(d.getValue()), d.getKey().description());
        }
    }

    /**
     * Writes every destination and says what was written where, in {@link ReportFormat} order. Files are written side
     * by side, each format on a thread of its own: on the full-size DaSiamRPN detection pair the HTML report took
     * 74-84 ms and the JSON report 24-27 ms of a one-second verify, one after the other. A destination that is a
     * stream (a pipe, {@code /dev/stdout}) makes them go one after the other, so that two formats never interleave
     * there, and the first failure ends the writing. Side by side, a format that fails lets the others finish; the
     * first failure, in format order, is thrown once every format has ended.
     */
    public List<Written> write(ParityReport report) throws BadInputException {
        List<Map.Entry<ReportFormat, Path>> all = List.copyOf(destinations.entrySet());
        List<List<Path>> files = new ArrayList<>();
        if (all.stream().anyMatch(d -> AtomicFileWriter.isStream(d.getValue()))) {
            for (Map.Entry<ReportFormat, Path> d : all) {
                files.add(d.getKey().write(report, d.getValue()));
            }
        } else if (!all.isEmpty()) {
            List<Background<List<Path>, BadInputException>> others = new ArrayList<>();
            for (Map.Entry<ReportFormat, Path> d : all.subList(1, all.size())) {
                others.add(Background.start("parity-report-" + d.getKey().label(),
                        () -> d.getKey().write(report, d.getValue())));
            }
            Throwable failure = null;
            try {
                files.add(all.get(0).getKey().write(report, all.get(0).getValue()));
            } catch (BadInputException | RuntimeException | Error e) {
                failure = e;
            }
            for (Background<List<Path>, BadInputException> other : others) {
                try {
                    files.add(other.join());
                } catch (BadInputException | RuntimeException | Error e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure instanceof BadInputException bad) {
                throw bad;
            }
            if (failure instanceof RuntimeException r) {
                throw r;
            }
            if (failure instanceof Error err) {
                throw err;
            }
        }
        List<Written> written = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            for (Path file : files.get(i)) {
                written.add(new Written(all.get(i).getKey().label(), file));
            }
        }
        return written;
    }
}
