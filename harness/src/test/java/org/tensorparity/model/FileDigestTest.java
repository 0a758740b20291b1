package org.tensorparity.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model file's digest is the SHA-256 of its bytes, whether hashed beforehand or when asked for. */
class FileDigestTest {
    @TempDir
    Path dir;

    @Test
    void theDigestIsTheFilesSha256StartedOrNot() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(5).nextBytes(content);
        Path file = Files.write(dir.resolve("model.tflite"), withTfliteIdentifier(content));
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));

        ModelRef asked = ModelFile.read(file, ModelFormat.TFLITE).ref();
        assertEquals(expected, asked.sha256());
        assertEquals(expected, asked.sha256(), "asked twice");

        ModelRef started = ModelFile.read(file, ModelFormat.TFLITE).ref();
        started.digest().start();
        started.digest().start();
        assertEquals(expected, started.sha256());
        assertEquals(asked, started, "two reads of one file are the same file");
    }

    private static byte[] withTfliteIdentifier(byte[] content) {
        content[4] = 'T';
        content[5] = 'F';
        content[6] = 'L';
        content[7] = '3';
        return content;
    }
}
