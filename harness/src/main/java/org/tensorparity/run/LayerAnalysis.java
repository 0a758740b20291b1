package org.tensorparity.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.tensorparity.BadInputException;
import org.tensorparity.ModelFailureException;
import org.tensorparity.align.AlignedPair;
import org.tensorparity.align.Alignment;
import org.tensorparity.align.AlignmentMapping;
import org.tensorparity.align.BoundTensor;
import org.tensorparity.align.Fingerprints;
import org.tensorparity.align.GraphLayers;
import org.tensorparity.align.IsolationPlanner;
import org.tensorparity.align.PairPruner;
import org.tensorparity.align.TensorAligner;
import org.tensorparity.align.UnmatchedReason;
import org.tensorparity.align.UnmatchedTensor;
import org.tensorparity.backend.Background;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.InlinedBranch;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.backend.UnrolledLoop;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.PairJudge;
import org.tensorparity.compare.PairJudgement;
import org.tensorparity.compare.QuantizationSteps;
import org.tensorparity.compare.QuantizedWeightCheck;
import org.tensorparity.compare.ScaleRule;
import org.tensorparity.compare.ToleranceOverrides;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.compare.Tolerances;
import org.tensorparity.compare.Verdict;
import org.tensorparity.judge.DivergenceLocator;
import org.tensorparity.judge.ErrorAttribution;
import org.tensorparity.judge.LayerPolicy;
import org.tensorparity.judge.NoiseHotspots;
import org.tensorparity.judge.RunVerdict;
import org.tensorparity.judge.ValueRanges;
import org.tensorparity.result.AlignmentSummary;
import org.tensorparity.result.AppliedRule;
import org.tensorparity.result.FirstDivergence;
import org.tensorparity.result.InlinedIf;
import org.tensorparity.result.IsolatedError;
import org.tensorparity.result.LayerFindings;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.LayoutAnomaly;
import org.tensorparity.result.NoiseAttribution;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.UnrolledLoopSummary;
import org.tensorparity.tensor.DType;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;
import org.tensorparity.text.ShortName;
import org.tensorparity.text.ShortNumber;

/**
 * The layer-by-layer stage: aligns the two instrumented runs, judges every pair and locates the first
 * divergence. Works from captured tensors, and runs ONNX operators alone only to isolate the error each
 * converted operator adds by itself ({@link LayerIsolation}).
 */
final class LayerAnalysis {
    /** More than this share of ONNX layers without a counterpart means the graphs do not align. */
    private static final double ALIGNABLE_SHARE = 0.5;

    /** One model's side of an instrumented run. */
    record Side(ModelGraph graph, Map<String, Tensor> captured, Map<String, Tensor> feeds) {
    }

    /**
     * Which pairs to isolate, and the runner that runs ONNX operators alone (null when {@code mode} is off); for a
     * failing run, the TFLite model's constants and the layer policy that decides the verdict, so that its root
     * cause is diagnosed ({@link RootDiagnosis}).
     */
    record Isolation(IsolationMode mode, SubgraphRunner runner, RootDiagnosis.Constants constants, LayerPolicy policy,
            DiagnosisScope diagnose) {
        static Isolation off(DiagnosisScope diagnose) {
            return new Isolation(IsolationMode.OFF, null, null, LayerPolicy.WARN, diagnose);
        }
    }

    /**
     * What isolation ran the pairs' operators from: the planner of their chains, and the layout each aligned pair's
     * TFLite value is mapped back into ONNX layout by. The diagnosis reruns the root cause's chain with them, and a
     * reproducer cuts it out.
     */
    record IsolationSetup(IsolationPlanner planner, Map<AlignedPair, TensorLayout> layouts) {
    }

    /**
     * The {@code If} branches inlined and the {@code Loop} bodies unrolled into the reference's instrumented run, and
     * why the others were not.
     */
    record Branches(List<InlinedBranch> inlined, List<String> notInlined, List<UnrolledLoop> unrolled) {
        /**
         * The unrolled iterations whose tensors are not compared: all but each loop's last when the TFLite model runs
         * a {@code WHILE}, whose body holds only its last iteration's values after the run (an earlier iteration's
         * tensors would find no counterpart, and the graphs would seem not to align).
         */
        Set<String> uncompared(ModelGraph tflite) {
            if (unrolled.isEmpty() || tflite.nodes().stream().noneMatch(n -> n.opType().equals("WHILE"))) {
                return Set.of();
            }
            Set<String> hidden = new HashSet<>();
            unrolled.forEach(l -> l.tensors().subList(0, l.tensors().size() - 1).forEach(hidden::addAll));
            return hidden;
        }

