package org.tensorparity.compare;

import java.math.BigDecimal;
import java.math.MathContext;

/** Formats numbers for one-line reasons and rule descriptions: 3 significant digits, compact. */
public final class ShortNumber {
    private ShortNumber() {}

    /**
     * Plain notation between 1e-3 and 1e5 ({@code 12.5}, {@code 0.00312}), scientific outside it ({@code 1e-4},
     * {@code 3.12e-6}, {@code 1.5e6}); {@code 0}, {@code NaN}, {@code Inf}, {@code -Inf} as such.
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
        BigDecimal d = new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros();
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            return d.toPlainString();
        }
        int exponent = d.precision() - d.scale() - 1;
        BigDecimal mantissa = d.movePointLeft(exponent).stripTrailingZeros();
        return mantissa.toPlainString() + "e" + exponent;
    }
}
