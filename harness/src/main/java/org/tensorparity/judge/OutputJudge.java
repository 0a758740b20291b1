package org.tensorparity.judge;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorparity.BadInputException;
import org.tensorparity.backend.RunResult;
import org.tensorparity.bind.BindRule;
import org.tensorparity.bind.Binding;
import org.tensorparity.bind.ClassIndex;
import org.tensorparity.bind.Port;
import org.tensorparity.bind.PortBinding;
import org.tensorparity.compare.Comparison;
import org.tensorparity.compare.PairJudge;
import org.tensorparity.compare.QuantizationSteps;
import org.tensorparity.compare.ScaleRule;
import org.tensorparity.compare.TaskCheck;
import org.tensorparity.compare.TensorComparator;
import org.tensorparity.compare.ToleranceOverrides;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.AppliedRule;
import org.tensorparity.result.CheckResult;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.SampleSummary;
import org.tensorparity.tensor.Tensor;

/**
 * Judges the model outputs sample by sample and keeps, per output, the worst sample's comparison, the
 * means over samples, and the task-level checks.
 *
 * <p>With several samples a scale-rule output is finally judged against the scale of all samples: its largest
 * magnitude over every sample. A probability that is tiny on one input and large on another is one tensor whose
 * float rounding follows its whole range, not the one sample where it happens to be small. Each sample's figures
 * (largest difference, scale, SQNR) suffice to judge it again under that scale ({@link ScaleRule#admits}); only the
 * tensors of two samples per output are kept, to say why: the worst under its own scale, and the one that differs
 * most.
 */
public final class OutputJudge {
    private final List<Binding> pairs;
    private final List<Port> missing;
    private final List<ClassIndex> classIndex = new ArrayList<>();
    private final List<ToleranceRule> rules = new ArrayList<>();
    private final List<String> ruleTexts = new ArrayList<>();
    private final List<List<TaskCheck>> checks = new ArrayList<>();
    private final Comparison[] worst;
    private final QuantizationSteps[] worstSteps;
    private final int[] worstSampleOf;
    private final int[] failing;
    private final double[] sumMaxAbs;
    private final double[] sumNormalized;
    private final List<List<TaskCheck.Outcome>> checkOutcomes = new ArrayList<>();
    private final double[] scaleOfAll;
    private final List<List<SampleFigures>> figures = new ArrayList<>();
    private final Kept[] worstKept;
    private final Kept[] largestKept;
    private static final ToleranceRule EXACT = ToleranceRule.elementwise(0, 0);

    /** What judging one sample of one output under another scale needs. */
    private record SampleFigures(double maxAbs, double scale, double sqnrDb, long nonFiniteMismatches, boolean passed) {
        static SampleFigures of(Comparison c) {
            return new SampleFigures(c.metrics().maxAbs(), c.metrics().scale(), c.metrics().sqnrDb(),
                    c.metrics().nonFiniteMismatches(), c.passed());
        }
    }

    /**
     * One output's figures at every sample, in sample order.
     *
     * @param maxAbs {@code max |a-b|} per sample
     * @param passed whether each sample passes under the rule the output is finally judged by
     * @param scale the largest magnitude of the reference over all samples (a bounded output's range, when larger)
     * @param relativeTolerance that rule's tolerance as a share of the scale, or null for an elementwise rule or one
     *     with an SQNR bound
     */
    public record SampleSeries(double[] maxAbs, boolean[] passed, double scale, Double relativeTolerance) {
    }

    /** One sample's tensors of one output, kept to judge it again under the scale of all samples. */
    private record Kept(int sample, Tensor reference, Tensor candidate, double maxAbs) {
    }
    private int samples;
    /** Whether the samples are the steps of a streaming run, which reasons name from 1. */
    private boolean countingSteps;
    private int worstSample;
    private double worstBadness = Double.NEGATIVE_INFINITY;

