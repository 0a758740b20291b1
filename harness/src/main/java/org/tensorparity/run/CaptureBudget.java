package org.tensorparity.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;

/**
 * Whether a layer-by-layer run fits in this machine's memory and the JVM's heap, decided before anything is captured. Capturing keeps
 * every intermediate of both models twice: in the runtimes (TFLite's arena with every tensor preserved, ONNX Runtime's
 * exposed outputs) and as Java copies that are compared. A run that cannot fit is refused at once, naming the
 * estimate, rather than growing until the kernel kills it (a small CNN at batch 4934 reached 24 GB).
 */
final class CaptureBudget {
    /** Bytes of a captured value: everything is compared as float32. */
    private static final long VALUE_BYTES = 4;
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private CaptureBudget() {
    }

    /**
     * @param tfliteValues the TFLite model's captured values at the bound input shapes; the ONNX model computes the
     *     same network, and is taken to hold as many
     * @throws BadInputException when copies and native buffers together exceed the memory this machine has
     *     available: the request does not fit here (a smaller batch, or outputs only)
     * @throws ModelFailureException when they fit the machine but the Java copies exceed the heap left: the JVM needs
     *     more heap, as for any run that runs out of it
     */
    static void require(OptionalLong tfliteValues) throws BadInputException, ModelFailureException {
        if (tfliteValues.isEmpty()) {
            return;
        }
        long javaCopies = 2 * tfliteValues.getAsLong() * VALUE_BYTES;
        long total = 2 * javaCopies;
        OptionalLong available = memoryAvailable();
        if (available.isPresent() && total > available.getAsLong()) {
            throw new BadInputException(String.format(Locale.ROOT, "a layer-by-layer run at these input shapes would hold"
                    + " about %s of activations (both models' intermediates, in the runtimes and as Java copies), more"
                    + " than the %s of memory this machine has available: use --outputs-only or a smaller batch",
                    size(total), size(available.getAsLong())));
        }
        Runtime rt = Runtime.getRuntime();
        long heapLeft = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (javaCopies > heapLeft) {
            long wantedGb = Math.max(1, (rt.maxMemory() - heapLeft + 2 * javaCopies + (1L << 30) - 1) >> 30);
            throw new ModelFailureException(String.format(Locale.ROOT, "not enough memory: a layer-by-layer run at these"
                    + " input shapes keeps about %s of Java copies of both models' intermediates, and %s of Java heap"
                    + " are left: give the JVM more with PARITY_JAVA_OPTS=-Xmx%dg, or use --outputs-only",
                    size(javaCopies), size(heapLeft), wantedGb));
        }
    }

    /** MemAvailable of /proc/meminfo, where the platform has it. */
    static OptionalLong memoryAvailable() {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                if (line.startsWith("MemAvailable:")) {
                    String[] parts = line.trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[1]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Another platform: the heap alone decides.
        }
        return OptionalLong.empty();
    }

    private static String size(long bytes) {
        return bytes >= 1L << 30 ? String.format(Locale.ROOT, "%.1f GB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%d MB", bytes >> 20);
    }
}
