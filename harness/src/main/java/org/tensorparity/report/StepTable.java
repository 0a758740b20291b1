package org.tensorparity.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.tensorparity.result.StepSeries;
import org.tensorparity.result.StepTrack;
import org.tensorparity.text.TerminalText;

/**
 * Error against step as a few lines of text: each output's {@code max |a-b|} over its scale at steps 1, 10, 100, ...,
 * the last, the first failing and each output's worst (starred), so that a terminal shows whether the error stays flat or grows. The JSON
 * report has every step.
 */
final class StepTable {
    private static final int COLUMN = 20;

    private StepTable() {
    }

    static List<String> lines(StepSeries s) {
        List<String> lines = new ArrayList<>();
        lines.add("steps: " + s.steps() + ", each model fed its own state (" + s.feedback().stream()
                .map(f -> TerminalText.printable(f.onnxOutput() + " -> " + f.onnxInput()) + " by " + f.foundBy())
                .collect(Collectors.joining(", ")) + "); max |a-b| over each output's scale, by step (* its worst)");
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "  %-14s", "step"));
        for (StepTrack t : s.tracks()) {
            head.append(String.format(Locale.ROOT, " %" + COLUMN + "s", TerminalText.clip(TerminalText.printable(t.onnx()),
                    COLUMN)) + " ");
        }
        lines.add(head.toString());
        for (var row : rows(s).entrySet()) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-14s", row.getKey() + row.getValue()));
            for (StepTrack t : s.tracks()) {
                // A star marks each output's own worst step.
                line.append(String.format(Locale.ROOT, " %" + COLUMN + "s", NumberText.error(t.relativeError(row.getKey()))
                        + (t.worstStep() == row.getKey() ? "*" : " ")));
            }
            lines.add(line.toString());
        }
        StringBuilder tolerance = new StringBuilder(String.format(Locale.ROOT, "  %-14s", "tolerance"));
        for (StepTrack t : s.tracks()) {
            tolerance.append(String.format(Locale.ROOT, " %" + COLUMN + "s", t.relativeTolerance() == null ? "see rule"
                    : NumberText.error(t.relativeTolerance())) + " ");
        }
        lines.add(tolerance.toString());
        return lines;
    }

    /** The steps shown, each with its mark: 1, 10, 100, ..., the last, the first failing and each output's worst. */
    private static TreeMap<Integer, String> rows(StepSeries s) {
        TreeMap<Integer, String> rows = new TreeMap<>();
        for (long step = 1; step < s.steps(); step *= 10) {
            rows.put((int) step, "");
        }
        rows.put(s.steps(), "");
        if (s.firstFailingStep() != null) {
            rows.merge(s.firstFailingStep(), " first fail", String::concat);
        }
        for (StepTrack t : s.tracks()) {
            rows.putIfAbsent(t.worstStep(), "");
        }
        return rows;
    }
}
