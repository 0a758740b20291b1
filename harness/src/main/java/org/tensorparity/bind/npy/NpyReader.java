package org.tensorparity.bind.npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.tensorparity.BadInputException;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Reads one {@code .npy} array into a row-major {@link Tensor}.
 *
 * <p>Accepts format versions 1.0, 2.0 and 3.0; element types {@code f2 f4 f8 i1 i2 i4 i8 u1 u2 u4 b1}
 * in either byte order ({@code <}, {@code >}, or {@code |}/{@code =} for the machine's own); C or Fortran
 * memory order (Fortran data is reordered to row-major). The tensor's {@link Tensor#dtype()} is the file's
 * element type ({@code u2} and {@code u4} become INT32 and INT64). The data must be exactly as long as
 * the shape says: numpy ignores trailing bytes, but here they mean the shape and the data disagree.
 */
public final class NpyReader {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** numpy refuses headers over 10000 bytes by default; anything near 1 MiB is an attack, not an array. */
    private static final int MAX_HEADER_BYTES = 1 << 20;
    /** The largest Java array; a tensor holds its values in one. */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    /** Data is decoded in chunks of this many bytes (a multiple of every element size). */
    private static final int CHUNK_BYTES = 1 << 16;

    private NpyReader() {
    }

    /**
     * Reads {@code file}.
     *
     * @throws BadInputException naming the file: missing, unreadable, empty, not a {@code .npy} file,
     *     truncated, an unsupported element type, or a shape that does not match the data
     */
    public static Tensor read(Path file) throws BadInputException {
        String origin = file.toString();
        if (Files.isDirectory(file)) {
            throw new BadInputException(origin + ": is a directory, expected a .npy file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return decode(in, Files.size(file), origin);
        } catch (NoSuchFileException e) {
            throw new BadInputException(origin + ": no such file");
        } catch (AccessDeniedException e) {
            throw new BadInputException(origin + ": permission denied");
        } catch (IOException e) {
            throw new BadInputException(origin + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Decodes one array from {@code in}, which holds {@code length} bytes. Every size the header implies
     * is checked against {@code length} before anything is allocated; if the stream then ends early the
     * array is reported truncated.
     *
     * @param origin the file (and entry) for error messages
     */
    static Tensor decode(InputStream in, long length, String origin) throws BadInputException, IOException {
        if (length == 0) {
            throw bad(origin, "the file is empty");
        }
        byte[] preamble = in.readNBytes(10);
        int magicSeen = Math.min(preamble.length, MAGIC.length);
        if (!Arrays.equals(preamble, 0, magicSeen, MAGIC, 0, magicSeen)) {
            throw bad(origin, "not a .npy file: it does not start with \\x93NUMPY");
        }
        if (preamble.length < 10) {
            throw bad(origin, "truncated: it ends inside the format preamble");
        }
        int major = preamble[6];
        int minor = preamble[7];
        if (minor != 0 || major < 1 || major > 3) {
            throw bad(origin, "format version " + (major & 0xFF) + "." + (minor & 0xFF)
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        long headerLength;
        int preambleLength;
        if (major == 1) {
            headerLength = unsignedShort(preamble, 8);
            preambleLength = 10;
        } else {
            byte[] rest = in.readNBytes(2);
            if (rest.length < 2) {
                throw bad(origin, "truncated: it ends inside the format preamble");
            }
            headerLength = unsignedShort(preamble, 8) | (long) unsignedShort(rest, 0) << 16;
            preambleLength = 12;
        }
        if (headerLength > length - preambleLength) {
            throw bad(origin, "truncated: the header is " + headerLength + " bytes, but only "
                    + (length - preambleLength) + " follow the preamble");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw bad(origin, "the header claims " + headerLength + " bytes, far more than any real array needs");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw bad(origin, "truncated: it ends inside the header");
        }
        // Version 3.0 exists only to allow UTF-8 in the header; earlier versions are latin-1.
        String headerText = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader header;
        try {
            header = NpyHeader.parse(headerText);
        } catch (IllegalArgumentException e) {
            throw bad(origin, e.getMessage());
        }

        long count = elementCount(header.shape(), origin);
        long needed;
        try {
            needed = Math.multiplyExact(count, header.type().size());
        } catch (ArithmeticException e) {
            throw bad(origin, "the shape " + header.shape() + " has too many elements");
        }
        long available = length - preambleLength - headerLength;
        String what = "shape " + header.shape() + " of " + header.descr() + " needs " + needed + " data bytes, ";
        if (available < needed) {
            throw bad(origin, "truncated: " + what + "the file has " + available);
        }
        if (available > needed) {
            throw bad(origin, what + "the file has " + available + ": the shape and the data do not match");
        }
        if (count > MAX_ELEMENTS) {
            throw bad(origin, "the shape " + header.shape() + " has " + count + " elements, more than one tensor can hold");
        }
        float[] values = new float[(int) count];
        decodeData(in, header, values, origin);
        return Tensor.wrap(header.type().dtype(), header.shape(), values);
    }

    private static void decodeData(InputStream in, NpyHeader header, float[] out, String origin)
            throws BadInputException, IOException {
        NpyElementType type = header.type();
        byte[] chunk = new byte[CHUNK_BYTES];
        ByteBuffer buffer = ByteBuffer.wrap(chunk).order(header.order());
        // Fortran data has the first axis varying fastest; rank 0 and 1 are the same in both orders.
        ColumnMajorWalk walk = header.fortranOrder() && header.shape().rank() > 1
                ? new ColumnMajorWalk(header.shape()) : null;
        int done = 0;
        while (done < out.length) {
            int elements = Math.min(CHUNK_BYTES / type.size(), out.length - done);
            int bytes = elements * type.size();
            if (in.readNBytes(chunk, 0, bytes) < bytes) {
                throw bad(origin, "truncated: the data ends after " + done + " of " + out.length + " elements");
            }
            buffer.clear();
            for (int i = 0; i < elements; i++) {
                out[walk == null ? done + i : walk.next()] = type.read(buffer);
            }
            done += elements;
        }
    }

    /** Row-major offsets of the elements in column-major (Fortran) order. */
    private static final class ColumnMajorWalk {
        private final int[] dims;
        private final long[] strides;
        private final int[] index;
        private long offset;

        ColumnMajorWalk(Shape shape) {
            this.dims = shape.dims();
            this.strides = shape.strides();
            this.index = new int[dims.length];
        }

        /** The row-major offset of the current element; then steps to the next, first axis fastest. */
        int next() {
            int current = (int) offset;
            for (int axis = 0; axis < dims.length; axis++) {
                index[axis]++;
                offset += strides[axis];
                if (index[axis] < dims[axis]) {
                    break;
                }
                offset -= strides[axis] * dims[axis];
                index[axis] = 0;
            }
            return current;
        }
    }

    private static long elementCount(Shape shape, String origin) throws BadInputException {
        long count = 1;
        for (int d : shape.dims()) {
            try {
                count = Math.multiplyExact(count, d);
            } catch (ArithmeticException e) {
                throw bad(origin, "the shape " + shape + " has too many elements");
            }
        }
        return count;
    }

    /** The little-endian unsigned 16-bit number at {@code offset}. */
    private static int unsignedShort(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8;
    }

    private static BadInputException bad(String origin, String reason) {
        return new BadInputException(origin + ": " + reason);
    }
}
