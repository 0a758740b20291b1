package org.tensorparity.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Permutation;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorPermuter;
import org.tensorparity.testing.InPlaceTensors;

class TensorComparatorTest {
    private static final ToleranceRule DEFAULT = ToleranceRule.defaultRule();

    @Test
    void theWarmUpLeavesTheThreadsComparisonsAsTheyWere() {
        Shape shape = Shape.of(1, 8, 40, 40);
        Tensor reference = Tensor.of(shape, gaussian(new Random(3), Math.toIntExact(shape.elementCount()), 1f));
        Tensor candidate = TensorPermuter.permute(reference, Permutation.NCHW_TO_NHWC);
        candidate.data()[517] += 0.5f;
        Comparison before = TensorComparator.compare(reference, candidate, Permutation.NCHW_TO_NHWC, DEFAULT);

        TensorComparator.warmUp();

        assertEquals(before, TensorComparator.compare(reference, candidate, Permutation.NCHW_TO_NHWC, DEFAULT));
        assertEquals(Verdict.FAIL, before.verdict());
    }

    private static Tensor vec(float... v) {
        return Tensor.of(Shape.of(v.length), v);
    }

    // ------------------------------------------------------------ hand-computed

    @Test
    void metricsOfASmallPairComputedByHand() {
        // d = r - c = [-0.5, 0, 1, -0.25]
        Comparison c = TensorComparator.compare(vec(1, -2, 4, 0), vec(1.5f, -2, 3, 0.25f), DEFAULT);
        ErrorMetrics m = c.metrics();
        assertEquals(4, m.elementCount());
        assertEquals(4, m.finiteCount());
        assertEquals(1.0, m.maxAbs());
        assertEquals(1.75 / 4, m.meanAbs());
        assertEquals(Math.sqrt((0.25 + 0 + 1 + 0.0625) / 4), m.rmse(), 1e-15);
        assertEquals(0.5, m.maxRel()); // 0.5/1, 0/2, 1/4; the zero reference is excluded
        // dot 1.5+4+12+0 = 17.5, |r|^2 = 21, |c|^2 = 15.3125
        assertEquals(17.5 / Math.sqrt(21 * 15.3125), m.cosine(), 1e-12);
        assertEquals(4.0, m.scale());
        assertEquals(0.25, m.normalizedMaxError());
        assertEquals(new ValueRange(-2, 4, 0, 0), m.reference());
        assertEquals(new ValueRange(-2, 3, 0, 0), m.candidate());
        assertEquals(3, m.violations()); // 0.5, 1 and 0.25 all exceed 1e-3 * 4
        assertEquals(Verdict.FAIL, c.verdict());
        ElementPair w = m.worst();
        assertEquals(2, w.referenceFlatIndex());
        assertEquals(List.of(2), w.referenceIndex());
        assertEquals(4f, w.referenceValue());
        assertEquals(3f, w.candidateValue());
        assertEquals(0, c.firstViolation().referenceFlatIndex());
        assertEquals("max |a-b| 1 > 0.001 x scale 4 (at [2]: reference 4.0, candidate 3.0); 3 of 4 elements over", c.reason());
    }

    @Test
    void identicalTensorsPass() {
        Comparison c = TensorComparator.compare(vec(1, 2, 3), vec(1, 2, 3), DEFAULT);
        assertEquals(Verdict.PASS, c.verdict());
        assertEquals(0, c.metrics().maxAbs());
        assertEquals(0, c.metrics().violations());
        assertEquals(1.0, c.metrics().cosine(), 1e-15);
        assertEquals(0, c.metrics().worst().referenceFlatIndex());
        assertNull(c.firstViolation());
        assertEquals("max |a-b| 0 <= 0.001 x scale 3", c.reason());
    }

    @Test
    void theWorstElementIsTheFirstOfEqualErrors() {
        ErrorMetrics m = TensorComparator.compare(vec(0, 1, 0, 1), vec(0, 2, 0, 2), DEFAULT).metrics();
        assertEquals(1, m.worst().referenceFlatIndex());
    }

