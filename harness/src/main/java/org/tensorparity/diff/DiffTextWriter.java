package org.tensorparity.diff;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.tensorparity.text.ShortNumber;
import org.tensorparity.text.TerminalText;

/** What {@code parity diff} prints: the tensors that got worse or better between two runs, and why it matters. */
public final class DiffTextWriter {
    private static final int NAME_WIDTH = 40;
    /** Improvements are listed up to this many; every regression is listed. */
    private static final int BETTER_LISTED = 10;

    public void write(RunDiff diff, PrintWriter out) {
        for (String note : diff.notes()) {
            out.println("  " + TerminalText.printable(note));
        }
        out.printf(Locale.ROOT, "  worse means: normalized error or noise (error RMS / reference RMS) > %s x max(old, %s), or a tensor"
                + " that passed now fails%n",
                trim(1 + diff.margin()), ShortNumber.format(diff.floor()));
        List<TensorChange> worse = diff.worse();
        List<TensorChange> better = diff.better();
        long same = diff.changes().size() - worse.size() - better.size();
        out.println();
        out.printf(Locale.ROOT, "worse: %d, better: %d, within the margin: %d (of %d tensors in both runs)%n", worse.size(),
                better.size(), same, diff.changes().size());
        if (!worse.isEmpty()) {
            table("worse", worse, out);
        }
        if (!better.isEmpty()) {
            table("better", better.subList(0, Math.min(BETTER_LISTED, better.size())), out);
            if (better.size() > BETTER_LISTED) {
                out.println("  ... and " + (better.size() - BETTER_LISTED) + " more");
            }
        }
        diff.firstChangedLayer().ifPresent(c -> out.println("\nfirst layer that computes differently: "
                + TerminalText.printable(c.onnx()) + " -> " + TerminalText.printable(c.newTflite())
                + " (every layer before it agrees exactly between the runs)"));
        list("only in OLD", diff.onlyInOld(), out);
        list("only in NEW", diff.onlyInNew(), out);
        out.println();
        out.println("verdict: " + diff.oldVerdict().name() + " -> " + diff.newVerdict().name() + "; "
                + (diff.regressed() ? "WORSE: " + (worse.isEmpty() ? "the run now fails" : worse.size() + " tensor"
                        + (worse.size() == 1 ? "" : "s") + " got worse beyond the margin") : "no tensor got worse beyond the margin"));
        out.flush();
    }

    private static void table(String title, List<TensorChange> changes, PrintWriter out) {
        out.println();
        out.printf(Locale.ROOT, "%s%n  %-6s %-" + NAME_WIDTH + "s %-" + NAME_WIDTH + "s %10s %10s %10s %10s %9s  %s%n",
                title, "", "ONNX", "TFLite (new)", "old error", "new error", "old noise", "new noise", "ratio", "verdict");
        for (TensorChange c : changes) {
            out.printf(Locale.ROOT, "  %-6s %-" + NAME_WIDTH + "s %-" + NAME_WIDTH + "s %10s %10s %10s %10s %9s  %s%n",
                    c.kind(), TerminalText.clip(c.onnx(), NAME_WIDTH), TerminalText.clip(c.newTflite(), NAME_WIDTH),
                    ShortNumber.format(c.oldError()), ShortNumber.format(c.newError()), ShortNumber.format(c.oldNoise()),
                    ShortNumber.format(c.newNoise()), ShortNumber.factor(c.ratio()),
                    c.oldVerdict().name().toLowerCase(Locale.ROOT) + " -> " + c.newVerdict().name().toLowerCase(Locale.ROOT));
        }
    }

    private static void list(String title, List<String> names, PrintWriter out) {
        if (names.isEmpty()) {
            return;
        }
        out.println();
        out.println(title + " (" + names.size() + "):");
        for (String n : names) {
            out.println("  " + TerminalText.printable(n));
        }
    }

    private static String trim(double v) {
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", "");
    }
}
