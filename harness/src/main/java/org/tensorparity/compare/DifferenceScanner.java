package org.tensorparity.compare;

import java.util.Arrays;

/**
 * The comparison kernel: statistics of {@code ref[i]} against {@code cand[i]} for {@code i < n}, in one
 * pass, then the rule's violations.
 *
 * <p><b>How it is fast.</b> JDK 17's JIT vectorizes a loop only when every array in it is indexed by the
 * same expression and the body is small, and it does not keep float reductions in vector registers. So
 * the data is processed in blocks of {@link #BLOCK} pairs: each block is copied into two L1-resident
 * buffers, and four small loops fold it element-wise into <em>lanes</em>, arrays of {@code BLOCK} partial
 * results (sums, minima, maxima). Lane {@code j} sees the <em>stripe</em> of offsets
 * {@code j, j + BLOCK, j + 2*BLOCK, ...}. Float sums are added up pairwise and drained into doubles every
 * {@link #FLUSH_BLOCKS} blocks. Nothing in the hot loops branches or tracks an index: the position of a
 * maximum is found afterwards by searching only the stripes whose lane holds it, and violations are
 * counted only in stripes whose lane maximum exceeds the allowance (none when a tensor passes). A 256-pair
 * block measured a little faster than 128 or 512.
 *
 * <p><b>When it is not used.</b> The blocked pass assumes finite values no larger than 2^60 (so float
 * squares cannot overflow). Its own minima and maxima tell afterwards whether that held; if not (a NaN, an
 * infinity, a huge value) the pass is discarded and {@link #slowScan} redoes the range element by element
 * in double precision. Sums of squares whose terms would underflow float32 (tensors around 1e-12 and
 * below) are recomputed in double. The last {@code n % BLOCK} pairs always take the slow path, so the
 * results do not depend on which path ran beyond float32 summation order.
 *
 * <p><b>Profile.</b> Each block's {@code |d|}, already computed by the first lane loop, is handed to an
 * {@link ErrorProfiler} while it is in L1, so the error histogram and the per-channel maxima cost no second
 * pass over memory.
 *
 * <p>Not thread-safe: each instance owns its lanes and remembers its last scan for
 * {@link #countViolations} (until {@link #forget}). {@link TensorComparator} keeps one per thread.
 *
 * <p>It stays one class beyond the 400 lines the code base otherwise keeps to: the blocked pass, the search of the
 * stripes and the slow path share the lane buffers and one invariant (the slow path redoes exactly what the fast
 * path cannot vouch for), which split across files would be checked nowhere.
 */
final class DifferenceScanner {
    static final int BLOCK = 256;
    private static final int FLUSH_BLOCKS = 32;
    private static final float FAST_LIMIT = 0x1p60f;
    private static final double TINY = 0x1p-40;
    private static final float REL_CAP = 0x1p64f;

    private float[] rb;
    private float[] cb;
    /** |d| of the current block, for the profiler. */
    private float[] db;

    private float[] laneSumAbs;
    private float[] laneSumSq;
    private float[] laneSumRef2;
    private float[] laneSumCand2;
    private float[] laneSumDot;
    private float[] laneMaxAbs;
    private float[] laneMaxRel;
    private float[] laneMaxExcess;
    private float[] laneRefMin;
    private float[] laneRefMax;
    private float[] laneCandMin;
    private float[] laneCandMax;

    private double sumAbs;
    private double sumSq;
    private double sumRef2;
    private double sumCand2;
    private double sumDot;
    private float refMin;
    private float refMax;
    private float candMin;
    private float candMax;

    // The last scan, for countViolations; the profiler only during it.
    private ErrorProfiler profiler;
    private float[] ref;
    private float[] cand;
    private int n;
    private float rtol;
    /** Pairs [0, fastEnd) were scanned in blocks and their lanes are valid; 0 when none were. */
    private int fastEnd;

