package org.tensorparity.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;
import org.tensorparity.backend.RunnerSettings;
import org.tensorparity.backend.TensorSpill;
import org.tensorparity.result.CaptureMemory;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.text.ByteSize;

/**
 * How a layer-by-layer run captures both models' intermediates within its memory budget ({@code --max-memory}),
 * decided before anything is captured. A capture held whole keeps every intermediate twice per model: in the runtime
 * (TFLite's arena with every tensor preserved, ONNX Runtime's exposed outputs) and as the Java copy that is compared.
 * The converted model's float32 values are read in the arena instead ({@code InPlaceValues}), without a copy; the
 * estimate still counts one, which errs on the side of the budget.
 * When that does not fit the budget, or the copies do not fit the JVM's heap, both models run in passes instead
 * ({@link RunnerSettings#passBytes()}): each pass holds a part of the model's intermediates in the runtime, and every
 * captured value goes to a {@link TensorSpill} on disk as its pass ends, read back as the alignment, the judging and
 * isolation need it. The values are the same either way, so is the report (but for {@link CaptureMemory}).
 *
 * <p>The budget is shared out: half for a pass (the two models' passes run one after the other), a quarter for the
 * values read back, a quarter for the comparison's own copies (a pair's values in one layout, an isolated chain's
 * feeds).
 */
final class CapturePlan {
    /** Bytes of a captured value: everything is compared as float32. */
    private static final long VALUE_BYTES = 4;
    /** Of the machine's available memory, what a run takes by default: the rest is the two models and the JVM. */
    private static final double DEFAULT_SHARE = 0.75;
    /** The share of the budget a pass may hold (class comment). */
    private static final int PASS_SHARE = 2;
    /** The share of the budget the values read back from disk may hold (class comment). */
    private static final int RESIDENT_SHARE = 4;
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private final long budget;
    private final String budgetFrom;
    private final long estimate;
    private final long passBytes;
    private final TensorSpill spill;

    private CapturePlan(long budget, String budgetFrom, long estimate, long passBytes, TensorSpill spill) {
        this.budget = budget;
        this.budgetFrom = budgetFrom;
        this.estimate = estimate;
        this.passBytes = passBytes;
        this.spill = spill;
    }

    /**
     * @param maxMemory the budget asked for ({@code --max-memory}); empty for the default, three quarters of the
     *     memory this machine has available (the JVM's heap where that is unknown)
     * @param tfliteValues the TFLite model's captured values at the bound input shapes. Empty where unknown: the
     *     capture is held whole
     * @param onnxPerTflite how many values the ONNX model holds for each TFLite one: the ONNX model computes the same
     *     network, in as many tensors of about the same size as it has node outputs for the TFLite model's operator
     *     outputs (a converter fuses a Conv and its Relu into one CONV_2D: twice as many), and at least as many
     * @param largestValues the values of the TFLite model's largest such tensor
     * @throws BadInputException when the budget is below what one pass needs: half of it must hold the largest tensor
     *     twice (an operator's input and output)
     * @throws ModelFailureException when the spill's temporary file cannot be made
     */
    static CapturePlan of(OptionalLong maxMemory, OptionalLong tfliteValues, OptionalLong largestValues,
            double onnxPerTflite) throws BadInputException, ModelFailureException {
        String from = maxMemory.isPresent() ? "--max-memory" : "available memory";
        long budget = maxMemory.isPresent() ? maxMemory.getAsLong() : defaultBudget();
        if (tfliteValues.isEmpty()) {
            return new CapturePlan(budget, from, -1, 0, null);
        }
        long javaCopies = (long) ((1 + Math.max(1, onnxPerTflite)) * tfliteValues.getAsLong() * VALUE_BYTES);
        long estimate = 2 * javaCopies;
        long minimum = PASS_SHARE * 2 * largestValues.orElse(0) * VALUE_BYTES;
        if (budget < minimum) {
            String have = ByteSize.format(budget);
            String need = ByteSize.format(minimum);
            if (have.equals(need)) {
                have += " (" + budget + " bytes)";
                need += " (" + minimum + " bytes)";
            }
            throw new BadInputException(String.format(Locale.ROOT, "%s is below the %s a layer-by-layer run of these"
                    + " models at these input shapes needs at least (a pass of each model holds the largest tensor, %s,"
                    + " as an operator's input and output, in half the budget): %s",
                    maxMemory.isPresent() ? "--max-memory " + have
                            : "the default budget, three quarters of the memory this machine has available, " + have,
                    need, ByteSize.format(largestValues.orElse(0) * VALUE_BYTES), maxMemory.isPresent()
                            ? "give a larger --max-memory, a smaller batch, or --outputs-only"
                            : "use --outputs-only or a smaller batch"));
        }
        long heapLeft = heapLeft();
        if (estimate <= budget && javaCopies <= heapLeft) {
            return new CapturePlan(budget, from, estimate, 0, null);
        }
        return new CapturePlan(budget, from, estimate, budget / PASS_SHARE,
                TensorSpill.open(Math.min(budget, heapLeft) / RESIDENT_SHARE));
    }

    /** A capture held whole, within the default budget, whatever the models' size. */
    static CapturePlan whole() {
        return new CapturePlan(defaultBudget(), "available memory", -1, 0, null);
    }

    /** Whether the models run in passes, their values kept on disk. */
    boolean inPasses() {
        return spill != null;
    }

    /** {@code settings} for an instrumented run under this plan: held to a pass's bytes when in passes. */
    RunnerSettings instrumented(RunnerSettings settings) {
        return settings.instrumented().withPassBytes(passBytes);
    }

    /** What an instrumented run hands each captured value to: the spill when in passes, else nothing. */
    BiFunction<String, Tensor, Tensor> keep() {
        return spill == null ? (name, value) -> value : (name, value) -> spill.keep(value);
    }

    /** What the report says of the budget and how the capture of runs in these passes kept to it. */
    CaptureMemory memory(int onnxPasses, int tflitePasses) {
        return new CaptureMemory(budget, budgetFrom, estimate < 0 ? null : estimate, passBytes, onnxPasses,
                tflitePasses, spill == null ? 0 : spill.bytesWritten());
    }

    /** Three quarters of the memory this machine has available now; the JVM's heap where that is unknown. */
    static long defaultBudget() {
        OptionalLong available = memoryAvailable();
        return available.isPresent() ? (long) (DEFAULT_SHARE * available.getAsLong()) : Runtime.getRuntime().maxMemory();
    }

    private static long heapLeft() {
        Runtime rt = Runtime.getRuntime();
        return rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
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
}
