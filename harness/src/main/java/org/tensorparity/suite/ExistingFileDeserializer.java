package org.tensorparity.suite;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Reads every path of a suite file: relative to the suite file's folder, and required to be an existing
 * file, so that a missing model or input stops the suite before anything runs, with the line that names it.
 */
final class ExistingFileDeserializer extends StdScalarDeserializer<Path> {
    private final transient Path folder;

    /** @param folder what relative paths are relative to */
    ExistingFileDeserializer(Path folder) {
        super(Path.class);
        this.folder = folder;
    }

    @Override
    public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (!p.currentToken().isScalarValue() || p.getText().isBlank()) {
            throw JsonMappingException.from(p, "expected a file path");
        }
        String text = p.getText();
        Path resolved;
        try {
            resolved = folder.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw JsonMappingException.from(p, "'" + text + "' is not a valid path (" + e.getReason() + ")");
        }
        if (!Files.isRegularFile(resolved)) {
            String problem = Files.isDirectory(resolved) ? "is a directory, not a file" : "no such file";
            throw JsonMappingException.from(p, problem + ": " + text + " (" + resolved + ")");
        }
        return resolved;
    }
}