    /**
     * @param outputRule the default rule for outputs, the run's profile resolved for the TFLite model's precision
     * @param binding the output pairs, and the ONNX outputs no TFLite output answers (each fails)
     * @param onnx the first sample's ONNX outputs, to recognise outputs of another kind (class ids)
     * @param tflite the first sample's TFLite outputs
     * @param ranges the value ranges of ONNX tensors, for outputs of bounded activations
     */
    public OutputJudge(ToleranceOverrides overrides, Map<String, List<TaskCheck>> taskChecks, ToleranceRule outputRule, PortBinding binding, RunResult onnx, RunResult tflite,
            ValueRanges ranges) throws BadInputException {
        this.pairs = binding.pairs();
        this.missing = binding.onnxOnly();
        for (Binding b : pairs) {
            ValueRanges.Range range = ranges.of(b.onnx());
            ToleranceRule rule = overrides.ruleFor(b.onnx(), b.tflite())
                    .orElse(Tolerances.forRange(outputRule, range.magnitude()));
            rules.add(rule);
            ruleTexts.add(range.explain(rule));
            checks.add(taskChecks.getOrDefault(b.onnx(), List.of()));
            checkOutcomes.add(new ArrayList<>());
            Tensor o = b.onnxValue(onnx.outputs().get(b.onnx()));
            for (TaskCheck check : checks.get(checks.size() - 1)) {
                try {
                    check.requireFits(o.shape());
                } catch (IllegalArgumentException e) {
                    throw new BadInputException("task check on output '" + b.onnx() + "': " + e.getMessage());
                }
            }
            Tensor t = b.tfliteValue(tflite.outputs().get(b.tflite()));
            classIndex.add(b.layout() != null ? null
                    : ClassIndex.between(o.shape(), o.dtype(), t.shape(), t.dtype()).orElse(null));
        }
        worst = new Comparison[pairs.size()];
        worstSteps = new QuantizationSteps[pairs.size()];
        worstSampleOf = new int[pairs.size()];
        failing = new int[pairs.size()];
        sumMaxAbs = new double[pairs.size()];
        sumNormalized = new double[pairs.size()];
        scaleOfAll = new double[pairs.size()];
        worstKept = new Kept[pairs.size()];
        largestKept = new Kept[pairs.size()];
        pairs.forEach(p -> figures.add(new ArrayList<>()));
    }

    /** This judge, its reasons naming the samples as the steps of a streaming run (step k is sample k - 1). */
    public OutputJudge countingSteps() {
        countingSteps = true;
        return this;
    }

