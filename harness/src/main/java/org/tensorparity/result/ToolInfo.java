package org.tensorparity.result;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** This tool's name and version. */
public record ToolInfo(String name, String version) {
    public static final ToolInfo CURRENT = new ToolInfo("tensor-parity", readVersion());

    private static String readVersion() {
        try (InputStream in = ToolInfo.class.getResourceAsStream("/org/tensorparity/version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