        /** For each {@linkplain #uncompared uncompared} tensor, why no TFLite value can feed an operator reading it. */
        Map<String, String> unreachable(ModelGraph tflite) {
            Set<String> hidden = uncompared(tflite);
            Map<String, String> why = new HashMap<>();
            for (UnrolledLoop l : unrolled) {
                for (int k = 0; k < l.tensors().size() - 1; k++) {
                    String text = "computed by iteration " + k + " of " + l.op() + " '" + l.node() + "'; the TFLite WHILE body"
                            + " keeps only its last iteration's values, so no TFLite value can feed it";
                    l.tensors().get(k).stream().filter(hidden::contains).forEach(t -> why.put(t, text));
                }
            }
            return why;
        }
    }

    /**
     * The findings, the isolation they came from (null when no pair was isolated), the milliseconds spent diagnosing
     * and what the diagnosis could not do for a layer asked for by name.
     */
    record Analysis(LayerFindings findings, IsolationSetup isolation, double diagnosisMs, List<String> warnings) {
    }

    /** The isolated errors, and the setup that measured them (null when no pair was isolated). */
    private record Isolated(Map<AlignedPair, IsolatedError> errors, IsolationSetup setup) {
        static final Isolated NONE = new Isolated(Map.of(), null);
    }

    private LayerAnalysis() {
    }

