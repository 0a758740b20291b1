package org.tensorparity.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.tensorparity.cli.ParityCli;

/** One in-process run of the {@code parity} command line, with what it printed. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(Object... args) {
        List<String> argv = new ArrayList<>();
        for (Object a : args) {
            argv.add(a.toString());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = ParityCli.create(new PrintWriter(out, true), new PrintWriter(err, true)).execute(argv.toArray(String[]::new));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The error output's lines, without empty ones. */
    public List<String> errLines() {
        return err.lines().filter(l -> !l.isBlank()).toList();
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
    }
}
