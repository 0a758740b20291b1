package org.tensorparity.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.tensorparity.compare.Comparison;
import org.tensorparity.compare.TensorComparator;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorPermuter;

/**
 * Comparison throughput next to a plain array-copy baseline measured in the same run (issue 3's target:
 * comparing at least half as fast as copying). A benchmark, not a test: it asserts nothing and takes about
 * ten seconds.
 *
 * <p>Workloads: the activations of a conv net (63 NCHW tensors, 1.09 M elements, from 12x60x60 down to
 * 192x4x4) and one 16.8 M-element tensor ({@code [1,64,512,512]}, larger than the L3 cache). For each,
 * three timings over the same data, interleaved so that machine noise hits them alike:
 *
 * <ul>
 *   <li><b>copy</b>: {@code System.arraycopy} of both the reference and the candidate array into spare
 *       arrays;
 *   <li><b>aligned</b>: {@link TensorComparator#compare} of tensors in the same layout under the default
 *       rule (the pair passes, the common case);
 *   <li><b>NCHW-&gt;NHWC</b>: the same comparison with the candidate stored NHWC, which includes transposing
 *       it back (also shown alone as <b>transpose</b>).
 * </ul>
 *
 * Throughput counts the bytes of both operands: 8 bytes per element pair (4 of the reference, 4 of the
 * candidate), for the copy too, which reads those same bytes (and writes as many). Each figure is the
 * median of the repetitions after warm-up; ratios are to the copy of the same workload.
 */
public final class ComparisonThroughputBench {
    private static final int WARMUP_SECONDS = 3;
    private static final int REPETITIONS = 15;

    private ComparisonThroughputBench() {}

    public static void main(String[] args) {
        run(System.out);
    }

