package org.tensorparity.report.format;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.tensorparity.BadInputException;

/** Writes a file by writing a temporary sibling and renaming it over the target. */
public final class AtomicFileWriter {

    /** The body of a write; may throw I/O errors. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFileWriter() {
    }

    /**
     * Creates missing parent folders, writes {@code body} to a temporary file beside {@code target}, then
     * renames it into place. On any failure the temporary file is removed and the target is untouched.
     *
     * @param what what is being written, for the error message ("JSON report")
     */
    public static void write(Path target, String what, Body body) throws BadInputException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = null;
        try {
            if (Files.isDirectory(absolute)) {
                throw new IOException("it is a directory");
            }
            Files.createDirectories(dir);
            temp = Files.createTempFile(dir, "." + absolute.getFileName(), ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                body.writeTo(out);
            }
            // Temporary files are private (0600); a report is an artifact others read.
            if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new BadInputException("cannot write " + what + " " + target + ": " + reason(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // The original failure is what the user needs to see.
                }
            }
        }
    }

    /**
     * Fails now, without creating anything, where {@link #write} would fail later for want of a place to
     * write: no file name, a folder in the way, an ancestor that is a file, or a folder that cannot be written.
     * Run before the models, so a run of minutes does not end in an unwritable report.
     *
     * @param what what will be written, for the error message ("JSON report")
     */
    public static void checkWritable(Path target, String what) throws BadInputException {
        if (target.toString().isEmpty()) {
            throw new BadInputException("cannot write " + what + ": no file name given");
        }
        Path absolute = target.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            throw new BadInputException("cannot write " + what + " " + target + ": it is a directory");
        }
        Path dir = absolute.getParent();
        while (dir != null && !Files.exists(dir)) {
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInputException("cannot write " + what + " " + target + ": " + dir + " is not a folder");
        }
        if (!Files.isWritable(dir)) {
            throw new BadInputException("cannot write " + what + " " + target + ": permission denied in " + dir);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
