package org.tensorparity.bind.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorparity.BadInputException;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

class NpyReaderTest {
    @TempDir
    Path dir;

    private Tensor read(String name, byte[] bytes) throws Exception {
        return NpyReader.read(Files.write(dir.resolve(name), bytes));
    }

    private String failure(String name, byte[] bytes) throws IOException {
        Path file = Files.write(dir.resolve(name), bytes);
        String message = assertThrows(BadInputException.class, () -> NpyReader.read(file)).getMessage();
        assertTrue(message.startsWith(file + ": "), message);
        assertFalse(message.contains("\n"), message);
        return message;
    }

    @Test
    void readsWhatNumpyWrites() throws Exception {
        Tensor c = read("c.npy", NumpyFiles.bytes(NumpyFiles.C_F4_2X3));
        assertEquals(DType.FLOAT32, c.dtype());
        assertEquals(Shape.of(2, 3), c.shape());
        assertArrayEquals(new float[] {0, 0.25f, 0.5f, 0.75f, 1, 1.25f}, c.data());

        Tensor half = read("h.npy", NumpyFiles.bytes(NumpyFiles.F2_VECTOR));
        assertEquals(DType.FLOAT16, half.dtype());
        assertArrayEquals(new float[] {1, -2.5f, 65504, 0x1p-24f, Float.POSITIVE_INFINITY}, half.data());

        Tensor longs = read("l.npy", NumpyFiles.bytes(NumpyFiles.I8_2X1));
        assertEquals(DType.INT64, longs.dtype());
        assertEquals(Shape.of(2, 1), longs.shape());
        assertArrayEquals(new float[] {-3, 7}, longs.data());

        Tensor bools = read("b.npy", NumpyFiles.bytes(NumpyFiles.B1_VECTOR));
        assertEquals(DType.BOOL, bools.dtype());
        assertArrayEquals(new float[] {1, 0, 1}, bools.data());

        Tensor scalar = read("s.npy", NumpyFiles.bytes(NumpyFiles.U1_SCALAR));
        assertEquals(DType.UINT8, scalar.dtype());
        assertEquals(Shape.of(), scalar.shape());
        assertArrayEquals(new float[] {200}, scalar.data());
    }

    @Test
    void readsFormatVersionsTwoAndThreeAndWideUnsignedTypes() throws Exception {
        Tensor v2 = read("v2.npy", NumpyFiles.bytes(NumpyFiles.V2_BIG_U2));
        assertEquals(DType.INT32, v2.dtype());
        assertArrayEquals(new float[] {0, 1, 2}, v2.data());
        Tensor v3 = read("v3.npy", NumpyFiles.bytes(NumpyFiles.V3_U4));
        assertEquals(DType.INT64, v3.dtype());
        assertArrayEquals(new float[] {0, 1, 2}, v3.data());
        Tensor big = read("u4.npy", NpyBytes.of("<u4", "(2,)").values(4_000_000_000L, 65_535).build());
        assertArrayEquals(new float[] {4e9f, 65_535}, big.data());
    }

