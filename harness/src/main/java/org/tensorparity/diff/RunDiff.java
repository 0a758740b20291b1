package org.tensorparity.diff;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.tensorparity.compare.Verdict;

/**
 * Two runs of one model pair compared tensor by tensor.
 *
 * @param margin how much a tensor's error may grow before it counts as worse (0.25: by 25%)
 * @param floor errors below this count as equal to it, so rounding noise cannot make a tensor worse
 * @param oldVerdict the old run's verdict
 * @param newVerdict the new run's verdict
 * @param changes every tensor found in both runs, outputs first, then layers in the new run's order
 * @param onlyInOld tensors the new run no longer compared (e.g. alignment paired them differently)
 * @param onlyInNew tensors only the new run compared
 * @param notes differences between the runs that may explain the numbers (models, seed, tolerance)
 */
public record RunDiff(double margin, double floor, Verdict oldVerdict, Verdict newVerdict, List<TensorChange> changes,
        List<String> onlyInOld, List<String> onlyInNew, List<String> notes) {
    public RunDiff {
        changes = List.copyOf(changes);
        onlyInOld = List.copyOf(onlyInOld);
        onlyInNew = List.copyOf(onlyInNew);
        notes = List.copyOf(notes);
    }

    /** The tensors that got worse, worst growth first. */
    public List<TensorChange> worse() {
        return changes.stream().filter(c -> c.change() == TensorChange.Change.WORSE)
                .sorted((a, b) -> Double.compare(b.ratio(), a.ratio())).toList();
    }

    /**
     * The first layer, in the new run's TFLite execution order, whose error or noise differs at all: where two
     * runs of deterministic runtimes on the same inputs start to compute differently, however small the change.
     * Both runs compare one ONNX model, so a change comes from the TFLite side (its file, runtime or inputs) and
     * can only spread along the TFLite graph: TFLite order, not ONNX order, puts its origin first even when
     * alignment paired a downstream TFLite tensor with an earlier ONNX one. Empty when no layer moved.
     */
    public Optional<TensorChange> firstChangedLayer() {
        return changes.stream().filter(c -> c.kind().equals("layer") && (Double.compare(c.oldError(), c.newError()) != 0
                || Double.compare(c.oldNoise(), c.newNoise()) != 0)).min(Comparator.comparingInt(TensorChange::tfliteOrder));
    }

    /** The tensors that got better, best improvement first. */
    public List<TensorChange> better() {
        return changes.stream().filter(c -> c.change() == TensorChange.Change.BETTER)
                .sorted((a, b) -> Double.compare(a.ratio(), b.ratio())).toList();
    }

    /** True when a tensor got worse, or the run as a whole now fails where it passed. */
    public boolean regressed() {
        return !worse().isEmpty() || (oldVerdict == Verdict.PASS && newVerdict == Verdict.FAIL);
    }

    /** The ratchet's verdict: it fails when the new run {@linkplain #regressed() regressed}. */
    public Verdict verdict() {
        return regressed() ? Verdict.FAIL : Verdict.PASS;
    }
}