    /**
     * @param inputs the bound model inputs, with their layouts
     * @param boundOutputs the bound model outputs, with their layouts
     * @param mapping user pairs that override alignment, or null
     * @param tolerances the default rules: for layers (a bounded activation's output is measured against its range),
     *     for the error a layer's operators add by themselves, and for the outputs, which locate a divergence that
     *     only the outputs' stricter rule sees
     * @param outputs the judged model outputs (for the error growth from the divergence to the outputs)
     * @param branches the ONNX {@code If} branches inlined into the reference's run, and the {@code If} nodes left whole
     * @param fingerprints the fingerprints of captured tensors already read (while the TFLite capture ran)
     */
    static Analysis analyze(Side onnx, Side tflite, List<BoundTensor> inputs, List<BoundTensor> boundOutputs,
            AlignmentMapping mapping, Tolerances tolerances, ToleranceOverrides overrides,
            List<OutputResult> outputs, Isolation isolation, Branches branches, Fingerprints fingerprints)
            throws BadInputException {
        Set<String> uncompared = branches.uncompared(tflite.graph());
        Map<String, Tensor> comparable = onnx.captured();
        if (!uncompared.isEmpty()) {
            comparable = new LinkedHashMap<>(onnx.captured());
            comparable.keySet().removeAll(uncompared);
        }
        // The fingerprints read every captured value once, both models' on both cores: on YOLOX-nano (339 MB of
        // values) the layers took 143-205 ms one model per core, the TFLite model's 214 MB the longer; 48-50 ms shared
        // out, the reference's read while the TFLite capture ran. Values read back from a spill hold two copies at a
        // time this way, as one model per core did.
        List<Tensor> values = new ArrayList<>(tflite.captured().values());
        values.addAll(comparable.values());
        Background.share("parity-fingerprints", fingerprints.reading(values));
        GraphLayers onnxLayers = GraphLayers.of("onnx", onnx.graph(), comparable, onnx.feeds(), fingerprints);
        GraphLayers tfliteLayers = GraphLayers.of("tflite", tflite.graph(), tflite.captured(), tflite.feeds(),
                fingerprints);
        Map<String, String> forced = mapping == null ? Map.of()
                : MappingCheck.pairs(mapping, onnx.feeds().keySet(), onnx.captured().keySet(), tflite.captured().keySet());
        Alignment aligned = new TensorAligner().align(onnxLayers, tfliteLayers, inputs, boundOutputs, forced);

        Map<AlignedPair, PairJudgement> judged = new LinkedHashMap<>();
        Map<AlignedPair, ToleranceRule> isolationRules = new HashMap<>();
        Map<AlignedPair, ToleranceRule> floatIsolationRules = new HashMap<>();
        Map<AlignedPair, String> ruleTexts = new HashMap<>();
        Set<String> failing = new HashSet<>();
        ValueRanges ranges = new ValueRanges(onnx.graph());
        List<AlignedPair> pairs = aligned.pairs();
        ToleranceRule[] applied = new ToleranceRule[pairs.size()];
        for (int i = 0; i < applied.length; i++) {
            AlignedPair pair = pairs.get(i);
            java.util.Optional<ToleranceRule> override = overrides.ruleFor(pair.onnx(), pair.tflite());
            ValueRanges.Range range = ranges.of(pair.onnx());
            applied[i] = override.orElse(Tolerances.forRange(tolerances.layers(), range.magnitude()));
            ruleTexts.put(pair, range.explain(applied[i]));
            isolationRules.put(pair, override.orElse(Tolerances.forRange(tolerances.isolated(), range.magnitude())));
            if (override.isEmpty() && tolerances.isolatedInFloat() != null) {
                floatIsolationRules.put(pair, Tolerances.forRange(tolerances.isolatedInFloat(), range.magnitude()));
            }
        }
        PairJudgement[] judgements = new PairJudgement[pairs.size()];
        AtomicInteger nextPair = new AtomicInteger();
        // Pairs judged on both cores while the values are in memory; read back from disk one pair at a time, so that
        // a budget holds one pair's comparison copies.
        Runnable judging = () -> {
            for (int i = nextPair.getAndIncrement(); i < judgements.length; i = nextPair.getAndIncrement()) {
                AlignedPair pair = pairs.get(i);
                judgements[i] = PairJudge.judge(valueOf(onnx, pair.onnx()), valueOf(tflite, pair.tflite()),
                        pair.layout(), pair.otherLayouts(), applied[i]);
            }
        };
        if (heldInMemory(onnx) && heldInMemory(tflite)) {
            Background.share("parity-judge", judging);
        } else {
            judging.run();
        }
        for (int i = 0; i < judgements.length; i++) {
            judged.put(pairs.get(i), judgements[i]);
            if (judgements[i].verdict() == Verdict.FAIL) {
                failing.add(pairs.get(i).tflite());
            }
        }
        Set<String> quantized = new HashSet<>();
        tflite.captured().forEach((name, t) -> {
            if (t.quantization() != null) {
                quantized.add(name);
            }
        });
        Alignment alignment = PairPruner.prune(aligned, failing, quantized, onnx.graph(), tflite.graph());

        Map<String, Double> noise = new HashMap<>();
        for (AlignedPair pair : alignment.pairs()) {
            PairJudgement j = judged.get(pair);
            Double n = j.comparison() == null ? null : ErrorAttribution.noiseOf(j.comparison().metrics().sqnrDb());
            if (n != null) {
                noise.merge(pair.tflite(), n, Math::max);
            }
        }
        Map<String, NoiseAttribution> attribution = ErrorAttribution.of(tflite.graph(), noise);
        Isolated measured = isolate(isolation, alignment, judged, isolationRules, floatIsolationRules, onnx, tflite,
                outputs, branches.unreachable(tflite.graph()), fingerprints);
        Map<AlignedPair, IsolatedError> isolated = measured.errors();

        Map<String, Integer> producedAt = producedAt(tflite.graph());
        Map<String, String> onnxNodes = producerNames(onnx.graph());
        List<LayerResult> layers = new ArrayList<>();
        List<LayoutAnomaly> anomalies = new ArrayList<>();
        for (AlignedPair pair : alignment.pairs()) {
            PairJudgement j = judged.get(pair);
            ErrorMetrics metrics = j.comparison() == null ? null : j.comparison().metrics();
            TensorLayout layout = j.layout();
            layers.add(new LayerResult(layers.size(), producedAt.getOrDefault(pair.tflite(), -1), onnxNodes.get(pair.onnx()), pair.onnx(),
                    pair.tflite(), pair.onnxOp(), pair.tfliteOp(), pair.onnxShape(), pair.tfliteShape(), layout == null ? null : layout.permutation(),
                    layout == null ? null : layout.kind(), pair.confidence(), pair.evidence(), pair.source(),
                    pair.foundByValues() ? pair.agreement() : null, j.verdict(), AppliedRule.of(ruleTexts.get(pair), j.comparison()), j.reason(),
                    metrics, QuantizationSteps.of(metrics, valueOf(onnx, pair.onnx()), valueOf(tflite, pair.tflite())),
                    metrics == null ? null : attribution.get(pair.tflite()), isolated.get(pair), null));
            if (j.layoutAnomaly()) {
                anomalies.add(new LayoutAnomaly(pair.onnx(), pair.tflite(), j.layout().permutation(),
                        j.observedLayout().permutation(), j.reason()));
            }
        }

        // The outputs' rule at a pair's value range, or its override: asked only of a run whose outputs fail.
        IntFunction<ToleranceRule> outputRule = i -> {
            AlignedPair pair = alignment.pairs().get(i);
            return overrides.ruleFor(pair.onnx(), pair.tflite())
                    .orElse(Tolerances.forRange(tolerances.outputs(), ranges.of(pair.onnx()).magnitude()));
        };
        DivergenceLocator.Located located = DivergenceLocator.locate(layers, onnx.graph(), tflite.graph());
        if (located.roots().isEmpty()) {
            located = DivergenceLocator.beyondOutputRule(layers, tflite.graph(), outputs,
                    i -> breaksRule(judged.get(alignment.pairs().get(i)), outputRule.apply(i)));
        }
        located.inDoubt().forEach(i -> layers.set(i, layers.get(i).withIsolated(layers.get(i).isolated().inDoubt())));
        for (int i = 0; i < layers.size(); i++) {
            LayerResult l = layers.get(i);
            if (l.isolated() != null && l.isolated().credible() && l.isolated().fails()
                    && l.confidence() >= RunVerdict.CONFIDENT) {
                layers.set(i, l.withIsolated(l.isolated().asDecisive()));
            }
        }
        LayerFindings findings = new LayerFindings(summary(alignment, onnx.graph(), tflite.graph(),
                onnxLayers, branches), layers,
                NoiseHotspots.of(layers), firstDivergence(located, layers, onnx.graph(), tflite.graph(), outputs,
                        outputRule),
                alignment.unmatched(), anomalies);
        List<String> warnings = new ArrayList<>();
        long diagnosisStart = System.nanoTime();
        LayerFindings diagnosed = RootDiagnosis.diagnosed(findings, isolation, measured.setup(), alignment, judged,
                isolationRules, outputs, onnx, tflite, warnings);
        double diagnosisMs = diagnosed == findings ? 0 : (System.nanoTime() - diagnosisStart) / 1e6;
        return new Analysis(diagnosed, measured.setup(), diagnosisMs, warnings);
    }

