package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tensorparity.tensor.Float16;

/** The float16 conversions used to feed and read FLOAT16 tensors. */
class TensorCopierTest {

    @Test
    void everyHalfValueSurvivesARoundTripThroughFloat() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            short half = (short) bits;
            float value = Float16.toFloat(half);
            if (Float.isNaN(value)) {
                assertTrue(Float.isNaN(Float16.toFloat(Float16.fromFloat(value))), "NaN " + bits);
            } else {
                assertEquals(half, Float16.fromFloat(value), "half bits 0x" + Integer.toHexString(bits));
            }
        }
    }

    @Test
    void decodesKnownValues() {
        assertEquals(1.0f, Float16.toFloat((short) 0x3C00));
        assertEquals(-2.0f, Float16.toFloat((short) 0xC000));
        assertEquals(65504f, Float16.toFloat((short) 0x7BFF));
        assertEquals(0x1p-24f, Float16.toFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, Float16.toFloat((short) 0x7C00));
    }

    @Test
    void roundsToNearestEven() {
        // 1 + 2^-11 lies exactly between 1 and the next half (1 + 2^-10): ties go to the even mantissa, 1.
        assertEquals((short) 0x3C00, Float16.fromFloat(1f + 0x1p-11f));
        // 1 + 3 * 2^-11 lies between 1 + 2^-10 (odd) and 1 + 2^-9 (even): it goes up.
        assertEquals((short) 0x3C02, Float16.fromFloat(1f + 3 * 0x1p-11f));
        assertEquals((short) 0x7C00, Float16.fromFloat(65520f), "rounds past the largest half to infinity");
        assertEquals((short) 0x7BFF, Float16.fromFloat(65519f));
        assertEquals((short) 0x0000, Float16.fromFloat(0x1p-26f), "below half the smallest subnormal");
        assertEquals((short) 0x0001, Float16.fromFloat(0x1.8p-25f), "above half the smallest subnormal");
        assertEquals((short) 0x8000, Float16.fromFloat(-0f));
    }
}