    /** Runs every workload and prints one table to {@code out}. */
    public static void run(PrintStream out) {
        out.printf(Locale.ROOT, "comparison throughput: JDK %s, %s %s, %d cpus, max heap %d MB%n",
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        out.println("GB/s count both operands (8 bytes per element pair); each figure is the median of "
                + REPETITIONS + " runs after " + WARMUP_SECONDS + " s of warm-up; (x) = ratio to copy");
        out.printf(Locale.ROOT, "%-34s %11s %9s %16s %16s %16s%n",
                "workload", "elements", "copy", "aligned", "NCHW->NHWC", "transpose");
        List<Workload> workloads = List.of(Workload.convNet(), Workload.single(Shape.of(1, 64, 512, 512)));
        for (Workload w : workloads) {
            Result r = w.measure();
            out.printf(Locale.ROOT, "%-34s %,11d %9s %16s %16s %16s%n", w.name, w.elements,
                    gbps(w.elements, r.copyNanos),
                    gbps(w.elements, r.alignedNanos) + " (" + ratio(r.copyNanos, r.alignedNanos) + ")",
                    gbps(w.elements, r.permutedNanos) + " (" + ratio(r.copyNanos, r.permutedNanos) + ")",
                    gbps(w.elements, r.transposeNanos) + " (" + ratio(r.copyNanos, r.transposeNanos) + ")");
            out.printf(Locale.ROOT, "%-34s %11s %9s %16s %16s %16s%n", "  median time per workload", "",
                    ms(r.copyNanos), ms(r.alignedNanos), ms(r.permutedNanos), ms(r.transposeNanos));
        }
    }

    private static String gbps(long elements, long nanos) {
        return String.format(Locale.ROOT, "%.1f", 8.0 * elements / nanos);
    }

    private static String ratio(long baselineNanos, long nanos) {
        return String.format(Locale.ROOT, "%.2fx", (double) baselineNanos / nanos);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    private record Result(long copyNanos, long alignedNanos, long permutedNanos, long transposeNanos) {}

    /** A set of reference tensors (NCHW) with a passing candidate in both layouts. */
    private static final class Workload {
        final String name;
        final long elements;
        final List<Tensor> references = new ArrayList<>();
        final List<Tensor> candidates = new ArrayList<>();
        final List<Tensor> candidatesNhwc = new ArrayList<>();
        final List<float[]> spareA = new ArrayList<>();
        final List<float[]> spareB = new ArrayList<>();
        private final ToleranceRule rule = ToleranceRule.defaultRule();
        /** Keeps results reachable so the JIT cannot drop the work. */
        long sink;

        private Workload(String name, List<Shape> shapes, long seed) {
            this.name = name;
            Random rnd = new Random(seed);
            long total = 0;
            for (Shape s : shapes) {
                int n = (int) s.elementCount();
                total += n;
                float[] ref = new float[n];
                float[] cand = new float[n];
                for (int i = 0; i < n; i++) {
                    float v = (float) rnd.nextGaussian();
                    ref[i] = (i & 1) == 0 ? Math.max(0f, v) : v; // half ReLU-like, half signed
                    cand[i] = (float) (ref[i] * (1 + 1e-6 * rnd.nextGaussian()));
                }
                Tensor candidate = Tensor.of(s, cand);
                references.add(Tensor.of(s, ref));
                candidates.add(candidate);
                candidatesNhwc.add(TensorPermuter.permute(candidate, Permutation.NCHW_TO_NHWC));
                spareA.add(new float[n]);
                spareB.add(new float[n]);
            }
            this.elements = total;
        }

        /** 63 activations of a small conv net: five stages, channels doubling as the map halves. */
        static Workload convNet() {
            int[][] stages = {{12, 60, 13}, {24, 30, 13}, {48, 15, 13}, {96, 8, 12}, {192, 4, 12}}; // C, H=W, count
            List<Shape> shapes = new ArrayList<>();
            for (int[] st : stages) {
                for (int k = 0; k < st[2]; k++) {
                    shapes.add(Shape.of(1, st[0], st[1], st[1]));
                }
            }
            return new Workload("conv net: 63 tensors", shapes, 1);
        }

        static Workload single(Shape shape) {
            return new Workload("one tensor " + shape, List.of(shape), 2);
        }

        Result measure() {
            long warmupEnd = System.nanoTime() + WARMUP_SECONDS * 1_000_000_000L;
            while (System.nanoTime() < warmupEnd) {
                copy();
                aligned();
                permuted();
                transpose();
            }
            long[] copy = new long[REPETITIONS];
            long[] aligned = new long[REPETITIONS];
            long[] permuted = new long[REPETITIONS];
            long[] transpose = new long[REPETITIONS];
            for (int r = 0; r < REPETITIONS; r++) {
                copy[r] = time(this::copy);
                aligned[r] = time(this::aligned);
                permuted[r] = time(this::permuted);
                transpose[r] = time(this::transpose);
            }
            if (sink == 42) {
                System.out.print("");
            }
            return new Result(median(copy), median(aligned), median(permuted), median(transpose));
        }

        private void copy() {
            for (int i = 0; i < references.size(); i++) {
                float[] r = references.get(i).data();
                float[] c = candidates.get(i).data();
                System.arraycopy(r, 0, spareA.get(i), 0, r.length);
                System.arraycopy(c, 0, spareB.get(i), 0, c.length);
                sink += (long) spareB.get(i)[r.length - 1];
            }
        }

        private void aligned() {
            for (int i = 0; i < references.size(); i++) {
                Comparison c = TensorComparator.compare(references.get(i), candidates.get(i), rule);
                sink += c.metrics().violations();
            }
        }

        private void permuted() {
            for (int i = 0; i < references.size(); i++) {
                Comparison c = TensorComparator.compare(references.get(i), candidatesNhwc.get(i),
                        Permutation.NCHW_TO_NHWC, rule);
                sink += c.metrics().violations();
            }
        }

        private void transpose() {
            for (int i = 0; i < references.size(); i++) {
                Tensor c = candidatesNhwc.get(i);
                TensorPermuter.permuteInto(c.data(), c.shape(), Permutation.NHWC_TO_NCHW, spareA.get(i));
                sink += (long) spareA.get(i)[0];
            }
        }

        private static long time(Runnable work) {
            long t0 = System.nanoTime();
            work.run();
            return System.nanoTime() - t0;
        }

        private static long median(long[] values) {
            long[] v = values.clone();
            Arrays.sort(v);
            return v[v.length / 2];
        }
    }
}
