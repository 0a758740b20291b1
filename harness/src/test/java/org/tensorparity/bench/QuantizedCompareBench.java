package org.tensorparity.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorparity.compare.Comparison;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.QuantizationSteps;
import org.tensorparity.compare.TensorComparator;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Quantization;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * What reading a quantized candidate adds to comparing it (issue 16: dequantization adds less than 10% to
 * compare time). The same activations as {@link ComparisonThroughputBench}'s conv net (63 NCHW tensors,
 * 1.09 M elements), each candidate stored as int8 codes of its own scale, as TFLite quantizes activations
 * (per tensor). Two timings over the same data, interleaved so machine noise hits them alike:
 *
 * <ul>
 *   <li><b>compare</b>: {@link TensorComparator#compare} of the float reference with the candidate's real
 *       values, under the integer profile's rule;
 *   <li><b>dequantize + steps</b>: what a quantized candidate costs on top: turning its codes into real
 *       values ({@link Tensor#fromCodes}, in the array the codes were read into) and its figures in
 *       quantization steps with the clipped share ({@link QuantizationSteps#of}). Timed with a copy of the
 *       codes into that array, which stands for reading the tensor out of the interpreter (a float tensor
 *       is read too), and that copy, timed alone beside it, is subtracted.
 * </ul>
 *
 * Each figure is the median of the repetitions after warm-up. A benchmark, not a test: it asserts nothing.
 */
public final class QuantizedCompareBench {
    private static final int WARMUP_SECONDS = 3;
    private static final int REPETITIONS = 15;

    private QuantizedCompareBench() {}

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        Workload w = new Workload();
        long[] compare = new long[REPETITIONS];
        long[] dequantize = new long[REPETITIONS];
        long[] copy = new long[REPETITIONS];
        long warmupEnd = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < warmupEnd) {
            w.compare();
            w.dequantize();
            w.copy();
        }
        for (int r = 0; r < REPETITIONS; r++) {
            long t0 = System.nanoTime();
            w.dequantize();
            long t1 = System.nanoTime();
            w.compare();
            long t2 = System.nanoTime();
            w.copy();
            long t3 = System.nanoTime();
            dequantize[r] = t1 - t0;
            compare[r] = t2 - t1;
            copy[r] = t3 - t2;
        }
        long c = median(compare);
        long d = Math.max(0, median(dequantize) - median(copy));
        out.printf(Locale.ROOT, "conv net: 63 int8 tensors, %,d elements: compare %.2f ms, dequantize + steps %.2f ms"
                + " = %.1f%% of compare (target < 10%%)%n", w.elements, c / 1e6, d / 1e6, 100.0 * d / c);
        if (w.sink == 42) {
            out.print("");
        }
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static final class Workload {
        final List<Tensor> references = new ArrayList<>();
        final List<Tensor> candidates = new ArrayList<>();
        final List<float[]> codes = new ArrayList<>();
        final List<Quantization> quantizations = new ArrayList<>();
        final List<Shape> shapes = new ArrayList<>();
        final List<ErrorMetrics> metrics = new ArrayList<>();
        /** Where each tensor's codes are read to, as the interpreter's output is copied to the heap. */
        final List<float[]> read = new ArrayList<>();
        final ToleranceRule rule = ToleranceRule.parse("profile:integer");
        long elements;
        long sink;

        Workload() {
            Random rnd = new Random(1);
            int[][] stages = {{12, 60, 13}, {24, 30, 13}, {48, 15, 13}, {96, 8, 12}, {192, 4, 12}}; // C, H=W, count
            for (int[] st : stages) {
                for (int k = 0; k < st[2]; k++) {
                    Shape s = Shape.of(1, st[0], st[1], st[1]);
                    int n = (int) s.elementCount();
                    float[] ref = new float[n];
                    float max = 0;
                    for (int i = 0; i < n; i++) {
                        ref[i] = (float) rnd.nextGaussian();
                        max = Math.max(max, Math.abs(ref[i]));
                    }
                    Quantization q = Quantization.perTensor(DType.INT8, max / 127, 0);
                    float[] c = q.quantize(ref, s);
                    references.add(Tensor.of(s, ref));
                    codes.add(c);
                    quantizations.add(q);
                    shapes.add(s);
                    read.add(new float[n]);
                    candidates.add(Tensor.fromCodes(s, c.clone(), q));
                    metrics.add(TensorComparator.compare(references.get(references.size() - 1),
                            candidates.get(candidates.size() - 1), rule).metrics());
                    elements += n;
                }
            }
        }

        void compare() {
            for (int i = 0; i < references.size(); i++) {
                Comparison c = TensorComparator.compare(references.get(i), candidates.get(i), rule);
                sink += c.metrics().violations();
            }
        }

        void copy() {
            for (int i = 0; i < references.size(); i++) {
                float[] c = codes.get(i);
                System.arraycopy(c, 0, read.get(i), 0, c.length);
                sink += (long) read.get(i)[0];
            }
        }

        void dequantize() {
            for (int i = 0; i < references.size(); i++) {
                float[] c = codes.get(i);
                System.arraycopy(c, 0, read.get(i), 0, c.length);
                Tensor candidate = Tensor.fromCodes(shapes.get(i), read.get(i), quantizations.get(i));
                QuantizationSteps steps = QuantizationSteps.of(metrics.get(i), references.get(i), candidate);
                sink += (long) candidate.data()[0] + (long) steps.clippedShare();
            }
        }
    }
}
