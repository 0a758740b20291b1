package org.tensorparity.report;

import java.util.Locale;
import org.tensorparity.text.ShortNumber;

/**
 * Numbers as the human-readable formats print them: errors, ratios and tensor values in {@link ShortNumber}'s one
 * style, which the reasons and headlines inside a report use too; and the units only tables and charts need.
 */
final class NumberText {
    private NumberText() {
    }

    /** An error or a scale: {@code 0.0393}, {@code 6.18}, {@code 3.12e-6}, {@code 0}, {@code NaN}, {@code Inf}. */
    static String error(double v) {
        return ShortNumber.format(v);
    }

    /** A float32 tensor value in its shortest exact decimal form. */
    static String value(float v) {
        return ShortNumber.value(v);
    }

    /** A value range bound, which the report holds as a double. */
    static String value(double v) {
        return Double.isNaN(v) ? "-" : value((float) v);
    }

    /** A ratio such as the error growth: {@code x2.26}, {@code x1.1e6}. */
    static String factor(double v) {
        return ShortNumber.factor(v);
    }

    /** A cosine similarity: six decimals, since everything that matters is close to 1. */
    static String cosine(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** An SQNR in dB with one decimal: {@code 18.3 dB}, {@code exact} for no error, {@code -} when undefined. */
    static String decibels(double db) {
        if (Double.isNaN(db)) {
            return "-";
        }
        if (db == Double.POSITIVE_INFINITY) {
            return "exact";
        }
        // Rounded first: -0.04 dB would print as "-0.0 dB".
        double tenths = Math.round(db * 10) / 10.0;
        return String.format(Locale.ROOT, "%.1f dB", tenths == 0 ? 0.0 : tenths);
    }

    /** A share as a percentage with one decimal: {@code 2.7%}. */
    static String percent(double share) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    /** A count with thousands separators: {@code 41,772}. */
    static String count(long n) {
        String digits = Long.toString(Math.abs(n));
        StringBuilder sb = new StringBuilder(n < 0 ? "-" : "");
        for (int i = 0; i < digits.length(); i++) {
            if (i > 0 && (digits.length() - i) % 3 == 0) {
                sb.append(',');
            }
            sb.append(digits.charAt(i));
        }
        return sb.toString();
    }

    /** Milliseconds: {@code 114 ms}, {@code 2.3 s}. */
    static String millis(double ms) {
        return ms < 1000 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.1f s", ms / 1000);
    }

    /** A file size: {@code 85.8 MB}. */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        return n < 1_000_000 ? String.format(Locale.ROOT, "%.1f kB", n / 1e3) : String.format(Locale.ROOT, "%.1f MB", n / 1e6);
    }

    /** A coordinate in an SVG attribute: at most one decimal, no trailing zero. */
    static String coordinate(double v) {
        return appendCoordinate(new StringBuilder(8), v).toString();
    }

    /**
     * Appends {@link #coordinate}'s text. Charts hold thousands of coordinates, so this avoids
     * {@link String#format} and intermediate strings, which would dominate the rendering time.
     */
    static StringBuilder appendCoordinate(StringBuilder sb, double v) {
        long tenths = Math.round(v * 10);
        if (tenths < 0) {
            sb.append('-');
            tenths = -tenths;
        }
        sb.append(tenths / 10);
        if (tenths % 10 != 0) {
            sb.append('.').append(tenths % 10);
        }
        return sb;
    }
}