    /** The first root, or the pair above it that lost an operator the converter should have fused ({@link DroppedFold}). */
    private static FirstDivergence firstDivergence(DivergenceLocator.Located located, List<LayerResult> layers,
            ModelGraph onnxGraph, ModelGraph tfliteGraph, List<OutputResult> outputs,
            IntFunction<ToleranceRule> outputRule) {
        List<Integer> roots = located.roots();
        if (roots.isEmpty()) {
            return null;
        }
        LayerResult root = layers.get(roots.get(0));
        List<String> others = roots.subList(1, roots.size()).stream().map(i -> layers.get(i).onnx()).toList();
        if (located.basis() == DivergenceLocator.Basis.OUTPUT_RULE) {
            ErrorMetrics m = root.metrics();
            String reason = String.format(Locale.ROOT, "max |a-b| %s = %s of scale %s, SQNR %.1f dB: within the layers'"
                    + " rule, but the first layer upstream of a failing output to break the outputs' (%s)",
                    ShortNumber.format(m.maxAbs()), ShortNumber.format(m.normalizedMaxError()),
                    ShortNumber.format(m.scale()), m.sqnrDb(), outputRule.apply(root.index()).describe());
            return new FirstDivergence(root.index(), root.onnx(), root.tflite(), root.onnxOp(), root.tfliteOp(), reason,
                    errorGrowth(root, outputs), others, located.basis().id(), null, List.of());
        }
        // An ONNX tensor paired with two TFLite tensors is one layer that inherits, named once.
        List<String> inherited = located.inherited().stream().map(i -> layers.get(i).onnx())
                .filter(n -> !n.equals(root.onnx())).distinct().toList();
        if (located.isolated()) {
            java.util.Optional<DroppedFold.Found> dropped = DroppedFold.above(root, layers, onnxGraph, tfliteGraph);
            if (dropped.isPresent()) {
                LayerResult l = layers.get(dropped.get().pairIndex());
                List<String> heirs = new ArrayList<>(List.of(root.onnx()));
                inherited.stream().filter(n -> !n.equals(l.onnx())).forEach(heirs::add);
                String reason = String.format(Locale.ROOT, "TFLite %s (%s) holds the values of ONNX %s (%s) from before"
                        + " %s, which it should have fused: the converter dropped it (a bias, an offset or a normalization's"
                        + " shift); with it, the ONNX operators up to %s run alone add %s of scale",
                        ShortName.quoted(l.tflite()), l.tfliteOp(), ShortName.quoted(l.onnx()), l.onnxOp(),
                        dropped.get().fold(), ShortName.quoted(root.onnx()),
                        ShortNumber.format(root.isolated().metrics().normalizedMaxError()));
                return new FirstDivergence(l.index(), l.onnx(), l.tflite(), l.onnxOp(), l.tfliteOp(), reason,
                        errorGrowth(root, outputs), others, "isolated", root.isolated().metrics().normalizedMaxError(),
                        heirs);
            }
        }
        // A root found by isolation may pass the layer rule: what it adds by itself is then the reason.
        String reason = root.verdict() == Verdict.FAIL || root.isolated() == null || !root.isolated().fails() ? root.reason()
                : "by itself " + root.isolated().reason();
        return new FirstDivergence(root.index(), root.onnx(), root.tflite(), root.onnxOp(), root.tfliteOp(), reason,
                errorGrowth(root, outputs), others, located.basis().id(),
                located.isolated() ? root.isolated().metrics().normalizedMaxError() : null, inherited);
    }

