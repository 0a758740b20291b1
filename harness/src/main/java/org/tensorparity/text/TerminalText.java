package org.tensorparity.text;


/**
 * Model-derived strings on a terminal: names come from untrusted files, so control characters are
 * replaced (no escape sequences reach the terminal) and long names are cut to keep tables aligned.
 */
public final class TerminalText {
    private TerminalText() {
    }

    public static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> sb.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return sb.toString();
    }

    /**
     * {@link #printable} and at most {@code width} characters, cut in the middle ({@code ~}) when longer, so two
     * fused names with the same long prefix still read differently.
     */
    public static String clip(String s, int width) {
        return ShortName.of(printable(s), width, "~");
    }
}
