package org.tensorparity.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The command-line jar carries the natives of the one platform both runtimes are built for, linux-x86_64, and no
 * other: ONNX Runtime's jar brings five platforms' libraries, about 160 MB of them for platforms the TFLite
 * interpreter's natives do not exist for, and a jar with them filled CI's disk once.
 */
class PackagedJarIT {
    private static final Path JAR = Path.of("target", "parity.jar");

    @Test
    void theJarHoldsTheLinuxX8664NativesOnly() throws Exception {
        try (ZipFile jar = new ZipFile(JAR.toFile())) {
            List<String> natives = jar.stream().map(ZipEntry::getName)
                    .filter(n -> n.endsWith(".so") || n.endsWith(".dll") || n.endsWith(".dylib") || n.endsWith(".jnilib"))
                    .sorted().toList();
            assertEquals(List.of("ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                    "ai/onnxruntime/native/linux-x64/libonnxruntime4j_jni.so",
                    "org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so",
                    "org/bytedeco/tensorflowlite/linux-x86_64/libjnitensorflowlite.so"), natives);
            assertTrue(jar.stream().noneMatch(e -> e.getName().startsWith("ai/onnxruntime/native/")
                    && !e.isDirectory() && !e.getName().startsWith("ai/onnxruntime/native/linux-x64/")),
                    "ONNX Runtime's files for other platforms are in the jar");
        }
    }
}