    /**
     * Isolates the pairs {@code isolation} asks for: with {@link IsolationMode#AUTO} those whose ONNX tensor feeds a
     * failing output or a failing layer, those whose accumulated error breaks their isolation rule, those that feed a
     * pair held to the float32 rule (which confirms their pairing), those whose converted kernel's stored integer
     * weights differ from the ONNX weights ({@link StoredWeights}), and those asked for by name to be diagnosed
     * ({@link DiagnosisScope#layers()}). An isolated failure stands only where the accumulated error breaks the
     * isolation rule too (see {@link IsolatedError#verdict()}), or where the weights differ, which holds on any input.
     *
     * @param isolationRules each pair's isolation rule; a pair held to the float32 rule ({@link FloatIsolation}) gets
     *     its rule in {@code floatRules} instead, here
     * @param floatRules the float32 rule at each pair's value range, where the profile has a looser one and no
     *     override applies
     */
    private static Isolated isolate(Isolation isolation, Alignment alignment,
            Map<AlignedPair, PairJudgement> judged, Map<AlignedPair, ToleranceRule> isolationRules,
            Map<AlignedPair, ToleranceRule> floatRules, Side onnx, Side tflite,
            List<OutputResult> outputs, Map<String, String> unreachable, Fingerprints fingerprints) {
        if (isolation.mode() == IsolationMode.OFF) {
            return Isolated.NONE;
        }
        Map<String, AlignedPair> counterparts = new HashMap<>();
        Map<AlignedPair, TensorLayout> layouts = new HashMap<>();
        Set<String> failing = new HashSet<>();
        outputs.stream().filter(o -> o.verdict() == Verdict.FAIL).forEach(o -> failing.add(o.onnx()));
        for (AlignedPair pair : alignment.pairs()) {
            PairJudgement j = judged.get(pair);
            if (j.verdict() == Verdict.FAIL) {
                failing.add(pair.onnx());
            }
            if (j.layout() != null) {
                layouts.put(pair, j.layout());
                // A transpose pair shares its ONNX tensor with the pair it transposes, which maps more directly.
                counterparts.merge(pair.onnx(), pair, (kept, other) -> kept.source().equals("transpose") ? other : kept);
            }
        }
        // The planner needs the copies of aligned tensors, found by hashing values: made only when it is needed.
        boolean quantizedWeights = !tflite.graph().quantizedConstants().isEmpty();
        IsolationPlanner planner = floatRules.isEmpty() && !quantizedWeights ? null
                : planner(onnx, counterparts, unreachable, fingerprints);
        FloatIsolation floats = planner == null || floatRules.isEmpty() ? FloatIsolation.none()
                : FloatIsolation.choose(floatRules, isolationRules, planner, onnx.graph(), tflite);
        Map<AlignedPair, QuantizedWeightCheck> weights = quantizedWeights
                ? weightChecks(isolation, alignment.pairs(), planner, onnx, tflite) : Map.of();
        Set<String> path = isolation.mode() == IsolationMode.ALL ? null : onnx.graph().upstreamOf(failing);
        List<LayerIsolation.Target> targets = alignment.pairs().stream()
                .filter(p -> path == null || path.contains(p.onnx()) || !meetsRule(judged.get(p), isolationRules.get(p))
                        || floats.feedsHeldPair(p) || isolation.diagnose().names(p.onnx(), p.tflite())
                        || (weights.containsKey(p) && weights.get(p).differs()))
                .map(p -> new LayerIsolation.Target(p, judged.get(p).layout(), isolationRules.get(p),
                        floats.profileRule(p)))
                .toList();
        if (targets.isEmpty()) {
            return Isolated.NONE;
        }
        if (planner == null) {
            planner = planner(onnx, counterparts, unreachable, fingerprints);
        }
        // Values read back from a spill are batched one pair at a time, so that a budget holds one pair's values.
        long batchBytes = heldInMemory(onnx) && heldInMemory(tflite) ? LayerIsolation.BATCH_BYTES : 0;
        LayerIsolation.Measured first = LayerIsolation.measure(isolation.runner(), planner, targets, layouts, onnx,
                tflite, batchBytes);
        Map<AlignedPair, IsolatedError> measured = new LinkedHashMap<>(first.errors());
        List<LayerIsolation.Target> again = floats.fedUnconfirmed(first, planner, isolationRules,
                        p -> floatRules.containsKey(p) && meetsRule(judged.get(p), floatRules.get(p))).stream()
                .map(p -> new LayerIsolation.Target(p, judged.get(p).layout(), isolationRules.get(p))).toList();
        measured.putAll(LayerIsolation.measure(isolation.runner(), planner, again, layouts, onnx, tflite, batchBytes)
                .errors());
        measured.replaceAll((pair, alone) -> alone.fails() && meetsRule(judged.get(pair), isolationRules.get(pair))
                ? alone.unconfirmed(String.format(Locale.ROOT, "%s; but its accumulated error meets the isolation rule:"
                        + " alone it measures what it was fed, not the operator", alone.reason()))
                : alone);
        measured.replaceAll((pair, alone) -> alone.isolated() && weights.containsKey(pair)
                ? alone.withWeights(weights.get(pair)) : alone);
        return new Isolated(measured, new IsolationSetup(planner, layouts));
    }

