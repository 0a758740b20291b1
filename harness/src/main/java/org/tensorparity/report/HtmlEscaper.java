package org.tensorparity.report;

import com.samskivert.mustache.Mustache;

/**
 * The HTML escaping of JMustache's own escaper, in one pass: the characters {@code & ' " < > ` =} become the same
 * entities, so the page is the same byte for byte. JMustache's escaper replaces them one character after the other,
 * seven passes over every value; that was a quarter of the template's time on YOLOX-nano's 556-layer report (5.9 MB,
 * where most values need no escaping at all and come back as they are).
 */
final class HtmlEscaper implements Mustache.Escaper {
    @Override
    public String escape(String text) {
        int first = 0;
        while (first < text.length() && entity(text.charAt(first)) == null) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            String e = entity(c);
            if (e == null) {
                out.append(c);
            } else {
                out.append(e);
            }
        }
        return out.toString();
    }

    private static String entity(char c) {
        return switch (c) {
            case '&' -> "&amp;";
            case '\'' -> "&#39;";
            case '"' -> "&quot;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '`' -> "&#x60;";
            case '=' -> "&#x3D;";
            default -> null;
        };
    }
}