    /**
     * Scans {@code ref[0..n)} against {@code cand[0..n)}.
     *
     * @param rtol the rule's relative allowance (float32), so that violations can be located later
     * @param profiler receives every pair once, in offset order (already {@link ErrorProfiler#reset reset})
     */
    PairStatistics scan(float[] ref, float[] cand, int n, float rtol, ErrorProfiler profiler) {
        this.ref = ref;
        this.cand = cand;
        this.n = n;
        this.rtol = rtol;
        this.profiler = profiler;
        int full = n - n % BLOCK;
        fastEnd = full > 0 && blockedPass(full) ? full : 0;
        PairStatistics stats = fastEnd > 0 ? blockedStatistics(fastEnd) : new PairStatistics();
        if (fastEnd < n) {
            stats.merge(slowScan(ref, cand, fastEnd, n));
            if (full > 0 && fastEnd == 0) {
                profiler.clear(); // the discarded pass profiled values it could not take
            }
            profiler.add(ref, cand, fastEnd, n);
        }
        return stats;
    }

    /** Drops the references to the last scan's arrays (the lanes are kept for the next scan). */
    void forget() {
        ref = null;
        cand = null;
        profiler = null;
        n = 0;
        fastEnd = 0;
    }

    /** Violations of the last scan's data under {@code |d| - rtol*|r| > atol}, and the first offset. */
    long[] countViolations(double atol) {
        long count = 0;
        long first = -1;
        if (fastEnd > 0) {
            float[] lane = rtol == 0f ? laneMaxAbs : laneMaxExcess;
            for (int j = 0; j < BLOCK; j++) {
                if (lane[j] > atol) {
                    for (int i = j; i < fastEnd; i += BLOCK) {
                        if (violates(ref[i], cand[i], rtol, atol)) {
                            count++;
                            if (first < 0 || i < first) {
                                first = i;
                            }
                        }
                    }
                }
            }
        }
        for (int i = fastEnd; i < n; i++) {
            float a = ref[i];
            float b = cand[i];
            if (Float.isFinite(a) && Float.isFinite(b) && violates(a, b, rtol, atol)) {
                count++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        return new long[] {count, first};
    }

    /** The per-element rule of {@link ToleranceRule}, for a finite pair. */
    static boolean violates(float a, float b, float rtol, double atol) {
        float d = a - b;
        if (Float.isFinite(d)) {
            return Math.abs(d) - rtol * Math.abs(a) > atol;
        }
        return Math.abs((double) a - (double) b) - (double) rtol * Math.abs(a) > atol;
    }

    // ---------------------------------------------------------------- blocked pass

    /**
     * Runs the blocked pass over [0, full), handing every block's |d| to the profiler; false if its
     * assumptions (finite, |x| <= 2^60) failed.
     */
    private boolean blockedPass(int full) {
        if (rb == null) {
            allocateLanes();
        }
        Arrays.fill(laneMaxAbs, 0f);
        Arrays.fill(laneMaxRel, 0f);
        Arrays.fill(laneMaxExcess, Float.NEGATIVE_INFINITY);
        Arrays.fill(laneRefMin, Float.POSITIVE_INFINITY);
        Arrays.fill(laneRefMax, Float.NEGATIVE_INFINITY);
        Arrays.fill(laneCandMin, Float.POSITIVE_INFINITY);
        Arrays.fill(laneCandMax, Float.NEGATIVE_INFINITY);
        Arrays.fill(laneSumAbs, 0f);
        Arrays.fill(laneSumSq, 0f);
        Arrays.fill(laneSumRef2, 0f);
        Arrays.fill(laneSumCand2, 0f);
        Arrays.fill(laneSumDot, 0f);
        sumAbs = 0;
        sumSq = 0;
        sumRef2 = 0;
        sumCand2 = 0;
        sumDot = 0;
        // Groups of FLUSH_BLOCKS blocks; the loops that fold blocks contain no calls the JIT might not
        // inline (a call there stopped it from vectorizing the lane loops).
        int groupLength = FLUSH_BLOCKS * BLOCK;
        for (int g = 0; g < full; g += groupLength) {
            int end = Math.min(full, g + groupLength);
            if (rtol == 0f) {
                foldBlocks(g, end);
            } else {
                foldBlocksWithExcess(g, end, rtol);
            }
            drainSums();
        }
        refMin = reduceMin(laneRefMin);
        refMax = reduceMax(laneRefMax);
        candMin = reduceMin(laneCandMin);
        candMax = reduceMax(laneCandMax);
        // NaN fails every comparison, and Math.min/max propagate it through the lanes.
        return refMin >= -FAST_LIMIT && refMax <= FAST_LIMIT && candMin >= -FAST_LIMIT && candMax <= FAST_LIMIT;
    }

    /** Lanes exist only for tensors of at least one block: 15 arrays of 1 KB, which stay in L1. */
    private void allocateLanes() {
        rb = new float[BLOCK];
        cb = new float[BLOCK];
        db = new float[BLOCK];
        laneSumAbs = new float[BLOCK];
        laneSumSq = new float[BLOCK];
        laneSumRef2 = new float[BLOCK];
        laneSumCand2 = new float[BLOCK];
        laneSumDot = new float[BLOCK];
        laneMaxAbs = new float[BLOCK];
        laneMaxRel = new float[BLOCK];
        laneMaxExcess = new float[BLOCK];
        laneRefMin = new float[BLOCK];
        laneRefMax = new float[BLOCK];
        laneCandMin = new float[BLOCK];
        laneCandMax = new float[BLOCK];
    }

    private void foldBlocks(int from, int to) {
        for (int s0 = from; s0 < to; s0 += BLOCK) {
            System.arraycopy(ref, s0, rb, 0, BLOCK);
            System.arraycopy(cand, s0, cb, 0, BLOCK);
            differenceLanes(rb, cb, db, laneSumAbs, laneSumSq, laneMaxAbs);
            valueLanes(rb, laneSumRef2, laneRefMin, laneRefMax);
            valueLanes(cb, laneSumCand2, laneCandMin, laneCandMax);
            crossLanes(rb, cb, laneSumDot, laneMaxRel);
            profiler.addBlock(db, s0);
        }
    }

    private void foldBlocksWithExcess(int from, int to, float rtol) {
        for (int s0 = from; s0 < to; s0 += BLOCK) {
            System.arraycopy(ref, s0, rb, 0, BLOCK);
            System.arraycopy(cand, s0, cb, 0, BLOCK);
            differenceLanes(rb, cb, db, laneSumAbs, laneSumSq, laneMaxAbs);
            valueLanes(rb, laneSumRef2, laneRefMin, laneRefMax);
            valueLanes(cb, laneSumCand2, laneCandMin, laneCandMax);
            crossLanes(rb, cb, laneSumDot, laneMaxRel);
            excessLanes(rb, cb, rtol, laneMaxExcess);
            profiler.addBlock(db, s0);
        }
    }

    private static void differenceLanes(float[] rb, float[] cb, float[] db, float[] sumAbs, float[] sumSq,
            float[] maxAbs) {
        for (int j = 0; j < BLOCK; j++) {
            float d = rb[j] - cb[j];
            float ad = Math.abs(d);
            db[j] = ad;
            sumAbs[j] += ad;
            sumSq[j] += d * d;
            maxAbs[j] = Math.max(maxAbs[j], ad);
        }
    }

    private static void valueLanes(float[] x, float[] sum2, float[] min, float[] max) {
        for (int j = 0; j < BLOCK; j++) {
            float v = x[j];
            sum2[j] += v * v;
            min[j] = Math.min(min[j], v);
            max[j] = Math.max(max[j], v);
        }
    }

    /**
     * Dot product and relative error. The quotient excludes r == 0 without a branch, and without dividing
     * by a subnormal number (which costs the CPU a slow path): both operands are scaled by 2^24, exactly,
     * so that the denominator {@code |r| * 2^24} is a normal number whenever r != 0, and
     * {@code max(.., MIN_NORMAL)} only ever replaces a zero; the numerator {@code min(|d|, |r| * 2^64)} is 0
     * when r == 0. The quotient is therefore the float32 quotient {@code |d| / |r|} exactly, capped at 2^64
     * (a capped stripe is searched exactly afterwards like any other holding the maximum).
     */
    private static void crossLanes(float[] rb, float[] cb, float[] sumDot, float[] maxRel) {
        for (int j = 0; j < BLOCK; j++) {
            float a = rb[j];
            float b = cb[j];
            sumDot[j] += a * b;
            float ar = Math.abs(a) * 0x1p24f;
            float q = Math.min(Math.abs(a - b) * 0x1p24f, ar * REL_CAP) / Math.max(ar, Float.MIN_NORMAL);
            maxRel[j] = Math.max(maxRel[j], q);
        }
    }

    private static void excessLanes(float[] rb, float[] cb, float rtol, float[] maxExcess) {
        for (int j = 0; j < BLOCK; j++) {
            float a = rb[j];
            maxExcess[j] = Math.max(maxExcess[j], Math.abs(a - cb[j]) - rtol * Math.abs(a));
        }
    }

    private void drainSums() {
        sumAbs += drain(laneSumAbs);
        sumSq += drain(laneSumSq);
        sumRef2 += drain(laneSumRef2);
        sumCand2 += drain(laneSumCand2);
        sumDot += drain(laneSumDot);
    }

    /** The sum of a lane array, which is then zeroed. */
    private static double drain(float[] lane) {
        double s = reduceSum(lane);
        Arrays.fill(lane, 0f);
        return s;
    }

    // Lane reductions halve the array in place with constant offsets (so that they vectorize) down to
    // 32 values, then finish in a scalar loop. They overwrite their argument. BLOCK must be 256.

    private static float reduceSum(float[] w) {
        for (int j = 0; j < 128; j++) {
            w[j] += w[j + 128];
        }
        for (int j = 0; j < 64; j++) {
            w[j] += w[j + 64];
        }
        for (int j = 0; j < 32; j++) {
            w[j] += w[j + 32];
        }
        float m = 0;
        for (int j = 0; j < 32; j++) {
            m += w[j];
        }
        return m;
    }

    private static float reduceMin(float[] w) {
        for (int j = 0; j < 128; j++) {
            w[j] = Math.min(w[j], w[j + 128]);
        }
        for (int j = 0; j < 64; j++) {
            w[j] = Math.min(w[j], w[j + 64]);
        }
        for (int j = 0; j < 32; j++) {
            w[j] = Math.min(w[j], w[j + 32]);
        }
        float m = w[0];
        for (int j = 1; j < 32; j++) {
            m = Math.min(m, w[j]);
        }
        return m;
    }

    private static float reduceMax(float[] w) {
        for (int j = 0; j < 128; j++) {
            w[j] = Math.max(w[j], w[j + 128]);
        }
        for (int j = 0; j < 64; j++) {
            w[j] = Math.max(w[j], w[j + 64]);
        }
        for (int j = 0; j < 32; j++) {
            w[j] = Math.max(w[j], w[j + 32]);
        }
        float m = w[0];
        for (int j = 1; j < 32; j++) {
            m = Math.max(m, w[j]);
        }
        return m;
    }

    /** The maximum of a lane array that must be kept: reduced in the block buffer, which is free by now. */
    private float maxOfKept(float[] lane) {
        System.arraycopy(lane, 0, rb, 0, BLOCK);
        return reduceMax(rb);
    }

    /** Statistics of a successful blocked pass over [0, full), with exact positions and repairs. */
    private PairStatistics blockedStatistics(int full) {
        PairStatistics s = new PairStatistics();
        s.count = full;
        s.finiteCount = full;
        s.refMin = refMin;
        s.refMax = refMax;
        s.candMin = candMin;
        s.candMax = candMax;
        s.sumAbs = sumAbs;
        s.sumSq = sumSq;
        s.sumRef2 = sumRef2;
        s.sumCand2 = sumCand2;
        s.sumDot = sumDot;

        float maxAbs = maxOfKept(laneMaxAbs);
        s.maxAbs = maxAbs;
        s.maxAbsIndex = firstOffsetOf(maxAbs, full);
        s.maxRel = exactMaxRel(full);

        if (maxAbs > 0 && maxAbs < TINY) {
            s.sumSq = exactSumSq(ref, cand, 0, full);
        }
        double refScale = s.refScale();
        double candScale = s.candScale();
        if ((refScale > 0 && refScale < TINY) || (candScale > 0 && candScale < TINY)) {
            exactSquares(s, 0, full);
        }
        return s;
    }

    /** The first offset in [0, full) whose |d| equals {@code value}, searching only the stripes that hold it. */
    private long firstOffsetOf(float value, int full) {
        long best = -1;
        for (int j = 0; j < BLOCK; j++) {
            if (laneMaxAbs[j] == value && (best < 0 || j < best)) {
                for (int i = j; i < full; i += BLOCK) {
                    if (Math.abs(ref[i] - cand[i]) == value) {
                        if (best < 0 || i < best) {
                            best = i;
                        }
                        break;
                    }
                }
            }
        }
        return best;
    }

    /**
     * The exact (double) maximum of |d| / |r|. The float lanes only tell which stripes can hold it: those at
     * the lane maximum, since rounding is monotone; a quotient beyond the cap makes the cap the maximum.
     */
    private double exactMaxRel(int full) {
        float laneMax = maxOfKept(laneMaxRel);
        if (laneMax == 0f) {
            return 0.0;
        }
        double best = 0;
        for (int j = 0; j < BLOCK; j++) {
            if (laneMaxRel[j] == laneMax) {
                for (int i = j; i < full; i += BLOCK) {
                    float a = ref[i];
                    if (a != 0f) {
                        best = Math.max(best, (double) Math.abs(a - cand[i]) / Math.abs(a));
                    }
                }
            }
        }
        return best;
    }

    private static double exactSumSq(float[] ref, float[] cand, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            double d = Math.abs(ref[i] - cand[i]);
            s += d * d;
        }
        return s;
    }

    private void exactSquares(PairStatistics s, int from, int to) {
        double rr = 0;
        double cc = 0;
        double rc = 0;
        for (int i = from; i < to; i++) {
            double a = ref[i];
            double b = cand[i];
            rr += a * a;
            cc += b * b;
            rc += a * b;
        }
        s.sumRef2 = rr;
        s.sumCand2 = cc;
        s.sumDot = rc;
    }

    // ---------------------------------------------------------------- exact path

    /** Element-by-element statistics of [from, to) in double precision; handles every value. */
    static PairStatistics slowScan(float[] ref, float[] cand, int from, int to) {
        PairStatistics s = new PairStatistics();
        s.count = to - from;
        for (int i = from; i < to; i++) {
            float a = ref[i];
            float b = cand[i];
            boolean fa = Float.isFinite(a);
            boolean fb = Float.isFinite(b);
            if (fa) {
                s.refMin = Math.min(s.refMin, a);
                s.refMax = Math.max(s.refMax, a);
            } else if (a != a) {
                s.refNan++;
            } else {
                s.refInf++;
            }
            if (fb) {
                s.candMin = Math.min(s.candMin, b);
                s.candMax = Math.max(s.candMax, b);
            } else if (b != b) {
                s.candNan++;
            } else {
                s.candInf++;
            }
            if (fa && fb) {
                s.finiteCount++;
                float df = a - b;
                double ad = Float.isFinite(df) ? Math.abs(df) : Math.abs((double) a - (double) b);
                s.sumAbs += ad;
                s.sumSq += ad * ad;
                s.sumRef2 += (double) a * a;
                s.sumCand2 += (double) b * b;
                s.sumDot += (double) a * b;
                if (ad > s.maxAbs) {
                    s.maxAbs = ad;
                    s.maxAbsIndex = i;
                }
                if (a != 0f) {
                    s.maxRel = Math.max(s.maxRel, ad / Math.abs(a));
                }
            } else {
                boolean match = a != a ? b != b : a == b;
                if (match) {
                    s.matchingNonFinite++;
                } else {
                    s.nonFiniteMismatches++;
                    if (s.firstMismatch < 0) {
                        s.firstMismatch = i;
                    }
                }
            }
        }
        return s;
    }
}