    /** Judges one sample; true when it is now the worst sample of the run (the one layers are compared on). */
    public boolean add(int sample, RunResult onnx, RunResult tflite) {
        samples++;
        double badness = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < pairs.size(); i++) {
            Binding b = pairs.get(i);
            Tensor reference = b.onnxValue(onnx.outputs().get(b.onnx()));
            Tensor candidate = b.tfliteValue(tflite.outputs().get(b.tflite()));
            ClassIndex relation = classIndex.get(i);
            if (b.layout() == null && relation == null) {
                failing[i]++;
                badness = Double.POSITIVE_INFINITY;
                continue;
            }
            Comparison c;
            if (relation != null) {
                // Class ids are compared exactly: one differing id is a different answer.
                c = relation.onnxIsIndex()
                        ? TensorComparator.compare(reference, relation.argmax(candidate, reference.shape()), EXACT)
                        : TensorComparator.compare(relation.argmax(reference, candidate.shape()), candidate, EXACT);
            } else {
                c = PairJudge.compare(reference, candidate, b.layout(), rules.get(i));
            }
            double score = badness(c);
            if (worst[i] == null || score > badness(worst[i])) {
                worst[i] = c;
                worstSampleOf[i] = sample;
                worstSteps[i] = relation == null ? QuantizationSteps.of(c.metrics(), reference, candidate) : null;
                worstKept[i] = new Kept(sample, reference, candidate, c.metrics().maxAbs());
            }
            if (relation == null) {
                figures.get(i).add(SampleFigures.of(c));
                scaleOfAll[i] = Math.max(scaleOfAll[i], c.metrics().scale());
                if (largestKept[i] == null || c.metrics().maxAbs() > largestKept[i].maxAbs()) {
                    largestKept[i] = new Kept(sample, reference, candidate, c.metrics().maxAbs());
                }
            }
            if (!c.passed()) {
                failing[i]++;
            }
            sumMaxAbs[i] += c.metrics().maxAbs();
            sumNormalized[i] += c.metrics().normalizedMaxError();
            badness = Math.max(badness, score);
            if (!checks.get(i).isEmpty() && relation == null) {
                Tensor aligned = b.layout().toReference(candidate, reference.shape());
                for (int k = 0; k < checks.get(i).size(); k++) {
                    TaskCheck.Outcome outcome = checks.get(i).get(k).evaluate(reference, aligned);
                    List<TaskCheck.Outcome> kept = checkOutcomes.get(i);
                    if (kept.size() <= k) {
                        kept.add(outcome);
                    } else if (kept.get(k).agrees() && !outcome.agrees()) {
                        kept.set(k, outcome);
                    }
                }
            }
        }
        // The first sample is the worst so far even when no output could be compared.
        if (badness > worstBadness || samples == 1) {
            worstBadness = badness;
            worstSample = sample;
            return true;
        }
        return false;
    }

    /** Failing samples rank above passing ones; among equals, the larger normalized error is worse. */
    private static double badness(Comparison c) {
        double e = c.metrics().normalizedMaxError();
        return (c.passed() ? 0 : 1e6) + (Double.isNaN(e) ? 1e6 : Math.min(e, 1e6));
    }

    public List<Binding> pairs() {
        return pairs;
    }

    /** Output pair {@code i}'s {@code max |a-b|} in the latest sample; NaN for an output compared as class ids or not at all. */
    public double latestMaxAbs(int i) {
        List<SampleFigures> f = figures.get(i);
        return classIndex.get(i) != null || f.isEmpty() ? Double.NaN : f.get(f.size() - 1).maxAbs();
    }

    /**
     * Output pair {@code i}'s figures at every sample so far, each sample judged as {@link #results} judges the output
     * (a scale rule against the scale of all samples); null for an output compared as class ids or not at all.
     */
    public SampleSeries series(int i) {
        if (classIndex.get(i) != null || pairs.get(i).layout() == null) {
            return null;
        }
        List<SampleFigures> f = figures.get(i);
        ToleranceRule rule = rules.get(i) instanceof ScaleRule r && samples > 1 ? r.withMinimumScale(scaleOfAll[i])
                : rules.get(i);
        double[] maxAbs = new double[f.size()];
        boolean[] passed = new boolean[f.size()];
        for (int s = 0; s < f.size(); s++) {
            SampleFigures x = f.get(s);
            maxAbs[s] = x.maxAbs();
            passed[s] = rule instanceof ScaleRule r ? r.admits(x.maxAbs(), x.scale(), x.sqnrDb(), x.nonFiniteMismatches())
                    : x.passed();
        }
        // With an SQNR bound the largest difference is not the whole rule: no line of tolerance would be true.
        return rule instanceof ScaleRule r ? new SampleSeries(maxAbs, passed, r.effectiveScale(scaleOfAll[i]),
                r.minimumSqnrDb() > 0 ? null : r.tolerance())
                : new SampleSeries(maxAbs, passed, scaleOfAll[i], null);
    }

    int worstSample() {
        return worstSample;
    }

    public List<OutputResult> results() {
        List<OutputResult> out = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            Binding b = pairs.get(i);
            ClassIndex relation = classIndex.get(i);
            String ruleText = relation == null ? ruleTexts.get(i) : relation.describe(relation.onnxIsIndex() ? "TFLite"
                    : "ONNX", relation.onnxIsIndex() ? b.tflite() : b.onnx()) + " equals the other model's class ids";
            List<CheckResult> checkResults = checkOutcomes.get(i).stream().map(OutputJudge::checkResult).toList();
            boolean checksAgree = checkResults.stream().allMatch(CheckResult::agrees);
            if (b.layout() == null && relation == null) {
                out.add(new OutputResult(b.onnx(), b.tflite(), b.rule(), b.onnxShape(), b.tfliteShape(), null,
                        Verdict.FAIL, AppliedRule.of(ruleText, null), "shape mismatch: ONNX " + b.onnxShape() + " vs TFLite "
                                + b.tfliteShape() + " (no layout permutation makes them equal)", null,
                        new SampleSummary(samples, 0, samples, Double.NaN, Double.NaN), checkResults, null));
                continue;
            }
            if (samples > 1 && relation == null && rules.get(i) instanceof ScaleRule r) {
                judgeOnTheScaleOfAllSamples(i, b, r.withMinimumScale(scaleOfAll[i]));
            }
            Comparison c = worst[i];
            StringBuilder reason = new StringBuilder(c.passed() ? "" : c.reason());
            if (!c.passed() && samples > 1) {
                String unit = countingSteps ? "step" : "sample";
                reason.append(" (").append(unit).append(' ').append(worstSampleOf[i] + (countingSteps ? 1 : 0))
                        .append(", ").append(failing[i]).append(" of ").append(samples).append(' ').append(unit)
                        .append("s fail)");
            }
            for (CheckResult r : checkResults) {
                if (!r.agrees()) {
                    reason.append(reason.length() == 0 ? "" : "; ").append(r.check()).append(" disagrees: ONNX ")
                            .append(r.onnxTop()).append(" vs TFLite ").append(r.tfliteTop());
                }
            }
            Verdict verdict = failing[i] == 0 && checksAgree ? Verdict.PASS : Verdict.FAIL;
            out.add(new OutputResult(b.onnx(), b.tflite(), b.rule(), b.onnxShape(), b.tfliteShape(),
                    b.layout() == null ? null : b.layout().permutation(), verdict, AppliedRule.of(ruleText, c),
                    verdict == Verdict.PASS ? c.reason() : reason.toString(), c.metrics(),
                    new SampleSummary(samples, worstSampleOf[i], failing[i], sumMaxAbs[i] / samples,
                            sumNormalized[i] / samples), checkResults, worstSteps[i], b.slice()));
        }
        for (Port m : missing) {
            out.add(new OutputResult(m.name(), null, BindRule.UNBOUND, m.shape(), null, null, Verdict.FAIL, AppliedRule.NONE,
                    "no TFLite output corresponds to it: the converted model lacks this output",
                    null, new SampleSummary(samples, 0, samples, Double.NaN, Double.NaN), List.of(), null));
        }
        return out;
    }

    /**
     * Judges every sample of output {@code i} again under {@code common}, its rule measured against the scale of all
     * samples, and keeps the worse of the two kept samples under it as the output's worst.
     */
    private void judgeOnTheScaleOfAllSamples(int i, Binding b, ScaleRule common) {
        failing[i] = (int) figures.get(i).stream()
                .filter(f -> !common.admits(f.maxAbs(), f.scale(), f.sqnrDb(), f.nonFiniteMismatches())).count();
        Comparison best = null;
        Kept chosen = null;
        for (Kept k : List.of(worstKept[i], largestKept[i])) {
            Comparison c = PairJudge.compare(k.reference(), k.candidate(), b.layout(), common);
            if (best == null || badness(c) > badness(best)) {
                best = c;
                chosen = k;
            }
        }
        worst[i] = best;
        worstSampleOf[i] = chosen.sample();
        worstSteps[i] = QuantizationSteps.of(best.metrics(), chosen.reference(), chosen.candidate());
    }

    private static CheckResult checkResult(TaskCheck.Outcome o) {
        return new CheckResult(o.check().describe(), o.agrees(), o.rows(), o.disagreeingRows(), o.referenceTop(),
                o.candidateTop());
    }
}
