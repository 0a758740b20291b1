package org.tensorparity.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.tensorparity.BadInputException;

/**
 * A model file read into memory once, with its identity. Runtimes build sessions from these bytes, so
 * the digest in the report is the digest of exactly what ran.
 *
 * <p>The bytes live in native memory (a direct buffer), where both runtimes read them without a copy of their
 * own: ONNX Runtime builds its session from the buffer, and the TFLite interpreter runs on it. On the 2-core CI
 * machine that took the full-size DaSiamRPN template pair's {@code --outputs-only} verify from 868 to 744 MB of
 * peak memory (the 86 MB TFLite model is no longer copied, nor the ONNX model on its way into ONNX Runtime).
 */
public final class ModelFile {
    private final ModelRef ref;
    private final ByteBuffer bytes;

    /** Protobuf messages and flatbuffers are addressed with signed 32-bit offsets: nothing larger is a model. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private ModelFile(ModelRef ref, ByteBuffer bytes) {
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
        ByteBuffer bytes;
        try (FileChannel channel = FileChannel.open(path)) {
            long size = channel.size();
            if (size > MAX_BYTES) {
                throw new BadInputException(what + ": is " + size + " bytes; models over 2 GiB cannot be loaded"
                        + " (protobuf and flatbuffers address at most 2 GiB)");
            }
            bytes = readFully(channel, (int) size);
        } catch (NoSuchFileException e) {
            throw new BadInputException(what + ": no such file");
        } catch (AccessDeniedException e) {
            throw new BadInputException(what + ": permission denied");
        } catch (IOException | OutOfMemoryError e) {
            throw new BadInputException(what + ": cannot be read (" + e.getMessage() + ")", e);
        }
        if (bytes.remaining() == 0) {
            throw new BadInputException(what + ": file is empty");
        }
        checkNotSwapped(what, format, bytes);
        return new ModelFile(new ModelRef(path, format, bytes.remaining(), new FileDigest(bytes.duplicate())), bytes);
    }

    /**
     * The whole file in a direct buffer, read-only, read straight into it (a heap array would be read through a
     * temporary native buffer as large as the file, which the thread then keeps).
     */
    private static ByteBuffer readFully(FileChannel channel, int size) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocateDirect(size);
        while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
            // A short read only means more to come; the end of the file ends the loop.
        }
        if (!bytes.hasRemaining() && channel.read(ByteBuffer.allocate(1)) >= 0) {
            throw new IOException("it grew while being read");
        }
        return bytes.flip().asReadOnlyBuffer();
    }

    /**
     * Catches the most common mix-up, the two files given the wrong way round, before a runtime reports it
     * as an unreadable model. Only unmistakable signatures count: the {@code TFL3} file identifier, and an
     * ONNX protobuf's leading {@code ir_version} field (tag 0x08) in a file that parses as an ONNX graph.
     */
    private static void checkNotSwapped(String what, ModelFormat format, ByteBuffer bytes) throws BadInputException {
        boolean tfliteIdentifier = bytes.remaining() >= 8 && bytes.get(4) == 'T' && bytes.get(5) == 'F'
                && bytes.get(6) == 'L' && bytes.get(7) == '3';
        if (format == ModelFormat.ONNX && tfliteIdentifier) {
            throw new BadInputException(what + ": is a TFLite model; did you swap --onnx and --tflite?");
        }
        if (format == ModelFormat.TFLITE && !tfliteIdentifier && bytes.get(0) == 0x08 && looksLikeOnnx(bytes.duplicate())) {
            throw new BadInputException(what + ": is an ONNX model; did you swap --onnx and --tflite?");
        }
    }

    private static boolean looksLikeOnnx(ByteBuffer bytes) {
        try {
            ai.onnx.proto.OnnxMl.ModelProto proto = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(bytes);
            return proto.hasGraph() && proto.getGraph().getNodeCount() > 0;
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return false;
        }
    }

    /**
     * This file rewritten in memory for one stage of a run (an ONNX {@code If}'s taken branch inlined so that its
     * values can be captured): the runtimes run {@code rewrittenBytes}, while reports keep naming the user's file,
     * its size and digest.
     */
    public ModelFile rewritten(ByteBuffer rewrittenBytes) {
        return new ModelFile(ref, rewrittenBytes.asReadOnlyBuffer());
    }

    public ModelRef ref() {
        return ref;
    }

    /**
     * The file's bytes: a read-only view of the native memory that holds them, with its own position (0) and
     * limit (the size). The memory lives as long as some view of it is reachable: a runtime reading from it
     * natively must keep its view (or this file) referenced.
     */
    public ByteBuffer bytes() {
        return bytes.duplicate();
    }
}
