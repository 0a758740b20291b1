package org.tensorparity.bind.npy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds {@code .npy} bytes for tests, independently of the production writer: the header text is given
 * (or assembled from descr, order and a Python shape tuple) and values are encoded in memory order
 * exactly as given, so a test states the file's bytes rather than trusting the code under test.
 */
final class NpyBytes {
    private final String descr;
    private final String shape;
    private boolean fortran;
    private int major = 1;
    private String header;
    private byte[] data = new byte[0];

    private NpyBytes(String descr, String shape) {
        this.descr = descr;
        this.shape = shape;
    }

    /** An array of element type {@code descr} ({@code <f4}) and Python shape tuple {@code shape} ({@code (2, 3)}). */
    static NpyBytes of(String descr, String shape) {
        return new NpyBytes(descr, shape);
    }

    /** Marks the data column-major; the values given are then in Fortran memory order. */
    NpyBytes fortran() {
        this.fortran = true;
        return this;
    }

    /** Format version 1, 2 or 3 (header length in 2 or 4 bytes). */
    NpyBytes version(int major) {
        this.major = major;
        return this;
    }

    /** Replaces the header dict text entirely. */
    NpyBytes header(String text) {
        this.header = text;
        return this;
    }

    /** Raw data bytes. */
    NpyBytes data(byte[] bytes) {
        this.data = bytes.clone();
        return this;
    }

    /** Values in memory order, encoded as the descr says (kind f, i, u or b; size; byte order). */
    NpyBytes values(double... values) {
        char orderChar = descr.charAt(0);
        char kind = descr.charAt(1);
        int size = Integer.parseInt(descr.substring(2));
        ByteOrder order = orderChar == '>' ? ByteOrder.BIG_ENDIAN
                : orderChar == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.nativeOrder();
        ByteBuffer out = ByteBuffer.allocate(values.length * size).order(order);
        for (double v : values) {
            switch (kind) {
                case 'f' -> {
                    if (size == 4) {
                        out.putFloat((float) v);
                    } else if (size == 8) {
                        out.putDouble(v);
                    } else {
                        throw new IllegalArgumentException("give float16 data as raw bytes");
                    }
                }
                case 'i', 'u', 'b' -> {
                    long n = (long) v;
                    switch (size) {
                        case 1 -> out.put((byte) n);
                        case 2 -> out.putShort((short) n);
                        case 4 -> out.putInt((int) n);
                        case 8 -> out.putLong(n);
                        default -> throw new IllegalArgumentException("size " + size);
                    }
                }
                default -> throw new IllegalArgumentException("kind " + kind);
            }
        }
        this.data = out.array();
        return this;
    }

    byte[] build() {
        String text = header != null ? header
                : "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
        byte[] headerBytes = (text + "\n").getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer out = ByteBuffer.allocate(8 + lengthBytes + headerBytes.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        if (major == 1) {
            out.putShort((short) headerBytes.length);
        } else {
            out.putInt(headerBytes.length);
        }
        return out.put(headerBytes).put(data).array();
    }

    Path writeTo(Path dir, String fileName) throws IOException {
        return Files.write(dir.resolve(fileName), build());
    }
}
