package org.tensorparity.report;

import java.util.List;
import java.util.regex.Pattern;

/** A command line as one string a POSIX shell reads back into the same arguments, to copy and rerun. */
final class ShellQuoting {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,@%+-]+");

    private ShellQuoting() {
    }

    static String join(List<String> args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(quote(a));
        }
        return sb.toString();
    }

    /** The argument itself when it holds no character a shell treats specially, else single-quoted. */
    static String quote(String arg) {
        if (PLAIN.matcher(arg).matches()) {
            return arg;
        }
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