    @Test
    void theWorstElementIsTheFirstOfEqualErrorsInLargeTensorsToo() {
        int block = DifferenceScanner.BLOCK;
        float[] ref = new float[8 * block];
        float[] cand = new float[8 * block];
        cand[2 + block * 3] = 0.5f; // stripe 2, fourth block
        cand[5] = -0.5f; // stripe 5, first block: earlier
        cand[block + 100] = 0.25f;
        ErrorMetrics m = TensorComparator.compare(vec(ref), vec(cand), DEFAULT).metrics();
        assertEquals(5, m.worst().referenceFlatIndex());
        assertEquals(0.5, m.maxAbs());
    }

    @Test
    void relativeErrorsOfAnySizeAreExactInLargeTensors() {
        Random rnd = new Random(21);
        float[] ref = gaussian(rnd, 4096, 1f);
        float[] cand = noisy(rnd, ref, 1e-6);
        ref[1000] = 1e-25f;
        cand[1000] = 1f; // |d|/|r| = 1e25, beyond the kernel's 2^64 cap
        ref[3000] = 0f;
        cand[3000] = 5f; // a zero reference never counts
        assertMatchesOracle(ref, cand, DEFAULT);
        assertEquals(1.0 / 1e-25f, TensorComparator.compare(vec(ref), vec(cand), DEFAULT).metrics().maxRel(), 1e12);
    }

    // ------------------------------------------------------------ layouts

    @Test
    void aPermutedComparisonGivesTheMetricsOfComparingPrePermutedData() {
        Random rnd = new Random(7);
        Shape nchw = Shape.of(2, 8, 17, 19); // 5168 values: blocked path plus a tail (BLOCK is 256)
        float[] ref = gaussian(rnd, (int) nchw.elementCount(), 3f);
        float[] cand = ref.clone();
        for (int i = 0; i < cand.length; i++) {
            cand[i] += (float) (rnd.nextGaussian() * 1e-5);
        }
        cand[1234] += 0.5f;
        Tensor reference = Tensor.of(nchw, ref);
        Tensor alignedCandidate = Tensor.of(nchw, cand);
        Tensor nhwcCandidate = TensorPermuter.permute(alignedCandidate, Permutation.NCHW_TO_NHWC);

        Comparison direct = TensorComparator.compare(reference, alignedCandidate, DEFAULT);
        Comparison permuted = TensorComparator.compare(reference, nhwcCandidate, Permutation.NCHW_TO_NHWC, DEFAULT);

        assertEquals(withoutWorst(direct.metrics()), withoutWorst(permuted.metrics()));
        assertEquals(direct.verdict(), permuted.verdict());
        assertEquals(direct.reason(), permuted.reason());
        ElementPair dw = direct.metrics().worst();
        ElementPair pw = permuted.metrics().worst();
        assertEquals(1234, dw.referenceFlatIndex());
        assertEquals(dw.referenceFlatIndex(), pw.referenceFlatIndex());
        assertEquals(dw.referenceIndex(), pw.referenceIndex());
        assertEquals(dw.referenceValue(), pw.referenceValue());
        assertEquals(dw.candidateValue(), pw.candidateValue());
    }

    @Test
    void valuesReadInPlaceCompareAsTheirHeapCopiesInEitherLayout() {
        Random rnd = new Random(9);
        // The larger pair first: the thread's buffers are then longer than the smaller pair's values.
        for (Shape nchw : List.of(Shape.of(1, 16, 40, 40), Shape.of(2, 8, 17, 19))) {
            float[] ref = gaussian(rnd, (int) nchw.elementCount(), 3f);
            float[] cand = ref.clone();
            for (int i = 0; i < cand.length; i += 97) {
                cand[i] += (float) (rnd.nextGaussian() * 1e-2);
            }
            cand[cand.length / 3] = Float.NaN;
            Tensor reference = Tensor.of(nchw, ref);
            Tensor nhwc = TensorPermuter.permute(Tensor.of(nchw, cand), Permutation.NCHW_TO_NHWC);
            for (Permutation layout : List.of(Permutation.identity(4), Permutation.NCHW_TO_NHWC)) {
                Tensor candidate = layout.isIdentity() ? Tensor.of(nchw, cand) : nhwc;
                Comparison onHeap = TensorComparator.compare(reference, candidate, layout, DEFAULT);
                Comparison inPlace = TensorComparator.compare(InPlaceTensors.of(reference),
                        InPlaceTensors.of(candidate), layout, DEFAULT);
                assertEquals(onHeap, inPlace, nchw + " " + layout);
            }
        }
    }

