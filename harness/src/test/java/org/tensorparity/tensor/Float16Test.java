package org.tensorparity.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Float16Test {

    @Test
    void everyHalfSurvivesTheRoundTrip() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float f = Float16.toFloat((short) bits);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(f))));
            } else {
                assertEquals(bits, Float16.fromFloat(f) & 0xFFFF, "half 0x" + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void knownBitPatterns() {
        assertEquals(1f, Float16.toFloat((short) 0x3C00));
        assertEquals(-2f, Float16.toFloat((short) 0xC000));
        assertEquals(65504f, Float16.toFloat((short) 0x7BFF));
        assertEquals(0x1p-14f, Float16.toFloat((short) 0x0400));
        assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Float16.toFloat((short) 0x8000)));
    }

    @Test
    void floatsRoundToNearestHalfTiesToEven() {
        assertEquals(0x3C00, Float16.fromFloat(1 + 0x1p-11f) & 0xFFFF, "halfway between 1 and the next half: even is 1");
        assertEquals(0x3C02, Float16.fromFloat(1 + 3 * 0x1p-11f) & 0xFFFF, "halfway between odd and even: up");
        assertEquals(0x3C01, Float16.fromFloat(1 + 0x1p-11f + 0x1p-20f) & 0xFFFF, "just above halfway: up");
        assertEquals(0x3BFF, Float16.fromFloat(1 - 0x1p-12f - 0x1p-20f) & 0xFFFF, "just nearer the half below 1");
        assertEquals(0x7BFF, Float16.fromFloat(65519f) & 0xFFFF, "below the overflow threshold: the largest half");
        assertEquals(0x7C00, Float16.fromFloat(65520f) & 0xFFFF, "the overflow threshold: infinity");
        assertEquals(0xFC00, Float16.fromFloat(-1e10f) & 0xFFFF);
        assertEquals(0x0000, Float16.fromFloat(0x1p-25f) & 0xFFFF, "half the smallest subnormal ties to zero");
        assertEquals(0x0002, Float16.fromFloat(3 * 0x1p-25f) & 0xFFFF, "1.5 units ties to 2");
        assertEquals(0x0400, Float16.fromFloat(0x1p-14f - 0x1p-26f) & 0xFFFF, "rounds up into the smallest normal");
        assertEquals(0x8000, Float16.fromFloat(-1e-10f) & 0xFFFF, "underflow keeps the sign");
        assertEquals(0x3E00, Float16.fromFloat(1.5f) & 0xFFFF);
    }
}
