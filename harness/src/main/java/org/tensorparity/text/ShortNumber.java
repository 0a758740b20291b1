package org.tensorparity.text;

/**
 * The one style every human-readable format prints numbers in: reasons, headlines, tables, charts and hints.
 * Measured quantities get three significant digits; tensor values get float32's shortest exact form, since their
 * last digits are what differs. Both write exponents the same way ({@code 3.12e-6}, never {@code 3.12E-6} or
 * {@code 3.12e-06}).
 */
public final class ShortNumber {
    private ShortNumber() {}

    /**
     * Three significant digits: plain notation between 1e-3 and 1e5 ({@code 12.5}, {@code 0.00312}), scientific
     * outside it ({@code 1e-4}, {@code 3.12e-6}, {@code 1.5e6}); {@code 0}, {@code NaN}, {@code Inf}, {@code -Inf}
     * as such. In double arithmetic rather than {@link String#format} or {@link java.math.BigDecimal}, whose cost
     * would dominate rendering a report (a chart labels thousands of numbers); a value within rounding of a tie may
     * round either way.
     */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Inf" : "-Inf";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        int exponent = (int) Math.floor(Math.log10(a));
        long digits = threeDigits(a, exponent);
        if (digits < 100) { // log10 rounded up across a power of ten
            exponent--;
            digits = threeDigits(a, exponent);
        }
        if (digits >= 1000) { // 9.996 rounds to 10.0
            exponent++;
            digits = threeDigits(a, exponent);
        }
        StringBuilder sb = new StringBuilder(12);
        if (v < 0) {
            sb.append('-');
        }
        if (exponent >= -3 && exponent <= 4) {
            plain(digits, exponent, sb);
        } else {
            sb.append(digits / 100);
            appendFraction(digits % 100, 2, sb);
            sb.append('e').append(exponent);
        }
        return sb.toString();
    }

    /** A ratio such as an error's growth: {@code x2.26}, {@code x1.1e6}. */
    public static String factor(double v) {
        return "x" + format(v);
    }

    /**
     * How an error changes on its way downstream: {@code grows x2.26}, or {@code shrinks to 9.53e-7 of itself}, since
     * "grows x9.53e-7" reads as growth.
     */
    public static String growth(double factor) {
        return factor >= 1 ? "grows " + factor(factor) : "shrinks to " + format(factor) + " of itself";
    }

    /** A float32 tensor value in its shortest exact decimal form: {@code 4.0290313}, {@code 9.4678064e-5}. */
    public static String value(float v) {
        if (!Float.isFinite(v)) {
            return Float.isNaN(v) ? "NaN" : v > 0 ? "Inf" : "-Inf";
        }
        return Float.toString(v).replace('E', 'e');
    }

    /** {@code a} rounded to three significant digits below 10^(exponent+1): 100 to 999 when exponent is right. */
    private static long threeDigits(double a, int exponent) {
        return Math.round(a / Math.pow(10, exponent - 2));
    }

    /** digits x 10^(exponent-2) in plain notation, without trailing zeros after the point. */
    private static void plain(long digits, int exponent, StringBuilder sb) {
        if (exponent >= 2) {
            sb.append(digits);
            for (int i = 2; i < exponent; i++) {
                sb.append('0');
            }
            return;
        }
        int places = 2 - exponent;
        long unit = (long) Math.pow(10, places);
        sb.append(digits / unit);
        appendFraction(digits % unit, places, sb);
    }

    /** ".05" for fraction 5 of 2 places; nothing when the fraction is zero; trailing zeros dropped. */
    private static void appendFraction(long fraction, int places, StringBuilder sb) {
        if (fraction == 0) {
            return;
        }
        while (fraction % 10 == 0) {
            fraction /= 10;
            places--;
        }
        String f = Long.toString(fraction);
        sb.append('.');
        for (int i = f.length(); i < places; i++) {
            sb.append('0');
        }
        sb.append(f);
    }
}
