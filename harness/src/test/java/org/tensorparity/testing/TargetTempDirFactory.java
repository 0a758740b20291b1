package org.tensorparity.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Every {@code @TempDir} of the suite, under {@code target/junit-tempdirs} rather than {@code java.io.tmpdir}
 * (junit-platform.properties makes it the default): reports a test writes there are found by
 * {@link ReportSchemaExtension}, which looks under {@code target/}.
 */
public final class TargetTempDirFactory implements TempDirFactory {
    static final Path FOLDER = Path.of("target", "junit-tempdirs").toAbsolutePath();

    @Override
    public Path createTempDirectory(AnnotatedElementContext elementContext, ExtensionContext extensionContext)
            throws IOException {
        return Files.createTempDirectory(Files.createDirectories(FOLDER), "junit");
    }
}