    /**
     * One violation, violations in every stripe the searches after the pass go through, or a NaN that sends the
     * pair down the exact path: a permuted candidate gives the numbers of the pre-permuted comparison every way.
     */
    @Test
    void permutedComparisonsWithViolationsEverywhereOrNanMatchPrePermutedOnes() {
        Random rnd = new Random(39);
        Shape nchw = Shape.of(1, 24, 13, 17); // 5304 values: 20 blocks and a tail
        float[] ref = gaussian(rnd, (int) nchw.elementCount(), 2f);
        float[][] candidates = new float[3][];
        candidates[0] = ref.clone();
        candidates[0][4001] += 0.25f; // one stripe
        candidates[1] = ref.clone();
        for (int i = 0; i < ref.length; i += 3) {
            candidates[1][i] += 0.25f * (i % 7); // every stripe
        }
        candidates[2] = candidates[1].clone();
        candidates[2][777] = Float.NaN;
        for (float[] cand : candidates) {
            for (ToleranceRule rule : List.of(DEFAULT, ToleranceRule.elementwise(1e-3, 1e-2))) {
                Tensor reference = Tensor.of(nchw, ref);
                Tensor aligned = Tensor.of(nchw, cand);
                Comparison direct = TensorComparator.compare(reference, aligned, rule);
                Comparison permuted = TensorComparator.compare(reference,
                        TensorPermuter.permute(aligned, Permutation.NCHW_TO_NHWC), Permutation.NCHW_TO_NHWC, rule);
                assertEquals(withoutWorst(direct.metrics()), withoutWorst(permuted.metrics()));
                assertEquals(direct.reason(), permuted.reason());
                assertEquals(direct.metrics().worst().referenceFlatIndex(), permuted.metrics().worst().referenceFlatIndex());
                assertEquals(direct.metrics().worst().candidateValue(), permuted.metrics().worst().candidateValue());
                assertEquals(direct.firstViolation().referenceFlatIndex(), permuted.firstViolation().referenceFlatIndex());
                assertEquals(direct.firstViolation().candidateValue(), permuted.firstViolation().candidateValue());
            }
        }
    }

    @Test
    void theWorstElementIsLocatedInBothLayouts() {
        Shape nchw = Shape.of(2, 4, 6, 8);
        float[] ref = new float[(int) nchw.elementCount()];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = (i % 13) - 6;
        }
        float[] cand = ref.clone();
        int flat = 1 * 192 + 3 * 48 + 5 * 8 + 7; // [1,3,5,7]
        cand[flat] += 2f;
        Tensor nhwc = TensorPermuter.permute(Tensor.of(nchw, cand), Permutation.NCHW_TO_NHWC);