    @Test
    void fortranOrderFromNumpyIsTransposedToRowMajor() throws Exception {
        // Memory holds column 0 (0, 3), then column 1 (1, 4), then column 2 (2, 5).
        byte[] bytes = NumpyFiles.bytes(NumpyFiles.FORTRAN_BIG_I2_2X3);
        assertArrayEquals(new byte[] {0, 0, 0, 3, 0, 1, 0, 4, 0, 2, 0, 5}, Arrays.copyOfRange(bytes, 128, 140));
        Tensor t = read("f.npy", bytes);
        assertEquals(DType.INT16, t.dtype());
        assertEquals(Shape.of(2, 3), t.shape());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5}, t.data());

        Tensor cube = read("f3.npy", NumpyFiles.bytes(NumpyFiles.FORTRAN_F8_2X3X4));
        assertEquals(Shape.of(2, 3, 4), cube.shape());
        assertArrayEquals(arange(24), cube.data());
    }

    @Test
    void fortranOrderHandChecked() throws Exception {
        // A 3x2 matrix [[1,4],[2,5],[3,6]] stored column-major is 1 2 3 4 5 6.
        Tensor matrix = read("m.npy", NpyBytes.of("<f4", "(3, 2)").fortran().values(1, 2, 3, 4, 5, 6).build());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, matrix.data());
        // In a 2x2x2 Fortran array element (i,j,k) sits at memory offset i + 2j + 4k; memory holds 0..7.
        Tensor cube = read("c.npy", NpyBytes.of(">i4", "(2, 2, 2)").fortran().values(0, 1, 2, 3, 4, 5, 6, 7).build());
        assertArrayEquals(new float[] {0, 4, 2, 6, 1, 5, 3, 7}, cube.data());
        // Rank 1 is the same in both orders.
        Tensor vector = read("v.npy", NpyBytes.of("<f4", "(3,)").fortran().values(7, 8, 9).build());
        assertArrayEquals(new float[] {7, 8, 9}, vector.data());
    }

    @Test
    void fortranOrderOfRank4MatchesTheColumnMajorFormula() throws Exception {
        int[] dims = {2, 3, 4, 5};
        int n = 120;
        double[] memory = new double[n];
        // Store the row-major index of each element at its column-major offset.
        for (int i0 = 0; i0 < 2; i0++) {
            for (int i1 = 0; i1 < 3; i1++) {
                for (int i2 = 0; i2 < 4; i2++) {
                    for (int i3 = 0; i3 < 5; i3++) {
                        int fortranOffset = i0 + dims[0] * (i1 + dims[1] * (i2 + dims[2] * i3));
                        memory[fortranOffset] = ((i0 * 3 + i1) * 4 + i2) * 5 + i3;
                    }
                }
            }
        }
        Tensor t = read("r4.npy", NpyBytes.of(">f8", "(2, 3, 4, 5)").fortran().values(memory).build());
        assertArrayEquals(arange(n), t.data());
    }

    private static float[] arange(int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i;
        }
        return values;
    }

    @ParameterizedTest
    @CsvSource({
        "<f4, FLOAT32", ">f4, FLOAT32", "<f8, FLOAT64", ">f8, FLOAT64",
        "<i2, INT16", ">i2, INT16", "<i4, INT32", ">i4, INT32", "<i8, INT64", ">i8, INT64",
        "|i1, INT8", "|u1, UINT8", "<u2, INT32", ">u2, INT32", "<u4, INT64", ">u4, INT64",
    })
    void everyTypeInEitherByteOrder(String descr, DType dtype) throws Exception {
        boolean signed = descr.charAt(1) != 'u';
        double[] values = signed ? new double[] {-7, 0, 3, 100} : new double[] {0, 3, 100, 255};
        Tensor t = read("t.npy", NpyBytes.of(descr, "(2, 2)").values(values).build());
        assertEquals(dtype, t.dtype());
        assertArrayEquals(new float[] {(float) values[0], (float) values[1], (float) values[2], (float) values[3]}, t.data());
    }

    @Test
    void bigEndianFloatsAreReallyReadBigEndian() throws Exception {
        // 1.0f is 3F 80 00 00 big-endian; read little-endian those bytes would be a tiny denormal.
        Tensor t = read("be.npy", NpyBytes.of(">f4", "(1,)").data(new byte[] {0x3F, (byte) 0x80, 0, 0}).build());
        assertArrayEquals(new float[] {1}, t.data());
    }

    @Test
    void nativeOrderMarksMeanThisMachinesOrder() throws Exception {
        String nativeChar = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? "<" : ">";
        byte[] data = NpyBytes.of(nativeChar + "f4", "(2,)").values(1.5, -2).build();
        byte[] payload = Arrays.copyOfRange(data, data.length - 8, data.length);
        for (String mark : new String[] {"=", "|", ""}) {
            Tensor t = read("n.npy", NpyBytes.of("|u1", "(2,)")
                    .header("{'descr': '" + mark + "f4', 'fortran_order': False, 'shape': (2,), }").data(payload).build());
            assertArrayEquals(new float[] {1.5f, -2}, t.data(), "descr " + mark + "f4");
        }
    }

    @Test
    void halfFloatsDecodeSubnormalsInfinitiesAndNan() throws Exception {
        // Little-endian halves: 0x0001 (2^-24), 0x8400 (-2^-14), 0xFC00 (-inf), 0x7E00 (NaN), 0x3555 (~1/3).
        Tensor t = read("h.npy", NpyBytes.of("<f2", "(5,)")
                .data(new byte[] {1, 0, 0, (byte) 0x84, 0, (byte) 0xFC, 0, 0x7E, 0x55, 0x35}).build());
        assertEquals(0x1p-24f, t.get(0));
        assertEquals(-0x1p-14f, t.get(1));
        assertEquals(Float.NEGATIVE_INFINITY, t.get(2));
        assertTrue(Float.isNaN(t.get(3)));
        assertEquals(0.333251953125f, t.get(4));
    }

    @Test
    void booleansAreAnyNonZeroByte() throws Exception {
        Tensor t = read("b.npy", NpyBytes.of("|b1", "(3,)").data(new byte[] {0, 1, 7}).build());
        assertArrayEquals(new float[] {0, 1, 1}, t.data());
    }

    @Test
    void emptyArraysAndOldStyleHeadersAreFine() throws Exception {
        Tensor empty = read("e.npy", NpyBytes.of("<f4", "(0, 3)").build());
        assertEquals(Shape.of(0, 3), empty.shape());
        assertEquals(0, empty.size());
        // numpy on Python 2 wrote long dimensions with an L suffix and no trailing comma in the dict.
        Tensor py2 = read("p.npy", NpyBytes.of("<f4", "").header("{'descr': '<f4', 'fortran_order': False, 'shape': (2L,)}")
                .values(1, 2).build());
        assertEquals(Shape.of(2), py2.shape());
    }

    @Test
    void rejectsWhatIsNotAnNpyFile() throws Exception {
        assertTrue(failure("empty.npy", new byte[0]).endsWith("the file is empty"));
        assertTrue(failure("text.npy", "hello world, not numpy".getBytes()).contains("not a .npy file"));
        assertTrue(failure("short.npy", new byte[] {(byte) 0x93, 'N', 'U'}).contains("truncated"));
        assertTrue(failure("v9.npy", NpyBytes.of("<f4", "(1,)").version(9).values(1).build())
                .contains("format version 9.0 is not supported"));
        String missing = dir.resolve("absent.npy").toString();
        assertEquals(missing + ": no such file",
                assertThrows(BadInputException.class, () -> NpyReader.read(Path.of(missing))).getMessage());
        assertTrue(assertThrows(BadInputException.class, () -> NpyReader.read(dir)).getMessage().contains("is a directory"));
    }

    @Test
    void rejectsTruncatedHeadersAndData() throws Exception {
        byte[] whole = NpyBytes.of("<f4", "(2, 3)").values(1, 2, 3, 4, 5, 6).build();
        int headerEnd = whole.length - 24;
        assertTrue(failure("h.npy", Arrays.copyOf(whole, 30)).contains("truncated: the header is"));
        assertTrue(failure("d.npy", Arrays.copyOf(whole, whole.length - 1))
                .endsWith("truncated: shape [2,3] of <f4 needs 24 data bytes, the file has 23"));
        assertTrue(failure("z.npy", Arrays.copyOf(whole, headerEnd)).contains("the file has 0"));
        byte[] longer = Arrays.copyOf(whole, whole.length + 4);
        assertTrue(failure("x.npy", longer).endsWith("needs 24 data bytes, the file has 28: the shape and the data do not match"));
    }

    @Test
    void rejectsMalformedHeaderDicts() throws Exception {
        String noShape = failure("a.npy", NpyBytes.of("<f4", "").header("{'descr': '<f4', 'fortran_order': False}").build());
        assertTrue(noShape.endsWith("the header has no 'shape' key"), noShape);
        assertTrue(failure("b.npy", NpyBytes.of("<f4", "").header("{'fortran_order': False, 'shape': ()}").build())
                .endsWith("the header has no 'descr' key"));
        assertTrue(failure("c.npy", NpyBytes.of("<f4", "").header("{'descr': '<f4', 'shape': ()}").build())
                .endsWith("the header has no 'fortran_order' key"));
        assertTrue(failure("d.npy", NpyBytes.of("<f4", "")
                .header("{'descr': '<f4', 'fortran_order': False, 'shape': (), 'extra': 1}").build())
                .contains("unexpected key 'extra'"));
        assertTrue(failure("e.npy", NpyBytes.of("<f4", "").header("['descr', '<f4']").build()).contains("not a dict"));
        assertTrue(failure("f.npy", NpyBytes.of("<f4", "").header("{'descr': '<f4', 'fortran_order': 0, 'shape': ()}").build())
                .contains("'fortran_order' is not True or False"));
        assertTrue(failure("g.npy", NpyBytes.of("<f4", "(-1,)").build()).contains("not a whole number >= 0"));
        assertTrue(failure("h.npy", NpyBytes.of("<f4", "(2.5,)").build()).contains("only whole numbers"));
        assertTrue(failure("i.npy", NpyBytes.of("<f4", "'2'").build()).contains("'shape' is not a tuple"));
        assertTrue(failure("j.npy", NpyBytes.of("<f4", "").header("{'descr': '<f4', 'fortran_order': False, 'shape': (1,)")
                .build()).contains("not a Python dict literal"));
        assertTrue(failure("k.npy", NpyBytes.of("<f4", "").header("{'descr': __import__('os'), }").build())
                .contains("not a Python dict literal"));
        assertTrue(failure("l.npy", NpyBytes.of("<f4", "").header("{'descr': '<f4', 'descr': '<f8'}").build())
                .contains("appears twice"));
    }

    @Test
    void rejectsUnsupportedElementTypesSayingWhatTheyAre() throws Exception {
        assertTrue(failure("c.npy", NpyBytes.of("<c8", "(1,)").data(new byte[8]).build())
                .contains("dtype '<c8' (complex) is not supported; supported are f2, f4, f8, i1, i2, i4, i8, u1, u2, u4, b1"));
        assertTrue(failure("o.npy", NpyBytes.of("|O", "(1,)").data(new byte[8]).build()).contains("'|O' (Python objects)"));
        assertTrue(failure("u.npy", NpyBytes.of("<U3", "(1,)").data(new byte[12]).build()).contains("(strings)"));
        assertTrue(failure("q.npy", NpyBytes.of("<u8", "(1,)").data(new byte[8]).build()).contains("(unsigned 64-bit)"));
        assertTrue(failure("s.npy", NpyBytes.of("<f4", "").header(
                "{'descr': [('a', '<f4'), ('b', '<i4')], 'fortran_order': False, 'shape': (1,), }").data(new byte[8]).build())
                .contains("structured arrays"));
    }

    @Test
    void hostileHeadersFailBeforeAnyAllocation() throws Exception {
        // 10^18 float32 elements claimed by a 100-byte file: rejected on sizes, never allocated.
        assertTrue(failure("huge.npy", NpyBytes.of("<f4", "(1000000000, 1000000000)").build())
                .contains("truncated: shape [1000000000,1000000000] of <f4 needs 4000000000000000000 data bytes, the file has 0"));
        assertTrue(failure("overflow.npy", NpyBytes.of("<f8", "(2147483647, 2147483647, 2147483647)").build())
                .contains("has too many elements"));
        assertTrue(failure("dim.npy", NpyBytes.of("<f4", "(4294967296,)").build()).contains("too large"));
        assertTrue(failure("bignum.npy", NpyBytes.of("<f4", "(99999999999999999999999,)").build()).contains("too large"));
        // A version 2 header length of 4 GiB in a tiny file.
        byte[] v2 = NpyBytes.of("<f4", "(1,)").version(2).values(1).build();
        v2[8] = v2[9] = v2[10] = v2[11] = (byte) 0xFF;
        assertTrue(failure("hdr.npy", v2).contains("truncated: the header is 4294967295 bytes"));
        // Control characters from the file never reach the message unescaped.
        String message = failure("ctl.npy", NpyBytes.of("\n\u001b[31m", "(1,)").build());
        assertTrue(message.contains("'\\x0a\\x1b[31m'"), message);
    }
}
