package org.tensorparity.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import org.tensorparity.BadInputException;

/**
 * A model file read into memory once, with its identity. Runtimes build sessions from these bytes, so
 * the digest in the report is the digest of exactly what ran.
 */
public final class ModelFile {
    private final ModelRef ref;
    private final byte[] bytes;

    /** Protobuf messages and flatbuffers are addressed with signed 32-bit offsets: nothing larger is a model. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;
    /** Bytes per read request: large enough that a read costs no more than the copy, small enough to stay transient. */
    private static final int CHUNK = 1 << 20;

    private ModelFile(ModelRef ref, byte[] bytes) {
        this.ref = ref;
        this.bytes = bytes;
    }

    /**
     * Reads {@code path}; a missing, unreadable, empty or directory path is bad input, and so is anything but
     * a regular file (a FIFO would block the read forever, {@code /dev/zero} never ends) or a file larger than
     * any model the runtimes accept.
     */
    public static ModelFile read(Path path, ModelFormat format) throws BadInputException {
        String what = format.displayName() + " model " + path;
        if (Files.isDirectory(path)) {
            throw new BadInputException(what + ": is a directory, expected a " + format.extension() + " file");
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new BadInputException(what + ": is not a regular file (a pipe, device or socket), expected a "
                    + format.extension() + " file");
        }
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_BYTES) {
                throw new BadInputException(what + ": is " + size + " bytes; models over 2 GiB cannot be loaded"
                        + " (protobuf and flatbuffers address at most 2 GiB)");
            }
            bytes = readFully(path, (int) size);
        } catch (NoSuchFileException e) {
            throw new BadInputException(what + ": no such file");
        } catch (AccessDeniedException e) {
            throw new BadInputException(what + ": permission denied");
        } catch (IOException | OutOfMemoryError e) {
            throw new BadInputException(what + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (bytes.length == 0) {
            throw new BadInputException(what + ": file is empty");
        }
        checkNotSwapped(what, format, bytes);
        return new ModelFile(new ModelRef(path, format, bytes.length, sha256(bytes)), bytes);
    }

    /**
     * Reads the file in requests of {@link #CHUNK}. {@code Files.readAllBytes} reads it in one, which NIO serves
     * through a temporary native buffer as large as the file and then keeps for the thread: 86 MB more resident
     * memory for the 86 MB DaSiamRPN template, per thread that read one (18 MB for the 20 MB detection model).
     */
    private static byte[] readFully(Path path, int size) throws IOException {
        byte[] bytes = new byte[size];
        int read = 0;
        try (InputStream in = Files.newInputStream(path)) {
            int n;
            while (read < size && (n = in.read(bytes, read, Math.min(CHUNK, size - read))) > 0) {
                read += n;
            }
            if (read == size && in.read() != -1) {
                throw new IOException("it grew while being read");
            }
        }
        return read == size ? bytes : Arrays.copyOf(bytes, read);
    }

    /**
     * Catches the most common mix-up, the two files given the wrong way round, before a runtime reports it
     * as an unreadable model. Only unmistakable signatures count: the {@code TFL3} file identifier, and an
     * ONNX protobuf's leading {@code ir_version} field (tag 0x08) in a file that parses as an ONNX graph.
     */
    private static void checkNotSwapped(String what, ModelFormat format, byte[] bytes) throws BadInputException {
        boolean tfliteIdentifier = bytes.length >= 8 && bytes[4] == 'T' && bytes[5] == 'F' && bytes[6] == 'L'
                && bytes[7] == '3';
        if (format == ModelFormat.ONNX && tfliteIdentifier) {
            throw new BadInputException(what + ": is a TFLite model; did you swap --onnx and --tflite?");
        }
        if (format == ModelFormat.TFLITE && !tfliteIdentifier && bytes[0] == 0x08 && looksLikeOnnx(bytes)) {
            throw new BadInputException(what + ": is an ONNX model; did you swap --onnx and --tflite?");
        }
    }

    private static boolean looksLikeOnnx(byte[] bytes) {
        try {
            ai.onnx.proto.OnnxMl.ModelProto proto = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(bytes);
            return proto.hasGraph() && proto.getGraph().getNodeCount() > 0;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return false;
        }
    }

    public ModelRef ref() {
        return ref;
    }

    /** The file's bytes, shared: callers must not modify them. */
    public byte[] bytes() {
        return bytes;
    }

    /**
     * Gets SHA-256 ready for the model files: the JVM hashes with its SHA instructions only once the digest's
     * inner loop is compiled, after about a megabyte. Hashed cold, the full-size DaSiamRPN detection pair's two
     * 20 MB files took 85 ms, against 13 ms each once compiled (2-core CI machine); a process that hashes a
     * megabyte while it parses its arguments reaches the models with the compiled loop.
     */
    public static void preloadDigest() {
        try {
            MessageDigest.getInstance("SHA-256").digest(new byte[1 << 20]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