    /**
     * The stored integer weights of the pairs' converted kernels checked against the ONNX weights
     * ({@link StoredWeights}); none when the ONNX weights cannot be read, which leaves the pairs to their values.
     */
    private static Map<AlignedPair, QuantizedWeightCheck> weightChecks(Isolation isolation, List<AlignedPair> pairs,
            IsolationPlanner planner, Side onnx, Side tflite) {
        try {
            return new StoredWeights(onnx.graph(), isolation.runner(), tflite.graph()).check(pairs, planner,
                    isolation.constants());
        } catch (ModelFailureException e) {
            return Map.of();
        }
    }

    /**
     * The planner of isolated runs, fed from the aligned pairs in {@code counterparts} (by ONNX tensor) and the ONNX
     * tensors that hold an aligned one's values, added to {@code counterparts} here.
     */
    private static IsolationPlanner planner(Side onnx, Map<String, AlignedPair> counterparts,
            Map<String, String> unreachable, Fingerprints fingerprints) {
        Map<String, DType> types = new HashMap<>();
        onnx.captured().forEach((name, t) -> types.put(name, t.dtype()));
        copiesOfAligned(onnx.captured(), counterparts, fingerprints).forEach(counterparts::putIfAbsent);
        return new IsolationPlanner(onnx.graph(), counterparts, onnx.feeds().keySet(), types, unreachable);
    }

