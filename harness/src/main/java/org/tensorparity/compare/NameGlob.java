package org.tensorparity.compare;

import java.util.Objects;

/**
 * A glob over tensor names. It matches a whole name: {@code *} matches any run of characters (including
 * none, and including {@code /}, {@code :} and {@code ;}, which tensor names often contain), {@code ?}
 * matches exactly one character, {@code \} makes the next character literal ({@code \*}, {@code \?},
 * {@code \\}), and every other character matches itself, case-sensitively. Examples: {@code conv*} matches
 * {@code conv1} and {@code conv_r1/BiasAdd}; {@code *:0} matches every tf2onnx-style name;
 * {@code layer?} matches {@code layer1} but not {@code layer10}.
 *
 * @param pattern the glob text
 */
public record NameGlob(String pattern) {
    public NameGlob {
        Objects.requireNonNull(pattern, "pattern");
        if (pattern.isEmpty()) {
            throw new IllegalArgumentException("empty name glob");
        }
        int backslashes = 0;
        for (int i = pattern.length() - 1; i >= 0 && pattern.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        if (backslashes % 2 == 1) {
            throw new IllegalArgumentException("name glob '" + pattern + "' ends with a lone backslash");
        }
    }

    /** True when the glob matches all of {@code name}; false for null. */
    public boolean matches(String name) {
        if (name == null) {
            return false;
        }
        // Greedy matching with one backtrack point (the last '*'): linear in practice, never exponential.
        int p = 0;
        int s = 0;
        int starP = -1;
        int starS = -1;
        int len = pattern.length();
        while (s < name.length()) {
            if (p < len) {
                char c = pattern.charAt(p);
                if (c == '*') {
                    starP = ++p;
                    starS = s;
                    continue;
                }
                if (c == '?') {
                    p++;
                    s++;
                    continue;
                }
                if (c == '\\') {
                    c = pattern.charAt(p + 1);
                    if (c == name.charAt(s)) {
                        p += 2;
                        s++;
                        continue;
                    }
                } else if (c == name.charAt(s)) {
                    p++;
                    s++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP;
            s = ++starS;
        }
        while (p < len && pattern.charAt(p) == '*') {
            p++;
        }
        return p == len;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
