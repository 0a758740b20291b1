package org.tensorparity.backend.tflite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.TfLiteDelegate;
import org.tensorparity.model.ModelFile;
import org.tensorparity.model.ModelFormat;
import org.tensorparity.model.TensorSpec;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * Opens a TFLite model instrumented, runs it once and prints the process's peak resident memory after each: run in a
 * child JVM by {@link TfLitePassesMemoryTest}, since a process's peak cannot be reset and the test's own JVM has
 * loaded and run other models.
 */
public final class PeakMemoryProbe {
    private PeakMemoryProbe() {
    }

    /**
     * Arguments: the model, the delegate, the bytes per pass (0 runs it whole). Prints {@code captured <bytes> open
     * <kB> run <kB>}: the bytes of every captured value (each handed on and dropped, as a spilling caller does), and
     * the peak resident memory (VmHWM) after the open and after the run.
     */
    public static void main(String[] args) throws Exception {
        ModelFile file = ModelFile.read(Path.of(args[0]), ModelFormat.TFLITE);
        RunnerSettings settings = new RunnerSettings(TfLiteDelegate.valueOf(args[1]), 1, true)
                .withPassBytes(Long.parseLong(args[2]));
        try (TfLiteRunner runner = TfLiteRunner.open(file, settings)) {
            long open = peakKb();
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            Random random = new Random(11);
            for (TensorSpec input : runner.signature().inputs()) {
                // A dynamic dimension (basic-pitch's batch) is 1, as the corpus feeds it.
                Shape shape = Shape.of(Arrays.stream(input.shape().dims()).map(d -> d == Shape.DYNAMIC ? 1 : d)
                        .toArray());
                float[] values = new float[Math.toIntExact(shape.elementCount())];
                for (int i = 0; i < values.length; i++) {
                    values[i] = random.nextFloat() * 2 - 1;
                }
                feeds.put(input.name(), Tensor.wrap(input.dtype() == DType.FLOAT16 ? DType.FLOAT32 : input.dtype(),
                        shape, values));
            }
            long[] captured = {0};
            Tensor dropped = Tensor.wrap(DType.FLOAT32, Shape.of(1), new float[1]);
            runner.run(feeds, (name, value) -> {
                captured[0] += value.size() * (long) TensorCopier.elementBytes(value.dtype());
                return dropped;
            });
            System.out.println("captured " + captured[0] + " open " + open + " run " + peakKb());
        }
    }

    private static long peakKb() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM:"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElseThrow();
    }
}