    /**
     * Whether a pair's accumulated error meets {@code rule}: read off its metrics for a scale rule; a pair without
     * metrics (a shape mismatch) never does. An elementwise rule is the layer rule itself ({@code --atol/--rtol}
     * set all three), so the pair's verdict tells.
     */
    private static boolean meetsRule(PairJudgement j, ToleranceRule rule) {
        if (j.comparison() == null) {
            return false;
        }
        return rule instanceof ScaleRule s ? s.admits(j.comparison().metrics()) : j.verdict() == Verdict.PASS;
    }

    /** Whether a compared pair's accumulated error breaks {@code rule} ({@link #meetsRule}). */
    private static boolean breaksRule(PairJudgement j, ToleranceRule rule) {
        return j.comparison() != null && !meetsRule(j, rule);
    }

    /**
     * Unaligned ONNX tensors that hold exactly the values of an aligned one, in the same row-major order (a
     * Squeeze, Reshape or Identity of it, an LSTM's Y next to its Y_h): fed from that pair's TFLite tensor,
     * they keep an isolated chain from running back through the operator that computed them. Constant-valued
     * tensors are left out: equal by coincidence more often than by identity.
     *
     * <p>Equal values have equal fingerprints, which alignment has read already: only tensors of the same size and
     * fingerprint are compared value by value. Hashing every aligned tensor's values instead took 49-57 ms of
     * YOLOX-nano's isolation, on one thread before any operator ran.
     */
    private static Map<String, AlignedPair> copiesOfAligned(Map<String, Tensor> captured, Map<String, AlignedPair> aligned,
            Fingerprints fingerprints) {
        Map<List<Object>, List<AlignedPair>> bySummary = new HashMap<>();
        for (AlignedPair p : aligned.values()) {
            Tensor t = captured.get(p.onnx());
            if (t != null && !constantValued(t)) {
                bySummary.computeIfAbsent(List.of(t.size(), fingerprints.of(t)), k -> new ArrayList<>()).add(p);
            }
        }
        Map<String, AlignedPair> copies = new HashMap<>();
        for (Map.Entry<String, Tensor> e : captured.entrySet()) {
            Tensor t = e.getValue();
            if (aligned.containsKey(e.getKey()) || !t.dtype().isFloatingPoint() || constantValued(t)) {
                continue;
            }
            for (AlignedPair p : bySummary.getOrDefault(List.of(t.size(), fingerprints.of(t)), List.of())) {
                if (java.util.Arrays.equals(t.data(), captured.get(p.onnx()).data())) {
                    copies.put(e.getKey(), p);
                    break;
                }
            }
        }
        return copies;
    }

    private static boolean constantValued(Tensor t) {
        float[] v = t.data();
        if (v.length == 0) {
            return true;
        }
        for (float x : v) {
            if (Float.compare(x, v[0]) != 0) {
                return false;
            }
        }
        return true;
    }

    /** The name of the node producing each tensor, for the nodes that have one. */
    private static Map<String, String> producerNames(ModelGraph graph) {
        Map<String, String> names = new HashMap<>();
        for (GraphNode node : graph.nodes()) {
            if (!node.name().isEmpty()) {
                node.outputs().forEach(out -> names.put(out, node.name()));
            }
        }
        return names;
    }

