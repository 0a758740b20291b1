package org.tensorparity.diff;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tensorparity.BadInputException;
import org.tensorparity.backend.RuntimeInfo;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;
import org.tensorparity.result.ParityReport;

/**
 * Compares two reports of the same model pair tensor by tensor.
 *
 * <p><b>Same pair.</b> The ONNX model is the reference and must be the same file in both runs (equal
 * sha256); otherwise the numbers are not comparable and the diff is refused. The TFLite model may differ:
 * re-converting the same original with an upgraded converter is what this comparison is for.
 *
 * <p><b>Matching.</b> Tensors are matched by their ONNX and TFLite names together; a tensor left over on
 * both sides is then matched by its ONNX name alone when that name is unique among the leftovers of each
 * run (a converter upgrade may rename the TFLite side).
 *
 * <p><b>Worse.</b> Two figures of a tensor are followed: its normalized max error and its noise (the
 * error's RMS over the reference's, {@code 10^(-SQNR/20)}). With both floored at {@code floor}, a tensor is
 * worse when either grew, {@code max(new, floor) > (1 + margin) * max(old, floor)}, or when it fails now and
 * passed before; better when neither grew and one shrank symmetrically, or it passes now and failed
 * before. The noise matters for quantized models: their max errors are set by a few rounding outliers and
 * barely move when a channel goes wrong, while the noise of the whole tensor does. A layer whose stored weights differ
 * from the ONNX weights ({@code isolated.weights}) counts as failing: the change holds on every input.
 */
public final class RunDiffer {
    /** Default margin: an error may grow by 25% (run-to-run changes of a kernel or fusion stay well within it). */
    public static final double DEFAULT_MARGIN = 0.25;
    /**
     * Default floor: 1e-5, ten times the float32 rounding of a correct conversion. Correct float32 conversions stay around 1e-6
     * (see {@code ToleranceProfile}), so changes below the floor are rounding noise, not regressions.
     */
    public static final double DEFAULT_FLOOR = 1e-5;

    private final double margin;
    private final double floor;

    public RunDiffer(double margin, double floor) {
        if (!(margin >= 0) || Double.isInfinite(margin) || !(floor >= 0) || Double.isInfinite(floor)) {
            throw new IllegalArgumentException("margin and floor must be finite and not negative");
        }
        this.margin = margin;
        this.floor = floor;
    }

    /** A tensor of one run: its kind, names, error and verdict. */
    private record Entry(String kind, int tfliteOrder, String onnx, String tflite, double error, double noise, Verdict verdict) {
        String key() {
            return kind + "\u0000" + onnx + "\u0000" + tflite;
        }

        String label() {
            return kind + " " + onnx + " -> " + tflite;
        }
    }

    /**
     * @throws BadInputException when the two reports compare different ONNX models
     */
    public RunDiff diff(ParityReport older, ParityReport newer) throws BadInputException {
        String oldOnnx = older.provenance().onnxModel().sha256();
        String newOnnx = newer.provenance().onnxModel().sha256();
        if (!oldOnnx.equals(newOnnx)) {
            throw new BadInputException("the two reports are not runs of the same model pair: their ONNX models differ"
                    + " (sha256 " + shortHash(oldOnnx) + " vs " + shortHash(newOnnx) + ")");
        }
        Map<String, Entry> oldEntries = entries(older);
        Map<String, Entry> newEntries = entries(newer);
        List<TensorChange> changes = new ArrayList<>();
        Map<String, Entry> oldLeft = new LinkedHashMap<>(oldEntries);
        List<Entry> newLeft = new ArrayList<>();
        for (Entry n : newEntries.values()) {
            Entry o = oldLeft.remove(n.key());
            if (o != null) {
                changes.add(change(o, n));
            } else {
                newLeft.add(n);
            }
        }
        matchByOnnxName(oldLeft, newLeft, changes);
        return new RunDiff(margin, floor, older.verdict(), newer.verdict(), changes,
                oldLeft.values().stream().map(Entry::label).toList(), newLeft.stream().map(Entry::label).toList(),
                notes(older, newer));
    }

    /** Leftovers whose ONNX name is unique among the leftovers of both runs: the TFLite side was renamed. */
    private void matchByOnnxName(Map<String, Entry> oldLeft, List<Entry> newLeft, List<TensorChange> changes) {
        Map<String, Integer> oldCount = new HashMap<>();
        Map<String, Integer> newCount = new HashMap<>();
        oldLeft.values().forEach(e -> oldCount.merge(e.kind() + "\u0000" + e.onnx(), 1, Integer::sum));
        newLeft.forEach(e -> newCount.merge(e.kind() + "\u0000" + e.onnx(), 1, Integer::sum));
        for (int i = 0; i < newLeft.size(); i++) {
            Entry n = newLeft.get(i);
            String name = n.kind() + "\u0000" + n.onnx();
            if (oldCount.getOrDefault(name, 0) == 1 && newCount.get(name) == 1) {
                Entry o = oldLeft.values().stream().filter(e -> (e.kind() + "\u0000" + e.onnx()).equals(name))
                        .findFirst().orElseThrow();
                oldLeft.remove(o.key());
                newLeft.remove(i--);
                changes.add(change(o, n));
            }
        }
    }

