package org.tensorparity.bind.npy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorparity.BadInputException;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

class NpzReaderTest {
    @TempDir
    Path dir;

    private static final byte[] ONE_TWO = NpyBytes.of("<f4", "(2,)").values(1, 2).build();

    /** A zip of the given entries (name, bytes), each stored or deflated. */
    private static byte[] zip(boolean deflate, Object... namesAndBytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (int i = 0; i < namesAndBytes.length; i += 2) {
                byte[] bytes = (byte[]) namesAndBytes[i + 1];
                ZipEntry entry = new ZipEntry((String) namesAndBytes[i]);
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(bytes.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(bytes);
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    private String failure(byte[] archive) throws IOException {
        Path file = Files.write(dir.resolve("in.npz"), archive);
        String message = assertThrows(BadInputException.class, () -> NpzReader.read(file)).getMessage();
        assertTrue(message.startsWith(file + ": ") || message.startsWith(file + " entry '"), message);
        assertFalse(message.contains("\n"), message);
        return message;
    }

    @Test
    void readsNumpySavezInArchiveOrder() throws Exception {
        Map<String, Tensor> arrays = NpzReader.read(Files.write(dir.resolve("a.npz"), NumpyFiles.bytes(NumpyFiles.SAVEZ)));
        assertEquals(List.of("x", "k"), List.copyOf(arrays.keySet()));
        assertEquals(Shape.of(2, 2), arrays.get("x").shape());
        assertArrayEquals(new float[] {0, 1, 2, 3}, arrays.get("x").data());
        assertEquals(DType.INT64, arrays.get("k").dtype());
        assertArrayEquals(new float[] {1, 2, 3}, arrays.get("k").data());
        assertThrows(UnsupportedOperationException.class, () -> arrays.put("y", arrays.get("x")));
    }

    @Test
    void readsNumpySavezCompressed() throws Exception {
        Map<String, Tensor> arrays = NpzReader.read(
                Files.write(dir.resolve("c.npz"), NumpyFiles.bytes(NumpyFiles.SAVEZ_COMPRESSED)));
        assertArrayEquals(new float[50], arrays.get("x").data());
        assertEquals(DType.BOOL, arrays.get("y").dtype());
        assertEquals(Shape.of(1, 1), arrays.get("y").shape());
        assertArrayEquals(new float[] {1}, arrays.get("y").data());
    }

    @Test
    void readsStoredAndDeflatedEntriesWithFortranData() throws Exception {
        byte[] fortran = NpyBytes.of("<f4", "(2, 2)").fortran().values(1, 3, 2, 4).build();
        for (boolean deflate : new boolean[] {false, true}) {
            Map<String, Tensor> arrays = NpzReader.read(Files.write(dir.resolve("f.npz"), zip(deflate, "m.npy", fortran)));
            assertArrayEquals(new float[] {1, 2, 3, 4}, arrays.get("m").data(), "deflated " + deflate);
        }
    }

    @Test
    void rejectsEntriesThatAreNotArrays() throws Exception {
        assertTrue(failure(zip(false, "x.npy", ONE_TWO, "notes.txt", "hi".getBytes(StandardCharsets.UTF_8)))
                .endsWith("entry 'notes.txt': not a .npy array (every entry of a .npz must be one)"));
        assertTrue(failure(zip(false, "sub/", new byte[0])).contains("entry 'sub/': not a .npy array"));
        String garbage = failure(zip(true, "x.npy", "garbage".getBytes(StandardCharsets.UTF_8)));
        assertTrue(garbage.endsWith("entry 'x.npy': not a .npy file: it does not start with \\x93NUMPY"), garbage);
        String truncated = failure(zip(false, "x.npy", java.util.Arrays.copyOf(ONE_TWO, ONE_TWO.length - 2)));
        assertTrue(truncated.contains("entry 'x.npy': truncated"), truncated);
    }

    @Test
    void rejectsFilesThatAreNotArchives() throws Exception {
        assertTrue(failure("just text".getBytes(StandardCharsets.UTF_8)).contains("not a valid .npz (zip) archive"));
        assertTrue(failure(ONE_TWO).contains("not a valid .npz (zip) archive"));
        assertTrue(failure(new byte[0]).endsWith(": the file is empty"));
        Path missing = dir.resolve("missing.npz");
        assertEquals(missing + ": no such file",
                assertThrows(BadInputException.class, () -> NpzReader.read(missing)).getMessage());
    }

    @Test
    void aCorruptStoredEntryFailsItsChecksum() throws Exception {
        byte[] archive = zip(false, "x.npy", ONE_TWO);
        int data = indexOf(archive, ONE_TWO);
        archive[data + ONE_TWO.length - 1] ^= 0x01; // the last byte of 2.0f
        assertTrue(failure(archive).endsWith("entry 'x.npy': corrupt (its CRC-32 does not match the archive's)"));
    }

    @Test
    void aRepeatedEntryNameIsAnError() throws Exception {
        byte[] archive = zip(false, "x.npy", ONE_TWO, "y.npy", ONE_TWO);
        // Rename y.npy to x.npy in the local header and the central directory alike.
        String text = new String(archive, StandardCharsets.ISO_8859_1).replace("y.npy", "x.npy");
        assertTrue(failure(text.getBytes(StandardCharsets.ISO_8859_1)).endsWith("the archive holds this entry twice"));
    }

    @Test
    void anEntryLyingAboutItsSizeIsNotBelieved() throws Exception {
        byte[] archive = zip(true, "x.npy", ONE_TWO);
        // Central directory header: signature PK\1\2, uncompressed size at offset 24.
        int central = indexOf(archive, new byte[] {'P', 'K', 1, 2});
        ByteBuffer.wrap(archive).order(ByteOrder.LITTLE_ENDIAN).putInt(central + 24, 0x7FFF_FFFF);
        String message = failure(archive);
        assertTrue(message.contains("entry 'x.npy': declares 2147483647 bytes, more than its"), message);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
