package org.tensorparity.bind.npy;

/**
 * Quotes text that came from a file for a one-line error message: control characters escaped, long text
 * clipped, so a hostile header can neither break the line nor flood the terminal.
 */
final class Printable {
    private static final int MAX_CHARS = 40;

    private Printable() {
    }

    /** {@code text} in single quotes, control characters as {@code \xNN}, clipped with "..." beyond 40 characters. */
    static String clip(String text) {
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(text.length(), MAX_CHARS);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (text.length() > MAX_CHARS) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }
}
