package org.tensorparity.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
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
        return Double.isNaN(v) ? "-" : fixed(v, 6);
    }

    /**
     * {@code v} with {@code decimals} digits after the point, exactly as {@code String.format(Locale.ROOT, "%.Nf", v)}
     * writes it: the shortest decimal that reads back as {@code v}, rounded half up, the sign kept even on a zero.
     * Without the formatter's parsing and locale lookups: its first calls cost 20-30 us each, and a report calls it
     * thrice per layer (YOLOX-nano's 556-layer report: a tenth of the HTML view's building).
     */
    static String fixed(double v, int decimals) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        boolean negative = v < 0 || (v == 0 && 1 / v < 0);
        double magnitude = Math.abs(v);
        if (Double.isInfinite(magnitude)) {
            return negative ? "-Infinity" : "Infinity";
        }
        String digits = new BigDecimal(Double.toString(magnitude)).setScale(decimals, RoundingMode.HALF_UP)
                .toPlainString();
        return negative ? "-" + digits : digits;
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
        return fixed(tenths == 0 ? 0.0 : tenths, 1) + " dB";
    }

    /** A share as a percentage with one decimal: {@code 2.7%}. */
    static String percent(double share) {
        return fixed(100 * share, 1) + "%";
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
        return ms < 1000 ? fixed(ms, 0) + " ms" : fixed(ms / 1000, 1) + " s";
    }

    /** A file size: {@code 85.8 MB}. */
    static String bytes(long n) {
        if (n < 1000) {
            return n + " B";
        }
        return n < 1_000_000 ? fixed(n / 1e3, 1) + " kB" : fixed(n / 1e6, 1) + " MB";
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
