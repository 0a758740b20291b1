package org.tensorparity.bind.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

class NpzWriterTest {
    @TempDir
    Path dir;

    private static Tensor tensor(DType dtype, Shape shape, float... values) {
        return Tensor.wrap(dtype, shape, values);
    }

    private Map<String, Tensor> roundTrip(Map<String, Tensor> arrays) throws Exception {
        Path file = dir.resolve("inputs.npz");
        try (OutputStream out = Files.newOutputStream(file)) {
            NpzWriter.write(out, arrays);
        }
        return NpzReader.read(file);
    }

    @Test
    void everyElementTypeRoundTripsWithNameShapeTypeAndValues() throws Exception {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("serving_default_x:0", tensor(DType.FLOAT32, Shape.of(2, 3), 0.1f, -2, 3e-9f, 4e20f, Float.NaN, -0f));
        arrays.put("half", tensor(DType.FLOAT16, Shape.of(4), 1, -2.5f, 65504, 0x1p-24f));
        arrays.put("double", tensor(DType.FLOAT64, Shape.of(1), 1.0000001f));
        arrays.put("i8", tensor(DType.INT8, Shape.of(3), -128, 0, 127));
        arrays.put("u8", tensor(DType.UINT8, Shape.of(2), 0, 255));
        arrays.put("i16", tensor(DType.INT16, Shape.of(2), -32768, 32767));
        arrays.put("i32", tensor(DType.INT32, Shape.of(2), -16_777_216, 16_777_216));
        arrays.put("i64", tensor(DType.INT64, Shape.of(2, 1), -1, 1L << 40));
        arrays.put("mask", tensor(DType.BOOL, Shape.of(3), 1, 0, 1));
        arrays.put("scalar", tensor(DType.FLOAT32, Shape.of(), 42));
        arrays.put("nothing", tensor(DType.FLOAT32, Shape.of(0, 5)));

        Map<String, Tensor> back = roundTrip(arrays);
        assertEquals(List.copyOf(arrays.keySet()), List.copyOf(back.keySet()));
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
            Tensor read = back.get(e.getKey());
            assertEquals(e.getValue().dtype(), read.dtype(), e.getKey());
            assertEquals(e.getValue().shape(), read.shape(), e.getKey());
            assertArrayEquals(e.getValue().data(), read.data(), e.getKey());
        }
    }

    @Test
    void entriesAreByteForByteWhatNumpySaves() throws Exception {
        Map<String, Tensor> arrays = new LinkedHashMap<>();
        arrays.put("c", tensor(DType.FLOAT32, Shape.of(2, 3), 0, 0.25f, 0.5f, 0.75f, 1, 1.25f));
        arrays.put("h", tensor(DType.FLOAT16, Shape.of(5), 1, -2.5f, 65504, 0x1p-24f, Float.POSITIVE_INFINITY));
        arrays.put("l", tensor(DType.INT64, Shape.of(2, 1), -3, 7));
        arrays.put("b", tensor(DType.BOOL, Shape.of(3), 1, 0, 1));
        arrays.put("s", tensor(DType.UINT8, Shape.of(), 200));
        Map<String, String> numpy = Map.of("c", NumpyFiles.C_F4_2X3, "h", NumpyFiles.F2_VECTOR, "l", NumpyFiles.I8_2X1,
                "b", NumpyFiles.B1_VECTOR, "s", NumpyFiles.U1_SCALAR);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpzWriter.write(out, arrays);
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                String name = entry.getName().replace(".npy", "");
                assertEquals(ZipEntry.STORED, entry.getMethod(), name);
                assertArrayEquals(NumpyFiles.bytes(numpy.get(name)), zip.readAllBytes(), name);
                entries++;
            }
        }
        assertEquals(5, entries);
    }

    @Test
    void headersBeyond64KiBUseFormatVersion2() throws Exception {
        int[] dims = new int[22_000];
        java.util.Arrays.fill(dims, 1);
        Tensor deep = tensor(DType.FLOAT32, Shape.of(dims), 5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpzWriter.write(out, Map.of("deep", deep));
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            zip.getNextEntry();
            byte[] npy = zip.readAllBytes();
            assertEquals(2, npy[6], "major version");
            assertEquals(0, (npy.length - 4) % 64, "data starts on a 64-byte boundary");
        }
        Tensor back = roundTrip(Map.of("deep", deep)).get("deep");
        assertEquals(deep.shape(), back.shape());
        assertArrayEquals(new float[] {5}, back.data());
    }

    @Test
    void largeArraysSpanManyChunks() throws Exception {
        float[] values = new float[100_003];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f;
        }
        Tensor big = tensor(DType.FLOAT64, Shape.of(values.length), values);
        assertArrayEquals(values, roundTrip(Map.of("big", big)).get("big").data());
    }

    @Test
    void anEmptyNameIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class,
                () -> NpzWriter.write(OutputStream.nullOutputStream(), Map.of("", tensor(DType.FLOAT32, Shape.of(1), 1))));
    }

    @Test
    void theStreamIsFinishedButLeftOpen() throws IOException {
        boolean[] closed = {false};
        OutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        NpzWriter.write(out, Map.of("x", tensor(DType.FLOAT32, Shape.of(1), 1)));
        assertEquals(false, closed[0]);
    }
}
