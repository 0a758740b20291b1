package org.tensorparity.run;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorparity.ModelFailureException;
import org.tensorparity.align.AlignedPair;
import org.tensorparity.align.IsolationPlan;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.NodeEdit;
import org.tensorparity.backend.SubgraphRunner;
import org.tensorparity.compare.Comparison;
import org.tensorparity.compare.DiagnosisKind;
import org.tensorparity.compare.PairJudge;
import org.tensorparity.compare.ToleranceRule;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.Diagnosis;
import org.tensorparity.tensor.ChannelBias;
import org.tensorparity.tensor.Tensor;
import org.tensorparity.tensor.TensorLayout;
import org.tensorparity.text.ShortName;
import org.tensorparity.text.ShortNumber;

/**
 * One root cause's diagnosis in progress: what its operators were fed and are judged by, every hypothesis tested so
 * far, and the means to test one more ({@link #test}) and to word the finding. The hypothesis families
 * ({@link WeightHypotheses}, {@link OperatorHypotheses}) share it; {@link RootDiagnosis} runs them in order.
 */
final class DiagnosisRun {
    /** Near misses reported: the closest three say whether anything came near. */
    static final int ALTERNATIVES = 3;

    final SubgraphRunner runner;
    final IsolationPlan.Isolable plan;
    final Map<String, Tensor> fed;
    final AlignedPair pair;
    final TensorLayout layout;
    final ToleranceRule rule;
    final LayerAnalysis.Side onnx;
    final LayerAnalysis.Side tflite;
    final RootDiagnosis.Constants constants;
    final TensorLayout observed;
    final List<String> tested = new ArrayList<>();
    final List<Diagnosis.Attempt> misses = new ArrayList<>();

    DiagnosisRun(SubgraphRunner runner, IsolationPlan.Isolable plan, Map<String, Tensor> fed, AlignedPair pair,
            TensorLayout layout, ToleranceRule rule, LayerAnalysis.Side onnx, LayerAnalysis.Side tflite,
            RootDiagnosis.Constants constants, TensorLayout observed) {
        this.runner = runner;
        this.plan = plan;
        this.fed = fed;
        this.pair = pair;
        this.layout = layout;
        this.rule = rule;
        this.onnx = onnx;
        this.tflite = tflite;
        this.constants = constants;
        this.observed = observed;
    }

    /**
     * One change to the isolated run: weights fed in place of the model's, attribute values, and a bias added to what
     * the operators compute (the TFLite layer's, where the ONNX operators have no bias of their own), or null.
     */
    record Hypothesis(String words, Map<String, Tensor> feeds, List<NodeEdit> edits, AddedBias bias) {
        Hypothesis(String words, Map<String, Tensor> feeds, List<NodeEdit> edits) {
            this(words, feeds, edits, null);
        }
    }

    /** A bias added along {@code axis} of an isolated output. */
    record AddedBias(float[] values, int axis) {
    }

    /** What a hypothesis left: null error when it could not run. */
    record Outcome(boolean reproduced, Double error) {
    }

    /**
     * The TFLite values of {@code names} as the file stores them: a constant, or the constant a DEQUANTIZE reads
     * (float16 weights), whose output XNNPACK may never write; else the captured value. A quantized one comes as its
     * real values with its quantization kept.
     */
    Map<String, Tensor> tfliteValues(List<String> names) throws ModelFailureException {
        Map<String, String> storedAs = new HashMap<>();
        for (String name : names) {
            GraphNode p = producer(name);
            storedAs.put(name, p != null && p.opType().equals("DEQUANTIZE") && !p.inputs().isEmpty()
                    ? p.inputs().get(0) : name);
        }
        Map<String, Tensor> stored = constants.read(Set.copyOf(storedAs.values()));
        Map<String, Tensor> out = new HashMap<>();
        for (String name : names) {
            Tensor t = stored.containsKey(storedAs.get(name)) ? stored.get(storedAs.get(name))
                    : tflite.captured().get(name);
            if (t != null) {
                out.put(name, t);
            }
        }
        return out;
    }

    /** Runs one hypothesis and records it in {@link #tested}; a run ONNX Runtime refuses is named and skipped. */
    Outcome test(Hypothesis h) {
        Map<String, Tensor> feeds = new LinkedHashMap<>(fed);
        feeds.putAll(h.feeds());
        Tensor alone;
        try {
            alone = runner.run(plan.nodes(), feeds, pair.onnx(), onnxValue(pair.onnx()).dtype(), h.edits());
            if (h.bias() != null) {
                alone = ChannelBias.add(alone, h.bias().values(), h.bias().axis());
            }
        } catch (ModelFailureException | RuntimeException e) {
            tested.add(h.words() + ": skipped, ONNX Runtime cannot run it (" + e.getMessage() + ")");
            return new Outcome(false, null);
        }
        Tensor candidate = LayerIsolation.valueOf(tflite, pair.tflite());
        TensorLayout compared = layout != null && alone.shape().equals(onnxValue(pair.onnx()).shape()) ? layout
                : fitting(alone, candidate);
        if (compared == null) {
            tested.add(h.words() + ": skipped, it computes shape " + alone.shape() + ", which the TFLite shape "
                    + candidate.shape() + " fits in no layout");
            return new Outcome(false, null);
        }
        return record(h.words(), PairJudge.compare(alone, candidate, compared, rule));
    }

    /**
     * The layout a changed output is compared in when its shape is not the one the pair was aligned at (a hypothesis
     * that changes the shape, for a root whose shapes differ): the first permutation the TFLite shape fits, channels
     * last preferred after the identity; null when only a flat reading would fit, too weak to prove anything.
     */
    private static TensorLayout fitting(Tensor alone, Tensor candidate) {
        return TensorLayout.fitting(alone.shape(), candidate.shape()).stream()
                .filter(l -> l.kind() != TensorLayout.Kind.FLAT).findFirst().orElse(null);
    }

    /** Records in {@link #tested} whether {@code words} reproduced the TFLite values, as {@code c} says. */
    Outcome record(String words, Comparison c) {
        double error = c.metrics().normalizedMaxError();
        boolean reproduced = c.verdict() == Verdict.PASS;
        tested.add(words + ": " + (reproduced ? "reproduces" : "does not reproduce") + " the TFLite values ("
                + ShortNumber.format(error) + " of scale)");
        if (!reproduced) {
            misses.add(new Diagnosis.Attempt(words, error));
        }
        return new Outcome(reproduced, error);
    }

    GraphNode producer(String tfliteTensor) {
        return tflite.graph().nodes().stream().filter(n -> n.outputs().contains(tfliteTensor)).findFirst().orElse(null);
    }

    /** An operator in words: its type, and its name where it has one. */
    static String named(GraphNode n) {
        return n.name().isEmpty() ? n.opType() : n.opType() + " " + ShortName.quoted(n.name());
    }

    Tensor onnxValue(String name) {
        return LayerIsolation.valueOf(onnx, name);
    }

    Diagnosis found(DiagnosisKind kind, String detail, Double error) {
        return new Diagnosis(kind, detail, error, tested, nearMisses());
    }

    Diagnosis unknown(String why) {
        return new Diagnosis(DiagnosisKind.UNKNOWN, why, null, tested, nearMisses());
    }

    List<Diagnosis.Attempt> nearMisses() {
        return misses.stream().sorted(Comparator.comparingDouble(Diagnosis.Attempt::error)).limit(ALTERNATIVES).toList();
    }
}
