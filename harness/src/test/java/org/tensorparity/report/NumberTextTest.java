package org.tensorparity.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class NumberTextTest {
    private static void sameAsFormat(double v, int decimals) {
        assertEquals(String.format(Locale.ROOT, "%." + decimals + "f", v), NumberText.fixed(v, decimals),
                () -> v + " to " + decimals + " decimals");
    }

    @Test
    void fixedDecimalsAreWhatStringFormatWrites() {
        double[] edges = {0.0, -0.0, 1.0, -1.0, 0.5, 0.125, 0.0125, 0.995, 0.005, 0.015, 0.9999995, 0.9999994999999999,
            5e-7, -1e-9, 1e-300, Double.MIN_VALUE, 123456.7890125, 0.1 + 0.2, 1e300, Double.NaN,
            Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        SplittableRandom random = new SplittableRandom(42);
        for (int decimals : new int[] {0, 1, 2, 3, 6}) {
            for (double v : edges) {
                sameAsFormat(v, decimals);
            }
            double tie = Math.pow(10, decimals + 1);
            for (int i = 0; i < 20_000; i++) {
                sameAsFormat(random.nextDouble(-1, 1), decimals);
                // Halfway cases, where rounding the shortest decimal and rounding the binary value differ.
                sameAsFormat(Math.round(random.nextDouble(-1, 1) * tie) / tie, decimals);
                sameAsFormat(1 - Math.pow(10, -random.nextInt(1, 12)) * random.nextDouble(), decimals);
                sameAsFormat(random.nextDouble(0, 1e7), decimals);
            }
        }
    }

    @Test
    void unitsReadAsBefore() {
        assertEquals("114 ms", NumberText.millis(114.4));
        assertEquals("2.3 s", NumberText.millis(2260));
        assertEquals("85.8 MB", NumberText.bytes(85_800_000));
        assertEquals("2.7%", NumberText.percent(0.027));
        assertEquals("0.0 dB", NumberText.decibels(-0.04));
        assertEquals("0.999999", NumberText.cosine(0.9999994999999999));
    }
}