    /** Each tensor's producing operator's position in the graph's execution order. */
    private static Map<String, Integer> producedAt(ModelGraph graph) {
        Map<String, Integer> at = new HashMap<>();
        List<GraphNode> nodes = graph.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            for (String out : nodes.get(i).outputs()) {
                at.put(out, i);
            }
        }
        return at;
    }

    /**
     * Whether every captured value of {@code side} is in memory, on the heap or read in place where its runtime keeps
     * it; none read back from a spill on each use.
     */
    private static boolean heldInMemory(Side side) {
        return side.captured().values().stream().noneMatch(t -> t.isStored() && !t.readsInPlace());
    }

    private static Tensor valueOf(Side side, String name) {
        Tensor t = side.captured().get(name);
        return t != null ? t : side.feeds().get(name);
    }

    private static Double errorGrowth(LayerResult divergence, List<OutputResult> outputs) {
        if (divergence.metrics() == null || !(divergence.metrics().normalizedMaxError() > 0)) {
            return null;
        }
        double worstOutput = outputs.stream().map(OutputResult::metrics).filter(m -> m != null)
                .mapToDouble(ErrorMetrics::normalizedMaxError).filter(Double::isFinite).max().orElse(Double.NaN);
        return Double.isFinite(worstOutput) ? worstOutput / divergence.metrics().normalizedMaxError() : null;
    }

    private static AlignmentSummary summary(Alignment alignment, ModelGraph onnx, ModelGraph tflite,
            GraphLayers onnxLayers, Branches branches) {
        List<UnmatchedTensor> lost = alignment.unmatched().stream()
                .filter(u -> u.model().equals("onnx") && u.reason() == UnmatchedReason.NO_COUNTERPART).toList();
        long pairedOnnx = alignment.pairs().stream().map(AlignedPair::onnx).distinct().count();
        long layers = pairedOnnx + lost.size();
        String failure = null;
        if (layers > 0 && lost.size() > ALIGNABLE_SHARE * layers) {
            failure = "the graphs do not align: no counterpart for " + lost.size() + " of " + layers
                    + " ONNX layers from '" + lost.get(0).name() + "' on";
        }
        List<String> notes = new ArrayList<>(onnx.notes());
        notes.addAll(branches.notInlined());
        tflite.notes().forEach(n -> notes.add(n));
        Set<String> paired = new HashSet<>();
        alignment.pairs().forEach(p -> paired.add(p.onnx()));
        Map<String, UnmatchedReason> why = new HashMap<>();
        alignment.unmatched().stream().filter(u -> u.model().equals("onnx")).forEach(u -> why.put(u.name(), u.reason()));
        List<InlinedIf> inlined = new ArrayList<>();
        for (InlinedBranch b : branches.inlined()) {
            List<String> inside = onnxLayers.candidates().stream().map(t -> t.name()).filter(b.tensors()::contains)
                    .toList();
            int pairedInside = (int) inside.stream().filter(paired::contains).count();
            int lostInside = (int) inside.stream().filter(t -> !paired.contains(t)
                    && why.getOrDefault(t, UnmatchedReason.NO_COUNTERPART) == UnmatchedReason.NO_COUNTERPART).count();
            inlined.add(new InlinedIf(b.node(), b.depth(), b.branch(), b.condition(), b.conditionValue(), b.nodes(),
                    inside.size(), pairedInside, inside.size() - pairedInside - lostInside, lostInside));
        }
        List<UnrolledLoopSummary> loops = new ArrayList<>();
        boolean lastOnly = !branches.uncompared(tflite).isEmpty();
        for (UnrolledLoop l : branches.unrolled()) {
            Set<String> body = new HashSet<>();
            (lastOnly ? l.tensors().subList(l.tensors().size() - 1, l.tensors().size()) : l.tensors())
                    .forEach(body::addAll);
            List<String> inside = onnxLayers.candidates().stream().map(t -> t.name()).filter(body::contains).toList();
            int pairedInside = (int) inside.stream().filter(paired::contains).count();
            int lostInside = (int) inside.stream().filter(t -> !paired.contains(t)
                    && why.getOrDefault(t, UnmatchedReason.NO_COUNTERPART) == UnmatchedReason.NO_COUNTERPART).count();
            loops.add(new UnrolledLoopSummary(l.op(), l.node(), l.iterations(), l.bodyNodes(),
                    lastOnly ? l.iterations() - 1 : -1, inside.size(), pairedInside,
                    inside.size() - pairedInside - lostInside, lostInside));
        }
        return new AlignmentSummary(alignment.onnxCandidates(), alignment.tfliteCandidates(), alignment.pairs().size(),
                failure, notes, inlined, loops);
    }
}
