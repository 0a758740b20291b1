package org.tensorparity.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.tensorparity.BadInputException;

/**
 * Writes a file by writing a temporary sibling and renaming it over the target. A symbolic link is followed: its
 * target is what gets written, atomically. A device or an anonymous pipe ({@code /dev/null}, {@code /dev/stdout} in
 * a pipeline) is written in place, as a stream: renaming over it would replace the device with a regular file. A
 * named FIFO or a socket is refused: nothing may be reading it, and a write would wait forever.
 */
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
        Path absolute;
        Path temp = null;
        try {
            absolute = destination(target);
            if (Files.isDirectory(absolute)) {
                throw new IOException("it is a directory");
            }
            if (Files.exists(absolute) && !Files.isRegularFile(absolute)) {
                // A device or a pipe: streamed into, never replaced.
                try (OutputStream out = Files.newOutputStream(absolute, StandardOpenOption.WRITE)) {
                    body.writeTo(out);
                }
                return;
            }
            Path dir = absolute.getParent();
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
        Path absolute;
        try {
            absolute = destination(target);
        } catch (IOException e) {
            throw new BadInputException("cannot write " + what + " " + target + ": " + reason(e), e);
        }
        if (Files.isDirectory(absolute)) {
            throw new BadInputException("cannot write " + what + " " + target + ": it is a directory");
        }
        if (Files.exists(absolute) && !Files.isRegularFile(absolute)) {
            if (!Files.isWritable(absolute)) {
                throw new BadInputException("cannot write " + what + " " + target + ": permission denied");
            }
            return;
        }
        Path dir = absolute.getParent();
        while (dir != null && !Files.exists(dir)) {
            if (Files.isSymbolicLink(dir)) {
                throw new BadInputException("cannot write " + what + " " + target + ": " + dir
                        + " is a symbolic link that leads nowhere (in a loop, or to something missing)");
            }
            dir = dir.getParent();
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new BadInputException("cannot write " + what + " " + target + ": " + dir + " is not a folder");
        }
        // Permission bits do not tell everything (a read-only mount, an ACL, root on a network share): try it.
        try {
            Files.delete(Files.createTempFile(dir, ".tensor-parity-probe", ".tmp"));
        } catch (IOException e) {
            // The probe's own name means nothing to the user: name the folder that refused it.
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : "new files are refused";
            throw new BadInputException("cannot write " + what + " " + target + ": " + dir + " does not take new files ("
                    + why + ")", e);
        }
    }

    /** Whether {@code target}, followed through symbolic links, is a device or an anonymous pipe, written in place. */
    public static boolean isStream(Path target) {
        try {
            Path absolute = destination(target);
            return Files.exists(absolute) && !Files.isRegularFile(absolute) && !Files.isDirectory(absolute);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Where writing {@code target} puts the bytes: the target of a symbolic link (followed to the end, relative links
     * against their folder), else the path itself. A named FIFO or a socket is refused.
     */
    private static Path destination(Path target) throws IOException {
        Path path = target.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(path); hops++) {
            if (hops == 40) {
                throw new FileSystemException(target.toString(), null, "too many levels of symbolic links");
            }
            Path link = Files.readSymbolicLink(path);
            if (link.toString().startsWith("pipe:") || link.toString().startsWith("socket:")) {
                // /proc/self/fd/N of an anonymous pipe (/dev/stdout in a pipeline): the link itself is written.
                return path;
            }
            path = path.resolveSibling(link).normalize();
        }
        if (Files.exists(path)) {
            String type = fileType(path);
            if (type.equals("fifo") || type.equals("socket")) {
                throw new FileSystemException(target.toString(), null, "it is a named " + type
                        + ", which nothing may be reading; write the report to a file");
            }
        }
        return path;
    }

    /** {@code fifo}, {@code socket} or empty, from the file's Unix mode. */
    private static String fileType(Path path) {
        try {
            int mode = (Integer) Files.getAttribute(path, "unix:mode");
            int type = mode & 0170000;
            return type == 0010000 ? "fifo" : type == 0140000 ? "socket" : "";
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "";
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
