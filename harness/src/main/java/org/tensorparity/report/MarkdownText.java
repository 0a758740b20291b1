package org.tensorparity.report;

/**
 * Untrusted text made inert for GitHub- and GitLab-flavoured Markdown. Model files choose their tensor,
 * operator and file names freely, and those names reach CI step summaries and pull-request comments,
 * where {@code |} would break a table, {@code *} start emphasis, {@code <img ...>} embed HTML and
 * {@code https://...} become a link. The raw Markdown is read too (a step summary file, a comment's
 * source), so only what can start markup where it stands is escaped.
 */
final class MarkdownText {
    /**
     * Breaks a mention, an issue reference or an autolink without showing: GitHub finds those in the rendered
     * text, after backslash escapes are gone, so {@code \@name} still notifies and {@code a\@b.io} still links.
     */
    private static final char ZERO_WIDTH_SPACE = '\u200B';

    private MarkdownText() {
    }

    /**
     * Plain text that renders as itself: backslash, backtick, {@code * [ ] < & ~ $} always escaped ({@code $}
     * starts math on GitHub), {@code _} unless inside a word (where it cannot emphasize), {@code |} in a
     * table cell, and the markers that open a block ({@code #}, {@code >}, {@code -}, {@code +}, {@code 1.})
     * where the text starts, as it may start a line. {@code @name}, {@code #123}, {@code GH-123},
     * {@code scheme://} and {@code www.} get a zero-width space. Line breaks become spaces; leading spaces go.
     */
    static String text(String s, boolean inTable) {
        int[] c = s.codePoints().map(MarkdownText::inline).toArray();
        int start = 0;
        while (start < c.length && c[start] == ' ') {
            start++;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        // Leading spaces are dropped: rendered Markdown ignores them, and four would make a code block of the text.
        for (int i = start; i < c.length; i++) {
            if (escaped(c, i, inTable) || (i == start && opensBlock(c, i)) || (i > start && endsListNumber(c, start, i))) {
                sb.append('\\');
            }
            sb.appendCodePoint(c[i]);
            if (linksOn(c, i)) {
                sb.append(ZERO_WIDTH_SPACE);
            }
        }
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

    private static boolean escaped(int[] c, int i, boolean inTable) {
        return switch (c[i]) {
            // An escaped [ also leaves ! with no image to start, and an escaped < no tag or <autolink>.
            case '\\', '`', '*', '[', ']', '<', '&', '~', '$' -> true;
            case '|' -> inTable;
            // Between two letters or digits an underscore neither opens nor closes emphasis: CONV_2D stays as it is.
            case '_' -> !(wordCharAt(c, i - 1) && wordCharAt(c, i + 1));
            default -> false;
        };
    }

    /** A heading, a quote or a bullet where the text starts; an ordered item is {@link #endsListNumber}'s. */
    private static boolean opensBlock(int[] c, int i) {
        return switch (c[i]) {
            case '#', '>' -> true;
            // "-0.5" and "+foo" start no list; "- x", "--" and a lone "-" may.
            case '-', '+' -> !wordCharAt(c, i + 1);
            default -> false;
        };
    }

    /** The dot or parenthesis of "12. " or "3) " where the text starts: an ordered list item. */
    private static boolean endsListNumber(int[] c, int start, int i) {
        if ((c[i] != '.' && c[i] != ')') || i - start > 9 || (i + 1 < c.length && c[i + 1] != ' ')) {
            return false;
        }
        for (int j = start; j < i; j++) {
            if (c[j] < '0' || c[j] > '9') {
                return false;
            }
        }
        return true;
    }

    /** Whether the characters up to {@code i} end where a mention, a reference or an autolink would go on. */
    private static boolean linksOn(int[] c, int i) {
        return switch (c[i]) {
            case '@' -> i + 1 < c.length && c[i + 1] != ' ';
            case '#' -> digitAt(c, i + 1);
            case '-' -> digitAt(c, i + 1) && i >= 2 && lower(c[i - 2]) == 'g' && lower(c[i - 1]) == 'h';
            case ':' -> i + 2 < c.length && c[i + 1] == '/' && c[i + 2] == '/';
            case 'w', 'W' -> i >= 2 && i + 1 < c.length && c[i + 1] == '.' && lower(c[i - 1]) == 'w' && lower(c[i - 2]) == 'w';
            default -> false;
        };
    }

    private static boolean wordCharAt(int[] c, int i) {
        return i >= 0 && i < c.length && Character.isLetterOrDigit(c[i]);
    }

    private static boolean digitAt(int[] c, int i) {
        return i < c.length && c[i] >= '0' && c[i] <= '9';
    }

    private static int lower(int c) {
        return Character.toLowerCase(c);
    }

    /** Line breaks and other control characters would end a table row or a list item: one space or U+FFFD. */
    private static int inline(int c) {
        if (c == '\n' || c == '\r' || c == '\t') {
            return ' ';
        }
        return Character.isISOControl(c) ? '\uFFFD' : c;
    }
}
