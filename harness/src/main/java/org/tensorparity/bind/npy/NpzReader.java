package org.tensorparity.bind.npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.tensorparity.BadInputException;
import org.tensorparity.tensor.Tensor;

/**
 * Reads a {@code .npz} archive (numpy's {@code savez} or {@code savez_compressed}): a zip of
 * {@code .npy} files, stored or deflated, into tensors keyed by entry name without {@code .npy}.
 *
 * <p>Every entry must be a {@code .npy} array (numpy would hand other entries back as raw bytes; here they
 * are a mistake). Each entry's bytes are checked against the zip's CRC-32, so a corrupt stored entry
 * cannot pass as numbers.
 */
public final class NpzReader {
    /**
     * Deflate expands at most 1032:1; an entry declaring more than this over its compressed size is lying,
     * and its declared size must not decide an allocation.
     */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private NpzReader() {
    }

    /**
     * Reads every array of {@code file}.
     *
     * @return the arrays by name, in the archive's order (unmodifiable)
     * @throws BadInputException naming the file and, for a bad array, the entry
     */
    public static Map<String, Tensor> read(Path file) throws BadInputException {
        String origin = file.toString();
        try {
            if (Files.isDirectory(file)) {
                throw new BadInputException(origin + ": is a directory, expected a .npz file");
            }
            if (Files.size(file) == 0) {
                throw new BadInputException(origin + ": the file is empty");
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(origin + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(origin + ": cannot be read (" + e.getMessage() + ")", e);
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, Tensor> arrays = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                String entryOrigin = origin + " entry " + Printable.clip(name);
                if (entry.isDirectory() || !name.endsWith(".npy")) {
                    throw new BadInputException(entryOrigin + ": not a .npy array (every entry of a .npz must be one)");
                }
                String key = name.substring(0, name.length() - ".npy".length());
                if (arrays.put(key, readEntry(zip, entry, entryOrigin)) != null) {
                    throw new BadInputException(entryOrigin + ": the archive holds this entry twice");
                }
            }
            return Collections.unmodifiableMap(arrays);
        } catch (ZipException e) {
            throw new BadInputException(origin + ": not a valid .npz (zip) archive (" + e.getMessage() + ")", e);
        } catch (AccessDeniedException e) {
            throw new BadInputException(origin + ": permission denied");
        } catch (IOException e) {
            throw new BadInputException(origin + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    private static Tensor readEntry(ZipFile zip, ZipEntry entry, String origin) throws BadInputException {
        long size = entry.getSize();
        if (size < 0) {
            throw new BadInputException(origin + ": the archive does not record the entry's size");
        }
        if (entry.getMethod() == ZipEntry.DEFLATED && size > entry.getCompressedSize() * MAX_DEFLATE_RATIO + 1024) {
            throw new BadInputException(origin + ": declares " + size + " bytes, more than its "
                    + entry.getCompressedSize() + " compressed bytes can hold");
        }
        try (CheckedInputStream in = new CheckedInputStream(zip.getInputStream(entry), new CRC32())) {
            Tensor tensor = NpyReader.decode(in, size, origin);
            if (in.read() != -1) {
                throw new BadInputException(origin + ": holds more bytes than the archive declares");
            }
            if (in.getChecksum().getValue() != entry.getCrc()) {
                throw new BadInputException(origin + ": corrupt (its CRC-32 does not match the archive's)");
            }
            return tensor;
        } catch (IOException e) {
            throw new BadInputException(origin + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
