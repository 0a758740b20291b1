package org.tensorparity.bench;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import java.util.StringJoiner;
import org.tensorparity.cli.ParityCli;

/**
 * One command of the tool run several times in one JVM, as a program of its own: the later runs find every class
 * loaded and the hot methods compiled, so they time the work itself without the JVM's start, class loading,
 * interpretation and JIT compilation. {@code make bench}'s deep section compares such runs of {@code --outputs-only}
 * and layer by layer to say what share of a layer-by-layer run no JVM setting can take away. Prints one line,
 * {@code ms: T1 T2 ...}, each run's wall time from the command's start to its reports written.
 */
public final class InProcessRepeats {
    private InProcessRepeats() {
    }

    /** {@code InProcessRepeats RUNS ARGS...}: the tool's ARGS, RUNS times. */
    public static void main(String[] args) {
        int runs = Integer.parseInt(args[0]);
        String[] command = Arrays.copyOfRange(args, 1, args.length);
        PrintWriter quiet = new PrintWriter(OutputStream.nullOutputStream());
        StringJoiner times = new StringJoiner(" ", "ms: ", "");
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            int code = ParityCli.create(quiet, new PrintWriter(System.err, true)).execute(command);
            times.add(String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e6));
            if (code != 0) {
                System.err.println("run " + (i + 1) + " exited with " + code);
                System.exit(code);
            }
        }
        System.out.println(times);
        System.exit(0);
    }
}
