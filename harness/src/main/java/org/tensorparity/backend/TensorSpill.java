package org.tensorparity.backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorparity.ModelFailureException;
import org.tensorparity.tensor.Tensor;

/**
 * Captured values kept in a temporary file rather than on the heap, for a layer-by-layer run under a memory budget:
 * each value is written once, as its capture pass hands it on, and read back whenever a {@linkplain Tensor#stored
 * stored tensor} is asked for its values. The values read most recently stay on the heap up to {@code residentBytes}
 * (an alignment, a pair's judging and its isolation read the same few tensors in turn), so the heap holds about that
 * much of them whatever the model.
 *
 * <p>The file is removed from its folder as soon as it is opened: nothing is left behind however the process ends, and
 * its space is freed when the spill is no longer reachable (a {@link Cleaner} closes the file then).
 */
public final class TensorSpill {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final int FLOAT_BYTES = Float.BYTES;
    /** Bytes moved per write or read call: large enough to stream at disk speed. */
    private static final int CHUNK = 1 << 20;

    private final FileChannel file;
    private final long residentBytes;
    /**
     * One buffer for all writes and one for all reads, each used under its own lock: a direct buffer per call is freed
     * only when the heap is collected, and reading YOLOX-nano's captures back that way grew the process to 3.8 GB.
     */
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.nativeOrder());
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.nativeOrder());
    /** Values read (or written) most recently, least recent first, by their offset in the file. */
    private final LinkedHashMap<Long, float[]> resident = new LinkedHashMap<>(16, 0.75f, true);
    private long residentHeld;
    private long written;

    private TensorSpill(FileChannel file, long residentBytes) {
        this.file = file;
        this.residentBytes = residentBytes;
        CLEANER.register(this, new Closer(file));
    }

    /**
     * A spill in {@code folder} (the JVM's temporary folder, normally) keeping up to {@code residentBytes} of the
     * values read last on the heap.
     *
     * @throws ModelFailureException when the folder takes no file
     */
    public static TensorSpill open(Path folder, long residentBytes) throws ModelFailureException {
        try {
            Path path = Files.createTempFile(folder, "parity-capture-", ".f32");
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Files.delete(path);
            } catch (IOException e) {
                // A platform that cannot remove an open file: removed when the JVM exits instead.
                path.toFile().deleteOnExit();
            }
            return new TensorSpill(channel, residentBytes);
        } catch (IOException e) {
            throw new ModelFailureException("cannot keep the captured values in " + folder + " (" + e.getMessage()
                    + "): give a writable folder with -Djava.io.tmpdir in PARITY_JAVA_OPTS, or a larger --max-memory");
        }
    }

    /** A spill in the JVM's temporary folder. */
    public static TensorSpill open(long residentBytes) throws ModelFailureException {
        return open(Path.of(System.getProperty("java.io.tmpdir")), residentBytes);
    }

    /**
     * Writes {@code value}'s values to the file and returns a stored tensor that reads them back, with its dtype,
     * shape and quantization; the caller drops {@code value}.
     */
    public Tensor keep(Tensor value) {
        float[] values = value.data();
        long offset;
        synchronized (this) {
            offset = written;
            written += (long) values.length * FLOAT_BYTES;
        }
        synchronized (writeBuffer) {
            write(offset, values);
        }
        int n = values.length;
        return Tensor.stored(value, () -> read(offset, n));
    }

    /** Bytes of values written so far. */
    public synchronized long bytesWritten() {
        return written;
    }

    private void write(long offset, float[] values) {
        ByteBuffer buffer = writeBuffer;
        try {
            int done = 0;
            long at = offset;
            while (done < values.length) {
                int count = Math.min(values.length - done, buffer.capacity() / FLOAT_BYTES);
                buffer.clear();
                buffer.asFloatBuffer().put(values, done, count);
                buffer.limit(count * FLOAT_BYTES);
                while (buffer.hasRemaining()) {
                    at += file.write(buffer, at);
                }
                done += count;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write captured values to the temporary file: " + e.getMessage(), e);
        }
    }

    private synchronized float[] read(long offset, int n) {
        float[] values = resident.get(offset);
        if (values != null) {
            return values;
        }
        values = new float[n];
        ByteBuffer buffer = readBuffer;
        try {
            int done = 0;
            long at = offset;
            while (done < n) {
                int count = Math.min(n - done, buffer.capacity() / FLOAT_BYTES);
                buffer.clear();
                buffer.limit(count * FLOAT_BYTES);
                while (buffer.hasRemaining()) {
                    int got = file.read(buffer, at);
                    if (got < 0) {
                        throw new IOException("the file ends before the values");
                    }
                    at += got;
                }
                buffer.flip();
                buffer.asFloatBuffer().get(values, done, count);
                done += count;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read captured values back from the temporary file: " + e.getMessage(),
                    e);
        }
        hold(offset, values);
        return values;
    }

    /** Keeps {@code values} on the heap, letting go of the least recently read beyond the resident bytes. */
    private void hold(long offset, float[] values) {
        long bytes = (long) values.length * FLOAT_BYTES;
        if (bytes > residentBytes) {
            return;
        }
        resident.put(offset, values);
        residentHeld += bytes;
        Iterator<Map.Entry<Long, float[]>> oldest = resident.entrySet().iterator();
        while (residentHeld > residentBytes && oldest.hasNext()) {
            residentHeld -= (long) oldest.next().getValue().length * FLOAT_BYTES;
            oldest.remove();
        }
    }

    /** Closes the file once the spill is unreachable; holds no reference to the spill itself. */
    private record Closer(FileChannel file) implements Runnable {
        @Override
        public void run() {
            try {
                file.close();
            } catch (IOException e) {
                // The file is already unlinked: closing only frees its space, which process exit does too.
            }
        }
    }
}
