package org.tensorparity.run;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorparity.BadInputException;
import org.tensorparity.backend.LitterRemoval;

/** Where a reproducer bundle goes: checked before the models run, and the finished bundle moved into place whole. */
final class ReproFolder {
    private ReproFolder() {
    }

    /**
     * Fails now, before the models run, where the bundle could not be written later: {@code dir} is a file, holds
     * files other than a bundle's, or its folder does not take new files.
     */
    static void checkWritable(Path dir) throws BadInputException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
            throw new BadInputException("cannot write reproducer " + dir + ": it is not a folder");
        }
        if (Files.isDirectory(absolute)) {
            try (Stream<Path> entries = Files.list(absolute)) {
                List<String> others = entries.map(p -> p.getFileName().toString()).filter(n -> !ReproBundle.FILES.contains(n)).toList();
                if (!others.isEmpty()) {
                    throw new BadInputException("cannot write reproducer " + dir + ": the folder holds other files ("
                            + others.get(0) + (others.size() > 1 ? ", ..." : "") + "); give a new or empty folder");
                }
            } catch (IOException e) {
                throw new BadInputException("cannot write reproducer " + dir + ": " + reason(e), e);
            }
        }
        Path parent = absolute.getParent();
        while (parent != null && !Files.exists(parent)) {
            parent = parent.getParent();
        }
        if (parent == null || !Files.isDirectory(parent)) {
            throw new BadInputException("cannot write reproducer " + dir + ": " + parent + " is not a folder");
        }
        // Permission bits do not tell everything (a read-only mount, an ACL): try it.
        try {
            Files.delete(Files.createTempDirectory(parent, ".tensor-parity-probe"));
        } catch (IOException e) {
            throw new BadInputException("cannot write reproducer " + dir + ": " + parent + " does not take new files ("
                    + reason(e) + ")", e);
        }
    }

    /**
     * A suite pair's bundle folder in {@code dir}: the pair's name as the suite file gives it, where that is a plain
     * file name; other characters become {@code _}, and a name that would be hidden or a parent gets a {@code _} first.
     */
    static Path ofPair(Path dir, String pair) {
        String safe = pair.replaceAll("[^A-Za-z0-9._-]", "_");
        return dir.resolve(safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe);
    }

    /**
     * {@link #checkWritable} for every pair's folder of a suite's {@code dir}, before any pair runs; two pairs whose
     * names give the same folder are refused, as one bundle would replace the other.
     */
    static void checkSuite(Path dir, List<String> pairs) throws BadInputException {
        Map<Path, String> taken = new HashMap<>();
        for (String pair : pairs) {
            Path folder = ofPair(dir, pair);
            String other = taken.putIfAbsent(folder, pair);
            if (other != null) {
                throw new BadInputException("cannot write reproducer " + folder + ": pairs '" + other + "' and '" + pair
                        + "' would both write there; rename one in the suite file");
            }
            checkWritable(folder);
        }
    }

    /**
     * Renames the finished bundle to {@code dir}; a bundle already there (the check allowed nothing else) is moved
     * aside first and removed after.
     */
    static void moveIntoPlace(Path temp, Path dir) throws IOException {
        // Temporary folders are private (0700); a bundle is an artifact others read.
        if (temp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Path old = null;
        if (Files.exists(dir)) {
            old = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + "-old-");
            Files.delete(old);
            move(dir, old);
        }
        move(temp, dir);
        if (old != null) {
            LitterRemoval.deleteTree(old);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