    private TensorChange change(Entry o, Entry n) {
        double errorRatio = ratio(o.error(), n.error());
        double noiseRatio = Double.isNaN(o.noise()) || Double.isNaN(n.noise()) ? 1.0 : ratio(o.noise(), n.noise());
        double growth = Math.max(errorRatio, noiseRatio);
        double shrink = Math.min(errorRatio, noiseRatio);
        TensorChange.Change change;
        if ((o.verdict() == Verdict.PASS && n.verdict() == Verdict.FAIL) || growth > 1 + margin) {
            change = TensorChange.Change.WORSE;
        } else if ((o.verdict() == Verdict.FAIL && n.verdict() == Verdict.PASS) || 1 / shrink > 1 + margin) {
            change = TensorChange.Change.BETTER;
        } else {
            change = TensorChange.Change.SAME;
        }
        double ratio = growth > 1 ? growth : shrink;
        return new TensorChange(n.kind(), n.tfliteOrder(), n.onnx(), o.tflite(), n.tflite(), o.error(), n.error(), o.noise(), n.noise(),
                ratio, o.verdict(), n.verdict(), change);
    }

    /** {@code max(after, floor) / max(before, floor)}; 1 when both are equal (both infinite included). */
    private double ratio(double before, double after) {
        double b = Math.max(before, floor);
        double a = Math.max(after, floor);
        return b == a ? 1.0 : a / b;
    }

    /** Every compared tensor of a run by its key, outputs first, then layers in execution order. */
    private static Map<String, Entry> entries(ParityReport r) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (OutputResult o : r.outputs()) {
            Entry e = new Entry("output", -1, o.onnx(), o.tflite(), error(o.metrics()), noise(o.metrics()), o.verdict());
            entries.putIfAbsent(e.key(), e);
        }
        for (LayerResult l : r.layers()) {
            // Stored weights that differ from the ONNX weights are a change on any input: the layer counts as failing.
            boolean weightsDiffer = l.isolated() != null && l.isolated().weights() != null
                    && l.isolated().weights().differs();
            Entry e = new Entry("layer", l.tfliteOrder() == null ? -1 : l.tfliteOrder(), l.onnx(), l.tflite(),
                    error(l.metrics()), noise(l.metrics()), weightsDiffer ? Verdict.FAIL : l.verdict());
            entries.putIfAbsent(e.key(), e);
        }
        return entries;
    }

    private static double error(ErrorMetrics m) {
        return m == null || Double.isNaN(m.normalizedMaxError()) ? Double.POSITIVE_INFINITY : m.normalizedMaxError();
    }

    /** The error's RMS over the reference's; infinite without metrics, NaN when SQNR is undefined (all-zero reference). */
    private static double noise(ErrorMetrics m) {
        if (m == null) {
            return Double.POSITIVE_INFINITY;
        }
        return m.sqnrDb() == Double.POSITIVE_INFINITY ? 0 : Math.pow(10, -m.sqnrDb() / 20);
    }

    private static List<String> notes(ParityReport older, ParityReport newer) {
        List<String> notes = new ArrayList<>();
        String oldTflite = older.provenance().tfliteModel().sha256();
        String newTflite = newer.provenance().tfliteModel().sha256();
        notes.add(oldTflite.equals(newTflite) ? "same TFLite model (sha256 " + shortHash(newTflite) + ")"
                : "the TFLite model changed (sha256 " + shortHash(oldTflite) + " -> " + shortHash(newTflite) + ")");
        if (older.seed() != newer.seed()) {
            notes.add("the inputs differ: seed " + older.seed() + " -> " + newer.seed());
        }
        if (!older.tolerance().equals(newer.tolerance())) {
            notes.add("the tolerance differs: " + older.tolerance() + " -> " + newer.tolerance());
        }
        if (!older.provenance().tfliteRuntime().equals(newer.provenance().tfliteRuntime())) {
            notes.add("the TFLite runtime or its settings differ: " + runtime(older.provenance().tfliteRuntime()) + " -> "
                    + runtime(newer.provenance().tfliteRuntime()));
        }
        if (!older.provenance().onnxRuntime().equals(newer.provenance().onnxRuntime())) {
            notes.add("the ONNX Runtime version or its settings differ: " + runtime(older.provenance().onnxRuntime())
                    + " -> " + runtime(newer.provenance().onnxRuntime()));
        }
        if ((older.alignment() == null) != (newer.alignment() == null)) {
            notes.add("layers were compared in only one run (the other was --outputs-only)");
        }
        return notes;
    }

    private static String runtime(RuntimeInfo r) {
        return r.version() + " " + new TreeMap<>(r.settings());
    }

    private static String shortHash(String sha256) {
        return sha256.substring(0, Math.min(12, sha256.length()));
    }
}
