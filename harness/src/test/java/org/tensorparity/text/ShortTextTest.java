package org.tensorparity.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class ShortTextTest {
    @Test
    void numbersHaveOneStyle() {
        assertEquals("0", ShortNumber.format(0));
        assertEquals("1e-4", ShortNumber.format(1e-4));
        assertEquals("0.031", ShortNumber.format(0.031));
        assertEquals("0.0393", ShortNumber.format(0.039341));
        assertEquals("12.5", ShortNumber.format(12.5));
        assertEquals("6.18", ShortNumber.format(6.1834));
        assertEquals("10", ShortNumber.format(9.9996));
        assertEquals("0.001", ShortNumber.format(0.0009999));
        assertEquals("3.12e-6", ShortNumber.format(3.1234e-6));
        assertEquals("-1.5e6", ShortNumber.format(-1.5e6));
        assertEquals("1.24e5", ShortNumber.format(123_999));
        assertEquals("99900", ShortNumber.format(99_900));
        assertEquals("1e5", ShortNumber.format(99_990));
        assertEquals("NaN", ShortNumber.format(Double.NaN));
        assertEquals("Inf", ShortNumber.format(Double.POSITIVE_INFINITY));
        assertEquals("-Inf", ShortNumber.format(Double.NEGATIVE_INFINITY));
        // Before: "x9.60e+03" from %.3g, "x6.80e4" from the table style, "9.4678064E-5" from Float.toString.
        assertEquals("x9600", ShortNumber.factor(9600));
        assertEquals("x68000", ShortNumber.factor(68_004));
        assertEquals("x1.1e6", ShortNumber.factor(1.1e6));
        assertEquals("x9.53e-7", ShortNumber.factor(9.53e-7));
        assertEquals("9.4678064e-5", ShortNumber.value(9.4678064e-5f));
        assertEquals("4.0290313", ShortNumber.value(4.0290313f));
    }

    @Test
    void everyNumberReadsBackWithinItsRounding() {
        Random random = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            double v = Math.pow(10, random.nextDouble() * 40 - 20) * (random.nextBoolean() ? 1 : -1);
            String s = ShortNumber.format(v);
            assertTrue(!s.contains("E") && !s.contains("+"), s);
            double back = Double.parseDouble(s);
            assertTrue(Math.abs(back - v) <= 0.0051 * Math.abs(v), v + " printed as " + s);
        }
    }

    @Test
    void namesKeepTheirDistinguishingEnd() {
        String a = "model/batch_normalization_6/FusedBatchNormV3;model/conv2d_6/Conv2D1";
        String b = "model/batch_normalization_6/FusedBatchNormV3;model/conv2d_6/Conv2D";
        String shortA = ShortName.of(a, 32, "~");
        String shortB = ShortName.of(b, 32, "~");
        assertEquals(32, shortA.length());
        assertTrue(shortA.endsWith("conv2d_6/Conv2D1"), shortA);
        assertTrue(shortA.startsWith("model/"), shortA);
        assertNotEquals(shortA, shortB, "a cut at the end showed these two as the same text");
        assertEquals("short", ShortName.of("short", 32, "~"));
        assertEquals("StatefulPartitionedCall:0", ShortName.of("StatefulPartitionedCall:0", 25, "…"));
        String cut = ShortName.of("StatefulPartitionedCall/model/conv2d_12/BiasAdd", 24, "…");
        assertEquals(24, cut.length());
        assertTrue(cut.endsWith("/BiasAdd") || cut.endsWith("conv2d_12/BiasAdd"), cut);
    }
}
