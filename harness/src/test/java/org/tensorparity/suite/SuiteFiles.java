package org.tensorparity.suite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tensorparity.BadInputException;

/** Writes suite files and the (empty) files they refer to into a test folder, and reads them. */
final class SuiteFiles {
    private final Path dir;

    SuiteFiles(Path dir) {
        this.dir = dir;
    }

    /** Creates empty files at these paths relative to the folder; the suite reader only checks they exist. */
    SuiteFiles touch(String... paths) {
        try {
            for (String p : paths) {
                Path file = dir.resolve(p);
                Files.createDirectories(file.getParent());
                if (!Files.exists(file)) {
                    Files.createFile(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Path write(String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SuiteFile read(String text) throws BadInputException {
        return SuiteFile.read(write("suite.yaml", text));
    }

    /** The one-line message of reading {@code text}, checked to start with the file and line of {@code marker}. */
    String failure(String text, String marker) {
        Path file = write("suite.yaml", text);
        String message = assertThrows(BadInputException.class, () -> SuiteFile.read(file)).getMessage();
        assertFalse(message.contains("\n"), message);
        String prefix = "suite file " + file + (marker == null ? ": " : ", line " + lineOf(text, marker) + ": ");
        assertTrue(message.startsWith(prefix), "expected prefix <" + prefix + "> in <" + message + ">");
        return message.substring(prefix.length());
    }

    /** The 1-based line of the first occurrence of {@code marker} in {@code text}. */
    static int lineOf(String text, String marker) {
        int at = text.indexOf(marker);
        if (at < 0) {
            throw new AssertionError("no '" + marker + "' in the suite text");
        }
        return (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    Path dir() {
        return dir;
    }
}
