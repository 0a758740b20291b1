package org.tensorparity.report.format;

/**
 * Untrusted text made inert for GitHub- and GitLab-flavoured Markdown. Model files choose their tensor,
 * operator and file names freely, and those names reach CI step summaries and pull-request comments,
 * where {@code |} would break a table, {@code *} start emphasis, {@code <img ...>} embed HTML and
 * {@code https://...} become a link.
 */
final class MarkdownText {
    private MarkdownText() {
    }

    /**
     * Plain text: every ASCII punctuation character backslash-escaped (CommonMark renders an escaped
     * punctuation character as itself, always), so nothing in it can start markup, HTML, a link or an
     * autolink ({@code https\:\/\/} and {@code www\.} are no longer URLs); line breaks become spaces.
     */
    static String text(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        s.codePoints().forEach(c -> {
            if (c < 128 && isAsciiPunctuation(c)) {
                sb.append('\\').append((char) c);
            } else {
                sb.appendCodePoint(inline(c));
            }
        });
        return sb.toString();
    }

    /**
     * A code span, for names: shown verbatim in a monospace font, never markup or a link. The fence is
     * one backtick longer than the longest run of backticks inside; in a table cell {@code |} is escaped,
     * which GFM resolves before it reads the span.
     */
    static String code(String s, boolean inTable) {
        if (s.isEmpty()) {
            return "*(empty)*";
        }
        StringBuilder content = new StringBuilder(s.length());
        int longestRun = 0;
        int run = 0;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            run = c == '`' ? run + 1 : 0;
            longestRun = Math.max(longestRun, run);
            if (c == '|' && inTable) {
                content.append("\\|");
            } else {
                content.appendCodePoint(inline(c));
            }
        }
        String fence = "`".repeat(longestRun + 1);
        // A span that starts or ends with a backtick or a space needs padding, which the reader strips.
        boolean pad = content.charAt(0) == '`' || content.charAt(content.length() - 1) == '`'
                || content.charAt(0) == ' ' || content.charAt(content.length() - 1) == ' ';
        return pad ? fence + " " + content + " " + fence : fence + content + fence;
    }

    /** Line breaks and other control characters would end a table row or a list item: one space or U+FFFD. */
    private static int inline(int c) {
        if (c == '\n' || c == '\r' || c == '\t') {
            return ' ';
        }
        return Character.isISOControl(c) ? '\uFFFD' : c;
    }

    private static boolean isAsciiPunctuation(int c) {
        return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~');
    }
}
