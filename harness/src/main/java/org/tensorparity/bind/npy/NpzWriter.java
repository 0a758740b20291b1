package org.tensorparity.bind.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Writes tensors as a {@code .npz} archive that {@code numpy.load} and {@link NpzReader} read back to the
 * same names, shapes, element types and values: entry {@code <name>.npy} per tensor, stored uncompressed
 * (as {@code numpy.savez} does), each a version 1.0 (2.0 for enormous headers) little-endian C-order array
 * in the tensor's own element type, byte for byte what {@code numpy.save} writes for that array.
 *
 * <p>Writes to a stream so that callers choose how the file is made (e.g. atomically).
 */
public final class NpzWriter {
    private static final LocalDateTime ZIP_EPOCH = LocalDateTime.of(1980, 1, 1, 0, 0);

    private static final int ALIGNMENT = 64;
    /** numpy pads headers so that the first axis can grow to this many digits in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final int CHUNK_BYTES = 1 << 16;

    private NpzWriter() {
    }

    /**
     * Writes {@code arrays}, in the map's iteration order, as a complete archive; {@code out} is finished
     * but not closed.
     *
     * @throws IllegalArgumentException if a name is empty
     */
    public static void write(OutputStream out, Map<String, Tensor> arrays) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, Tensor> e : arrays.entrySet()) {
            if (e.getKey().isEmpty()) {
                throw new IllegalArgumentException("an array needs a non-empty name");
            }
            Tensor tensor = e.getValue();
            NpyHeader header = new NpyHeader(NpyElementType.forDType(tensor.dtype()), ByteOrder.LITTLE_ENDIAN,
                    false, tensor.shape());
            byte[] preamble = preamble(header);
            // A stored entry needs its CRC and size before its data: encode once to measure, once to write.
            CRC32 crc = new CRC32();
            long size = writeNpy(new CheckedOutputStream(OutputStream.nullOutputStream(), crc), preamble, header, tensor);
            ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(size);
            entry.setCompressedSize(size);
            entry.setCrc(crc.getValue());
            // A fixed time (the zip format's epoch) rather than now: the same inputs give a byte-identical file.
            entry.setTimeLocal(ZIP_EPOCH);
            zip.putNextEntry(entry);
            writeNpy(zip, preamble, header, tensor);
            zip.closeEntry();
        }
        zip.finish();
    }

    /** Writes the whole {@code .npy} file; returns its length. */
    private static long writeNpy(OutputStream out, byte[] preamble, NpyHeader header, Tensor tensor) throws IOException {
        out.write(preamble);
        NpyElementType type = header.type();
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = tensor.data();
        for (float v : values) {
            if (chunk.remaining() < type.size()) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
            type.write(chunk, v);
        }
        out.write(chunk.array(), 0, chunk.position());
        return preamble.length + (long) values.length * type.size();
    }

    /** Magic, version, header length and the padded header, exactly as {@code numpy.lib.format} writes them. */
    private static byte[] preamble(NpyHeader header) {
        String dict = header.toPython();
        Shape shape = header.shape();
        if (shape.rank() > 0) {
            dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - Integer.toString(shape.dim(0)).length());
        }
        byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
        // Version 1.0 stores the header length in 16 bits; 2.0 in 32.
        int lengthBytes = 2;
        int padding = padding(text.length, lengthBytes);
        if (text.length + 1 + padding > 0xFFFF) {
            lengthBytes = 4;
            padding = padding(text.length, lengthBytes);
        }
        int headerLength = text.length + padding + 1;
        ByteBuffer out = ByteBuffer.allocate(NpyReader.MAGIC.length + 2 + lengthBytes + headerLength)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(NpyReader.MAGIC).put((byte) (lengthBytes == 2 ? 1 : 2)).put((byte) 0);
        if (lengthBytes == 2) {
            out.putShort((short) headerLength);
        } else {
            out.putInt(headerLength);
        }
        out.put(text).put(" ".repeat(padding).getBytes(StandardCharsets.ISO_8859_1)).put((byte) '\n');
        return out.array();
    }

    /** numpy's padding: 1 to 64 spaces so that magic, version, length and header end on a 64-byte boundary. */
    private static int padding(int textLength, int lengthBytes) {
        int unpadded = NpyReader.MAGIC.length + 2 + lengthBytes + textLength + 1;
        return ALIGNMENT - unpadded % ALIGNMENT;
    }
}
