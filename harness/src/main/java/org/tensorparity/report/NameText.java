package org.tensorparity.report;

import java.util.ArrayList;
import java.util.List;
import org.tensorparity.text.ShortName;

/**
 * A model-derived name (or a path, or a sentence quoting names) as the HTML report shows it: {@code full} for
 * the hover title, and the shown text in {@code parts} that each end where a line may break. The template puts a
 * {@code <wbr>} between parts, so a long name wraps between its name parts instead of mid-word: converters join
 * scopes with {@code /} and fused tensors with {@code ;}, and the break after a cut's mark keeps both kept ends
 * whole.
 */
record NameText(String full, List<String> parts) {
    /** What marks the middle of a name left out. */
    private static final char MARK = '…';

    /** {@code name} in full, breakable after each separator. */
    static NameText whole(String name) {
        return new NameText(name, parts(name));
    }

    /** {@code name} cut in the middle to at most {@code width} characters, as {@link ShortName} cuts it. */
    static NameText shortened(String name, int width) {
        return new NameText(name, parts(ShortName.of(name, width, String.valueOf(MARK))));
    }

    private static List<String> parts(String text) {
        List<String> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == '/' || c == ';' || c == MARK) && i + 1 < text.length()) {
                parts.add(text.substring(start, i + 1));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}