        Comparison c = TensorComparator.compare(Tensor.of(nchw, ref), nhwc, Permutation.NCHW_TO_NHWC, DEFAULT);
        ElementPair w = c.metrics().worst();
        assertEquals(flat, w.referenceFlatIndex());
        assertEquals(List.of(1, 3, 5, 7), w.referenceIndex());
        assertEquals(List.of(1, 5, 7, 3), w.candidateIndex()); // NHWC: [n, h, w, c]
        assertEquals(1 * 192 + 5 * 32 + 7 * 4 + 3, w.candidateFlatIndex());
        assertEquals(ref[flat], w.referenceValue());
        assertEquals(nhwc.get((int) w.candidateFlatIndex()), w.candidateValue());
        assertEquals(ref[flat] + 2f, w.candidateValue());
        assertTrue(c.reason().contains("at [1,3,5,7]"), c.reason());
        assertEquals(w, c.firstViolation());
    }

    @Test
    void shapesThatDoNotFitTheLayoutAreRejected() {
        Tensor ref = Tensor.of(Shape.of(1, 3, 4, 5), new float[60]);
        Tensor wrong = Tensor.of(Shape.of(1, 4, 5, 2), new float[40]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TensorComparator.compare(ref, wrong, Permutation.NCHW_TO_NHWC, DEFAULT));
        assertTrue(e.getMessage().contains("[1,4,5,3]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TensorComparator.compare(ref, ref, Permutation.NCHW_TO_NHWC, DEFAULT));
        assertThrows(IllegalArgumentException.class, () -> TensorComparator.compare(ref, ref, Permutation.identity(3), DEFAULT));
    }

    // ------------------------------------------------------------ NaN and infinity

    @Test
    void nanOnBothSidesAtTheSameElementAgreesAndIsReported() {
        Comparison c = TensorComparator.compare(vec(1, Float.NaN, 3), vec(1, Float.NaN, 3), DEFAULT);
        ErrorMetrics m = c.metrics();
        assertEquals(Verdict.PASS, c.verdict());
        assertEquals(1, m.matchingNonFinite());
        assertEquals(0, m.nonFiniteMismatches());
        assertEquals(2, m.finiteCount());
        assertEquals(1, m.reference().nanCount());
        assertEquals(1, m.candidate().nanCount());
        assertEquals(new ValueRange(1, 3, 1, 0), m.reference());
    }

    @Test
    void nanOnOneSideAlwaysFailsEvenUnderTheLoosestRule() {
        ToleranceRule loose = new ElementwiseRule(1e30, 1e30);
        Comparison c = TensorComparator.compare(vec(1, 2, 3), vec(1, Float.NaN, 3), loose);
        ErrorMetrics m = c.metrics();
        assertEquals(Verdict.FAIL, c.verdict());
        assertEquals(1, m.nonFiniteMismatches());
        assertEquals(1, m.violations());
        assertEquals(1, m.worst().referenceFlatIndex());
        assertTrue(Float.isNaN(m.worst().candidateValue()));
        assertEquals(1, c.firstViolation().referenceFlatIndex());
        assertEquals("1 element NaN or infinite on one side only (first at [1]: reference 2.0, candidate NaN); "
                + "max |a-b| 0 elsewhere", c.reason());
        // the reference side's NaN fails the same way
        assertEquals(Verdict.FAIL, TensorComparator.compare(vec(Float.NaN, 2), vec(1, 2), loose).verdict());
    }

    @Test
    void infinitiesAgreeOnlyWithTheSameSign() {
        float inf = Float.POSITIVE_INFINITY;
        Comparison same = TensorComparator.compare(vec(inf, -inf, 1), vec(inf, -inf, 1), DEFAULT);
        assertEquals(Verdict.PASS, same.verdict());
        assertEquals(2, same.metrics().matchingNonFinite());
        assertEquals(2, same.metrics().reference().infCount());

        Comparison flipped = TensorComparator.compare(vec(inf, 1), vec(-inf, 1), DEFAULT);
        assertEquals(Verdict.FAIL, flipped.verdict());
        assertEquals(1, flipped.metrics().nonFiniteMismatches());

        Comparison finiteVsInf = TensorComparator.compare(vec(3e38f, 1), vec(inf, 1), DEFAULT);
        assertEquals(Verdict.FAIL, finiteVsInf.verdict());
        assertEquals(0, finiteVsInf.metrics().worst().referenceFlatIndex());

        Comparison nanVsInf = TensorComparator.compare(vec(Float.NaN, 1), vec(inf, 1), DEFAULT);
        assertEquals(1, nanVsInf.metrics().nonFiniteMismatches());
    }

    @Test
    void allValuesNonFiniteAndMatchingHasNoWorstElement() {
        Comparison c = TensorComparator.compare(vec(Float.NaN, Float.NaN), vec(Float.NaN, Float.NaN), DEFAULT);
        assertEquals(Verdict.PASS, c.verdict());
        assertNull(c.metrics().worst());
        assertEquals(0, c.metrics().finiteCount());
        assertFalse(c.metrics().reference().hasFiniteValues());
        assertTrue(Double.isNaN(c.metrics().reference().min()));
        assertTrue(Double.isNaN(c.metrics().cosine()));
    }

    @Test
    void nanInALargeTensorTakesTheExactPathAndMatchesTheDefinitions() {
        Random rnd = new Random(3);
        float[] ref = gaussian(rnd, 10_000, 1f);
        float[] cand = noisy(rnd, ref, 1e-6);
        ref[4000] = Float.NaN;
        cand[4000] = Float.NaN;
        cand[7001] = Float.POSITIVE_INFINITY;
        assertMatchesOracle(ref, cand, DEFAULT);
        Comparison c = TensorComparator.compare(vec(ref), vec(cand), DEFAULT);
        assertEquals(7001, c.metrics().worst().referenceFlatIndex());
        assertEquals(1, c.metrics().matchingNonFinite());
    }

    // ------------------------------------------------------------ zeros and single elements

    @Test
    void allZeroTensors() {
        Comparison both = TensorComparator.compare(vec(new float[1000]), vec(new float[1000]), DEFAULT);
        assertEquals(Verdict.PASS, both.verdict());
        assertEquals(0, both.metrics().scale());
        assertEquals(0, both.metrics().normalizedMaxError());
        assertEquals(1.0, both.metrics().cosine());

        float[] tiny = new float[1000];
        tiny[10] = 1e-31f; // below the 1e-30 floor: a subnormal-level difference
        assertEquals(Verdict.PASS, TensorComparator.compare(vec(new float[1000]), vec(tiny), DEFAULT).verdict());

        float[] small = new float[1000];
        small[10] = 1e-20f;
        Comparison c = TensorComparator.compare(vec(new float[1000]), vec(small), DEFAULT);
        assertEquals(Verdict.FAIL, c.verdict());
        assertEquals(Double.POSITIVE_INFINITY, c.metrics().normalizedMaxError());
        assertEquals(0.0, c.metrics().cosine()); // one zero vector, one not
        assertEquals(0.0, c.metrics().maxRel()); // no non-zero reference
        assertTrue(c.reason().contains("+ floor 1e-30"), c.reason());
    }

    @Test
    void singleElementTensorsHaveNoCosine() {
        Comparison pass = TensorComparator.compare(vec(2f), vec(2.001f), DEFAULT);
        assertTrue(Double.isNaN(pass.metrics().cosine()));
        assertFalse(pass.metrics().hasCosine());
        assertEquals(Verdict.PASS, pass.verdict()); // 5e-4 relative at scale 2
        assertEquals(Verdict.FAIL, TensorComparator.compare(vec(2f), vec(2.01f), DEFAULT).verdict());
        assertEquals(Verdict.FAIL, TensorComparator.compare(vec(2f), vec(-2f), DEFAULT).verdict());
    }

    @Test
    void emptyTensorsPass() {
        Tensor empty = Tensor.of(Shape.of(0, 3));
        Comparison c = TensorComparator.compare(empty, empty, DEFAULT);
        assertEquals(Verdict.PASS, c.verdict());
        assertEquals(0, c.metrics().elementCount());
        assertNull(c.metrics().worst());
        assertEquals("empty tensor: nothing to compare", c.reason());
    }

    // ------------------------------------------------------------ the elementwise rule

    @Test
    void elementwiseRuleByHand() {
        ToleranceRule rule = new ElementwiseRule(1e-3, 1e-3);
        // element 0: |d| = 0.0015 <= 0.001 + 0.001 * 1; element 1: 0.5 > 0.001 + 0.1
        Comparison c = TensorComparator.compare(vec(1, 100), vec(1.0015f, 100.5f), rule);
        assertEquals(Verdict.FAIL, c.verdict());
        assertEquals(1, c.metrics().violations());
        assertEquals(1, c.firstViolation().referenceFlatIndex());
        assertEquals("1 of 2 elements break |a-b| <= 0.001 + 0.001 x |ref|, first at [1]: reference 100.0, "
                + "candidate 100.5; max |a-b| 0.5", c.reason());

        Comparison ok = TensorComparator.compare(vec(1, 100), vec(1.0015f, 100.09f), rule);
        assertEquals(Verdict.PASS, ok.verdict());
        assertTrue(ok.reason().startsWith("every |a-b| <= 0.001 + 0.001 x |ref|"), ok.reason());
    }

    @Test
    void elementwiseRuleJudgesEachElementOnItsOwnScale() {
        // passes the scale rule (error tiny against the scale) but breaks a pure relative rule at 1e-6
        Comparison scale = TensorComparator.compare(vec(1000, 1e-6f), vec(1000, 2e-6f), DEFAULT);
        assertEquals(Verdict.PASS, scale.verdict());
        Comparison rel = TensorComparator.compare(vec(1000, 1e-6f), vec(1000, 2e-6f), new ElementwiseRule(0, 0.01));
        assertEquals(Verdict.FAIL, rel.verdict());
        assertEquals(1, rel.firstViolation().referenceFlatIndex());
    }

    @Test
    void elementwiseViolationsInALargeTensorAreCountedExactly() {
        Random rnd = new Random(11);
        float[] ref = gaussian(rnd, 50_001, 10f);
        float[] cand = noisy(rnd, ref, 1e-3);
        ToleranceRule rule = new ElementwiseRule(1e-3, 1e-4);
        MetricsOracle o = MetricsOracle.of(ref, cand, rule);
        assertTrue(o.violations > 100 && o.violations < 40_000, "test data should break the rule somewhere: " + o.violations);
        assertMatchesOracle(ref, cand, rule);
    }

    // ------------------------------------------------------------ the fast path against the definitions

    @Test
    void blockedAndExactPathsAgreeWithTheDefinitionsAcrossSizesAndMagnitudes() {
        Random rnd = new Random(42);
        int block = DifferenceScanner.BLOCK;
        int[] sizes = {1, 2, block - 1, block, block + 1, 16 * block + 17, 70_000};
        double[] scales = {1e-30, 1e-12, 1e-9, 1, 1e4, 1e25};
        for (int n : sizes) {
            for (double s : scales) {
                float[] ref = gaussian(rnd, n, (float) s);
                float[] cand = noisy(rnd, ref, 1e-6);
                for (int i = 0; i < n; i += 7) {
                    ref[i] = 0f; // zeros: excluded from maxRel, ReLU-like
                    cand[i] = (i % 21 == 0) ? (float) (s * 1e-7) : 0f;
                }
                assertMatchesOracle(ref, cand, DEFAULT);
                assertMatchesOracle(ref, cand, new ElementwiseRule(s * 1e-6, 1e-5));
            }
        }
    }

    @Test
    void hugeValuesBeyondTheBlockedRangeAreExact() {
        Random rnd = new Random(5);
        float[] ref = gaussian(rnd, 3000, 1e36f);
        float[] cand = noisy(rnd, ref, 1e-6);
        cand[5] = -ref[5]; // a difference near float32's limit
        ref[6] = 3e38f;
        cand[6] = -3e38f; // overflows a float32 difference
        assertMatchesOracle(ref, cand, DEFAULT);
        ErrorMetrics m = TensorComparator.compare(vec(ref), vec(cand), DEFAULT).metrics();
        assertEquals(6e38, m.maxAbs(), 1e33);
        assertTrue(Double.isFinite(m.rmse()));
    }

    @Test
    void aComparatorCanBeReusedAcrossShapesAndRules() {
        Random rnd = new Random(9);
        for (int round = 0; round < 5; round++) {
            int n = 600 + rnd.nextInt(5000);
            float[] ref = gaussian(rnd, n, 2f);
            float[] cand = noisy(rnd, ref, round % 2 == 0 ? 1e-7 : 1e-2);
            ToleranceRule rule = round % 3 == 0 ? new ElementwiseRule(1e-4, 1e-3) : DEFAULT;
            assertMatchesOracle(ref, cand, rule);
        }
    }

    // ------------------------------------------------------------ helpers

    private void assertMatchesOracle(float[] ref, float[] cand, ToleranceRule rule) {
        MetricsOracle o = MetricsOracle.of(ref, cand, rule);
        Comparison c = TensorComparator.compare(vec(ref), vec(cand), rule);
        ErrorMetrics m = c.metrics();
        String ctx = "n=" + ref.length + " rule=" + rule.describe() + " scale=" + o.scale;
        assertEquals(o.finiteCount, m.finiteCount(), ctx);
        assertEquals(o.maxAbs, m.maxAbs(), ctx);
        assertEquals(o.maxRel, m.maxRel(), ctx);
        assertEquals(o.scale, m.scale(), ctx);
        assertEquals(new ValueRange(o.refMin, o.refMax, o.refNan, o.refInf), m.reference(), ctx);
        assertEquals(new ValueRange(o.candMin, o.candMax, o.candNan, o.candInf), m.candidate(), ctx);
        assertEquals(o.matching, m.matchingNonFinite(), ctx);
        assertEquals(o.mismatches, m.nonFiniteMismatches(), ctx);
        assertEquals(o.violations, m.violations(), ctx);
        assertEquals(o.violations == 0 ? Verdict.PASS : Verdict.FAIL, c.verdict(), ctx);
        assertClose(o.meanAbs, m.meanAbs(), 3e-6, ctx + " meanAbs");
        assertClose(o.rmse, m.rmse(), 3e-6, ctx + " rmse");
        if (Double.isNaN(o.cosine)) {
            assertTrue(Double.isNaN(m.cosine()), ctx);
        } else {
            assertEquals(o.cosine, m.cosine(), 3e-6, ctx + " cosine");
        }
        long worst = o.mismatches > 0 ? o.firstMismatch : o.maxAbsIndex;
        if (worst < 0) {
            assertNull(m.worst(), ctx);
        } else {
            assertNotNull(m.worst(), ctx);
            assertEquals(worst, m.worst().referenceFlatIndex(), ctx);
        }
        if (o.firstViolation < 0) {
            assertNull(c.firstViolation(), ctx);
        } else {
            assertEquals(o.firstViolation, c.firstViolation().referenceFlatIndex(), ctx);
        }
    }

    private static void assertClose(double expected, double actual, double relative, String ctx) {
        assertEquals(expected, actual, relative * Math.abs(expected) + Double.MIN_NORMAL, ctx);
    }

    private static ErrorMetrics withoutWorst(ErrorMetrics m) {
        return new ErrorMetrics(m.elementCount(), m.finiteCount(), m.maxAbs(), m.meanAbs(), m.maxRel(), m.rmse(),
                m.cosine(), m.sqnrDb(), m.scale(), m.normalizedMaxError(), m.reference(), m.candidate(), m.matchingNonFinite(),
                m.nonFiniteMismatches(), m.violations(), null, m.histogram(), m.channels());
    }

    static float[] gaussian(Random rnd, int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextGaussian() * scale);
        }
        return x;
    }

    /** {@code ref} with relative Gaussian noise of the given size on each element. */
    static float[] noisy(Random rnd, float[] ref, double relative) {
        float[] c = new float[ref.length];
        for (int i = 0; i < ref.length; i++) {
            c[i] = (float) (ref[i] * (1 + rnd.nextGaussian() * relative));
        }
        return c;
    }

    @Test
    void integerTensorsAreComparedAsTheirFloatValues() {
        Tensor a = Tensor.wrap(DType.INT64, Shape.of(3), new float[] {1, 2, 3});
        Tensor b = Tensor.wrap(DType.INT64, Shape.of(3), new float[] {1, 2, 4});
        assertEquals(Verdict.FAIL, TensorComparator.compare(a, b, DEFAULT).verdict());
    }

    @Test
    void aRuleFailedOnSqnrSaysSoFirst() {
        // Every element within 1 x scale, but the error as large as the signal: SQNR 0 dB against the 10 dB required.
        Comparison c = TensorComparator.compare(vec(1, -1, 1, -1), vec(-1, 1, -1, 1), ScaleRule.withSqnr(2, 10));
        assertEquals(Verdict.FAIL, c.verdict());
        // Before: "SQNR -6.0 dB < 10 dB: the error is spread over the tensor (max |a-b| 2 <= 2 x scale 1)", a pass to the eye.
        assertTrue(c.reason().startsWith("SQNR -6.0 dB is below the 10 dB the rule requires"), c.reason());
        assertFalse(c.reason().contains(" <= 2 x scale 1)"), c.reason());
    }
}
