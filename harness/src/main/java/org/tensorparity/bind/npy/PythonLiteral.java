package org.tensorparity.bind.npy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python literal of a {@code .npy} header, as numpy's {@code safe_eval} would: dicts (to
 * {@link Map}), tuples and lists (both to {@link List}), quoted strings, whole numbers (to {@link Long},
 * accepting Python 2's {@code L} suffix), {@code True}, {@code False} and {@code None}. Anything else, such
 * as a float or an expression, is rejected, never evaluated.
 */
final class PythonLiteral {
    /** Python's {@code None}; distinct from Java null so that a missing dict key stays distinguishable. */
    static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /**
     * The value of {@code text}, which must be one literal surrounded by whitespace only.
     *
     * @throws IllegalArgumentException saying what was found where, in one line
     */
    static Object parse(String text) {
        PythonLiteral parser = new PythonLiteral(text);
        Object value = parser.value();
        parser.skipWhitespace();
        if (parser.pos < text.length()) {
            throw parser.error("unexpected " + parser.describeNext() + " after the literal");
        }
        return value;
    }

    private Object value() {
        skipWhitespace();
        if (pos >= text.length()) {
            throw error("the text ends where a value should be");
        }
        char c = text.charAt(pos);
        return switch (c) {
            case '{' -> dict();
            case '(' -> sequence(')');
            case '[' -> sequence(']');
            case '\'', '"' -> string();
            default -> {
                if (c == '-' || c == '+' || Character.isDigit(c)) {
                    yield number();
                }
                if (Character.isLetter(c)) {
                    yield keyword();
                }
                throw error("unexpected " + describeNext());
            }
        };
    }

    private Map<Object, Object> dict() {
        pos++; // '{'
        Map<Object, Object> map = new LinkedHashMap<>();
        while (!consume('}')) {
            Object key = value();
            if (!(key instanceof String)) {
                throw error("a dict key is not a string");
            }
            skipWhitespace();
            if (!consume(':')) {
                throw error("expected ':' after the key '" + key + "'");
            }
            if (map.put(key, value()) != null) {
                throw error("the key '" + key + "' appears twice");
            }
            if (!consume(',')) {
                skipWhitespace();
                if (!consume('}')) {
                    throw error("expected ',' or '}' in the dict, found " + describeNext());
                }
                return map;
            }
        }
        return map;
    }

    private List<Object> sequence(char close) {
        pos++; // '(' or '['
        List<Object> items = new ArrayList<>();
        while (!consume(close)) {
            items.add(value());
            if (!consume(',')) {
                skipWhitespace();
                if (!consume(close)) {
                    throw error("expected ',' or '" + close + "', found " + describeNext());
                }
                return items;
            }
        }
        return items;
    }

    private String string() {
        char quote = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == quote) {
                return sb.toString();
            }
            // numpy's descr strings never hold escapes; a backslash simply keeps the next character.
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            sb.append(c);
        }
        throw error("a string is not closed");
    }

    private Long number() {
        int start = pos;
        if (text.charAt(pos) == '-' || text.charAt(pos) == '+') {
            pos++;
        }
        int digits = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos == digits) {
            throw error("a sign without digits");
        }
        String number = text.substring(start, pos);
        if (pos < text.length() && (text.charAt(pos) == 'L' || text.charAt(pos) == 'l')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw error("only whole numbers are allowed");
        }
        try {
            return Long.parseLong(number);
        } catch (NumberFormatException e) {
            throw error("the number " + Printable.clip(number) + " is too large");
        }
    }

    private Object keyword() {
        int start = pos;
        while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
            pos++;
        }
        String word = text.substring(start, pos);
        return switch (word) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> NONE;
            default -> throw error("unexpected name " + Printable.clip(word));
        };
    }

    private boolean consume(char c) {
        skipWhitespace();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipWhitespace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private String describeNext() {
        return pos < text.length() ? Printable.clip(String.valueOf(text.charAt(pos))) : "the end of the text";
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at offset " + pos);
    }
}
