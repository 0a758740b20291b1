package org.tensorparity.backend.tflite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The formatter against hand-built x86-64 {@code va_list} structures: integer and pointer arguments in
 * the general-purpose register save area, doubles in the SSE area, both spilling to the overflow area.
 */
class VaListFormatterTest {
    private final List<BytePointer> allocations = new ArrayList<>();

    @AfterEach
    void free() {
        allocations.forEach(BytePointer::close);
    }

    @Test
    void formatsTfLiteKernelMessage() {
        String text = format("%s:%d %s != %s (%d != %d)",
                str("tensorflow/lite/kernels/conv.cc"), 345L, str("input->dims->size"), str("4"), 3L, 4L);
        assertEquals("tensorflow/lite/kernels/conv.cc:345 input->dims->size != 4 (3 != 4)", text);
    }

    @Test
    void readsIntegersBeyondTheRegistersFromTheOverflowArea() {
        // The format itself took one register slot (gp_offset starts at 8): five more fit, the rest overflow.
        String text = format("%d %d %d %d %d %d %d %d", 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        assertEquals("1 2 3 4 5 6 7 8", text);
    }

    @Test
    void readsDoublesFromSseSlotsAndOverflow() {
        List<Object> args = new ArrayList<>();
        StringBuilder format = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            format.append(i == 0 ? "" : " ").append("%.2f");
            expected.append(i == 0 ? "" : " ").append(String.format("%.2f", i + 0.25));
            args.add(i + 0.25);
        }
        assertEquals(expected.toString(), format(format.toString(), args.toArray()));
    }

    @Test
    void honoursLengthModifiersAndSignedness() {
        assertEquals("-1 4294967295 18446744073709551615 -5", format("%d %u %llu %lld", -1L, -1L, -1L, -5L));
        assertEquals("-1 255 ff FF", format("%hhd %hhu %x %X", 0xFFL, 0xFFL, 255L, 255L));
        assertEquals("12345678901 12345678901", format("%zu %ld", 12345678901L, 12345678901L));
    }

    @Test
    void padsAndTruncates() {
        assertEquals("[   42][42   ][00042][ab]", format("[%5d][%-5d][%05d][%.2s]", 42L, 42L, 42L, str("abcdef")));
        assertEquals("[  x]", format("[%*s]", 3L, str("x")));
    }

    @Test
    void rendersSpecialValues() {
        assertEquals("(null) 100% c 0x1f", format("%s 100%% %c %p", 0L, (long) 'c', 0x1FL));
        assertEquals("1e+10 0.5 1.5e-07", format("%g %g %g", 1e10, 0.5, 1.5e-7));
        assertEquals("nan -inf", format("%f %f", Double.NaN, Double.NEGATIVE_INFINITY));
    }

    @Test
    void stopsAtAnUnknownConversionInsteadOfMisreadingArguments() {
        assertEquals("a 1 %Q then %d", format("a %d %Q then %d", 1L, 2L));
    }

    /**
     * Lays out the arguments as a variadic call after one named pointer argument (the format) would:
     * longs and string addresses in general-purpose slots, doubles in SSE slots, each class spilling to
     * the overflow area in order.
     */
    private String format(String format, Object... args) {
        BytePointer saveArea = alloc(176);
        BytePointer overflow = alloc(8L * (args.length + 1));
        int gp = 8;
        int fp = 48;
        long overflowOffset = 0;
        for (Object arg : args) {
            if (arg instanceof Double d) {
                if (fp < 176) {
                    saveArea.putDouble(fp, d);
                    fp += 16;
                } else {
                    overflow.putDouble(overflowOffset, d);
                    overflowOffset += 8;
                }
            } else {
                long value = (Long) arg;
                if (gp < 48) {
                    saveArea.putLong(gp, value);
                    gp += 8;
                } else {
                    overflow.putLong(overflowOffset, value);
                    overflowOffset += 8;
                }
            }
        }
        BytePointer vaList = alloc(24);
        vaList.putInt(0, 8);
        vaList.putInt(4, 48);
        vaList.putLong(8, overflow.address());
        vaList.putLong(16, saveArea.address());
        return VaListFormatter.format(format, vaList.address());
    }

    private Long str(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        BytePointer p = alloc(bytes.length + 1);
        p.put(bytes).put(bytes.length, (byte) 0);
        return p.address();
    }

    private BytePointer alloc(long bytes) {
        BytePointer p = new BytePointer(bytes);
        p.fill(0);
        allocations.add(p);
        return p;
    }
}
