package org.tensorparity.report.format;

/**
 * Model-derived strings on a terminal: names come from untrusted files, so control characters are
 * replaced (no escape sequences reach the terminal) and long names are clipped to keep tables aligned.
 */
public final class TerminalText {
    private TerminalText() {
    }

    public static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }

    /** {@link #printable} and at most {@code width} characters, the last one {@code ~} when clipped. */
    public static String clip(String s, int width) {
        String p = printable(s);
        return p.length() <= width ? p : p.substring(0, width - 1) + "~";
    }
}
