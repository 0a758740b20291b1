package org.tensorparity.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.tensorparity.run.ReproOutcome;
import org.tensorparity.text.TerminalText;

/** The one line {@code --repro} prints: where the bundle went and how to run it, or why there is none (on stderr). */
final class ReproLine {
    private ReproLine() {
    }

    static void print(ReproOutcome outcome, PrintWriter out, PrintWriter err) {
        if (outcome instanceof ReproOutcome.Written w) {
            out.println(String.format(Locale.ROOT, "reproducer: %s (%.1f KB; from there: %s)", w.dir(), w.bytes() / 1024.0,
                    String.join(" ", w.command())));
            if (w.counterpart() != null) {
                out.println("  checked: " + TerminalText.printable(w.counterpart()));
            }
            out.flush();
        } else if (outcome instanceof ReproOutcome.NotWritten n) {
            err.println("no reproducer written to " + n.dir() + ": " + TerminalText.printable(n.reason()));
            err.flush();
        }
    }
}
