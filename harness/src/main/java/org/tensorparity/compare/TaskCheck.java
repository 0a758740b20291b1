package org.tensorparity.compare;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * A task-level check of one output: does the converted model make the decision the reference makes? Small
 * elementwise errors matter little if the tracker still picks the same peak of its score map or the
 * classifier the same top classes, and a tolerable-looking error matters a lot if it moves them. Checked
 * beside the elementwise rule, never instead of it.
 *
 * <p>Both kinds rank elements by value, highest first; equal values rank by lower index (numpy's
 * {@code argmax}/stable {@code argsort} order) and NaN ranks above everything, as {@code argmax} returns it.
 * The check agrees when both tensors have the same <em>set</em> of top {@code k} indices in every ranked row:
 * the order inside the top k is not compared.
 *
 * <p>Text form ({@link #parse}, {@link #describe}): {@code peak}, {@code top-locations:K},
 * {@code top-classes:K} or {@code top-rows:K@C}.
 */
public sealed interface TaskCheck {

    /**
     * The {@code k} highest elements of the whole tensor, as flat indices: where a score map or heat map
     * peaks. {@code k = 1} is the peak.
     *
     * @param k how many locations, at least 1
     */
    record TopLocations(int k) implements TaskCheck {
        public TopLocations {
            requirePositive(k);
        }

        @Override
        public String describe() {
            return k == 1 ? "peak" : "top-locations:" + k;
        }

        @Override
        public int rowLength(Shape shape) {
            return Math.toIntExact(shape.elementCount());
        }
    }

    /**
     * The {@code k} highest elements along the last axis, for every row of the other axes: a classifier's
     * top classes for each item of the batch.
     *
     * @param k how many classes, at least 1
     */
    record TopClasses(int k) implements TaskCheck {
        public TopClasses {
            requirePositive(k);
        }

        @Override
        public String describe() {
            return "top-classes:" + k;
        }

        @Override
        public int rowLength(Shape shape) {
            if (shape.rank() == 0) {
                throw new IllegalArgumentException(describe() + " needs a tensor with a class axis, got a scalar");
            }
            return shape.dim(shape.rank() - 1);
        }
    }

    /**
     * The {@code k} rows (the second-to-last axis) with the highest value in column {@code column} of the
     * last axis: a detector's best candidates by their score. YOLOX's raw head [1, 3549, 85] holds 4 box
     * terms, the objectness (column 4) and 80 class scores per anchor; {@code top-rows:10@4} asks that the
     * converted model keeps the same ten most confident anchors. Indices in the outcome are row indices.
     *
     * @param k how many rows, at least 1
     * @param column the score's index in the last axis, at least 0
     */
    record TopRows(int k, int column) implements TaskCheck {
        public TopRows {
            requirePositive(k);
            if (column < 0) {
                throw new IllegalArgumentException("the column must be at least 0, got " + column);
            }
        }

        @Override
        public String describe() {
            return "top-rows:" + k + "@" + column;
        }

        @Override
        public int rowLength(Shape shape) {
            if (shape.rank() < 2) {
                throw new IllegalArgumentException(describe() + " needs a tensor of rows and columns, got " + shape);
            }
            if (column >= shape.dim(shape.rank() - 1)) {
                throw new IllegalArgumentException(describe() + ": column " + column + " is beyond the last axis of "
                        + shape);
            }
            return shape.dim(shape.rank() - 2);
        }

        @Override
        public Outcome evaluate(Tensor reference, Tensor candidate) {
            if (!reference.shape().equals(candidate.shape())) {
                throw new IllegalArgumentException(describe() + ": reference shape " + reference.shape()
                        + " and candidate shape " + candidate.shape() + " differ");
            }
            if (rowLength(reference.shape()) < k) {
                throw new IllegalArgumentException(describe() + " needs at least " + k + " rows, " + reference.shape()
                        + " has " + rowLength(reference.shape()));
            }
            Outcome ranked = new TopLocations(k).evaluate(scores(reference), scores(candidate));
            return new Outcome(this, ranked.rows(), ranked.disagreeingRows(), ranked.row(), ranked.referenceTop(),
                    ranked.candidateTop(), ranked.referenceAtReferenceTop(), ranked.referenceAtCandidateTop());
        }

        /** Column {@code column} of every row, over all leading axes (a batch of detections ranks together). */
        private Tensor scores(Tensor t) {
            int columns = t.shape().dim(t.shape().rank() - 1);
            int n = t.size() / columns;
            float[] out = new float[n];
            for (int r = 0; r < n; r++) {
                out[r] = t.get(r * columns + column);
            }
            return Tensor.of(Shape.of(n), out);
        }
    }

    /**
     * What a check saw.
     *
     * @param check the check
     * @param rows how many rankings were compared (1 for {@link TopLocations}, the rows for {@link TopClasses})
     * @param disagreeingRows how many of them differ
     * @param row the row shown below: the first that differs, or 0 when all agree
     * @param referenceTop the reference's top-k flat indices into the tensor (row-major), highest first
     * @param candidateTop the candidate's, highest first
     * @param referenceAtReferenceTop the reference's values at {@code referenceTop}
     * @param referenceAtCandidateTop the reference's values at {@code candidateTop}: close to the above means a
     *     near tie, not a broken model
     */
    record Outcome(TaskCheck check, int rows, int disagreeingRows, int row, List<Integer> referenceTop,
            List<Integer> candidateTop, List<Float> referenceAtReferenceTop, List<Float> referenceAtCandidateTop) {
        public Outcome {
            referenceTop = List.copyOf(referenceTop);
            candidateTop = List.copyOf(candidateTop);
            referenceAtReferenceTop = List.copyOf(referenceAtReferenceTop);
            referenceAtCandidateTop = List.copyOf(referenceAtCandidateTop);
        }

        /** True when every row has the same top-k set on both sides. */
        public boolean agrees() {
            return disagreeingRows == 0;
        }
    }

    /** How many elements the check ranks. */
    int k();

    /** The text form: {@code peak}, {@code top-locations:5}, {@code top-classes:5}, {@code top-rows:10@4}. */
    String describe();

    /**
     * Length of one ranked row of a tensor of this shape (rows are contiguous in row-major order).
     *
     * @throws IllegalArgumentException if the shape has no such row
     */
    int rowLength(Shape shape);

    /**
     * Checks that a tensor of {@code shape} can be ranked by this check.
     *
     * @throws IllegalArgumentException saying why not, in one line
     */
    default void requireFits(Shape shape) {
        int length = rowLength(shape);
        if (length < k()) {
            throw new IllegalArgumentException(describe() + " needs rows of at least " + k() + " values, " + shape
                    + " has " + length);
        }
    }

    /**
     * Compares the decisions of {@code candidate} with those of {@code reference}. The candidate must already
     * be in the reference's layout (permuted like the elementwise comparison).
     *
     * @throws IllegalArgumentException if the shapes differ or a row is shorter than {@code k}
     */
    default Outcome evaluate(Tensor reference, Tensor candidate) {
        if (!reference.shape().equals(candidate.shape())) {
            throw new IllegalArgumentException(describe() + ": reference shape " + reference.shape()
                    + " and candidate shape " + candidate.shape() + " differ");
        }
        if (reference.size() == 0) {
            throw new IllegalArgumentException(describe() + " needs a tensor with values, got shape " + reference.shape());
        }
        int length = rowLength(reference.shape());
        if (length < k()) {
            throw new IllegalArgumentException(describe() + " needs rows of at least " + k() + " values, "
                    + reference.shape() + " has " + length);
        }
        int rows = reference.size() / length;
        int disagreeing = 0;
        int shown = 0;
        int[] refTop = null;
        int[] candTop = null;
        for (int r = 0; r < rows; r++) {
            int[] a = top(reference.data(), r * length, length, k());
            int[] b = top(candidate.data(), r * length, length, k());
            boolean same = sameSet(a, b);
            if (!same) {
                disagreeing++;
            }
            if (r == 0 || !same && disagreeing == 1) {
                shown = r;
                refTop = a;
                candTop = b;
            }
        }
        return new Outcome(this, rows, disagreeing, shown, boxed(refTop), boxed(candTop),
                valuesAt(reference, refTop), valuesAt(reference, candTop));
    }

    /**
     * Parses {@code peak}, {@code top-locations:K}, {@code top-classes:K} or {@code top-rows:K@COLUMN}.
     *
     * @throws IllegalArgumentException naming the text, in one line
     */
    static TaskCheck parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("peak")) {
            return new TopLocations(1);
        }
        int colon = t.indexOf(':');
        String kind = colon < 0 ? t : t.substring(0, colon);
        if (colon < 0 || !(kind.equals("top-locations") || kind.equals("top-classes") || kind.equals("top-rows"))) {
            throw new IllegalArgumentException("task check '" + text
                    + "' is not peak, top-locations:K, top-classes:K or top-rows:K@COLUMN");
        }
        if (kind.equals("top-rows")) {
            return topRows(text, t.substring(colon + 1));
        }
        int k;
        try {
            k = Integer.parseInt(t.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task check '" + text + "': K must be a whole number");
        }
        try {
            return kind.equals("top-locations") ? new TopLocations(k) : new TopClasses(k);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task check '" + text + "': " + e.getMessage());
        }
    }

    private static TaskCheck topRows(String text, String spec) {
        int at = spec.indexOf('@');
        if (at < 0) {
            throw new IllegalArgumentException("task check '" + text + "': give the score's column, as top-rows:K@COLUMN");
        }
        try {
            return new TopRows(Integer.parseInt(spec.substring(0, at).trim()), Integer.parseInt(spec.substring(at + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("task check '" + text + "': K and COLUMN must be whole numbers");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("task check '" + text + "': " + e.getMessage());
        }
    }

    private static void requirePositive(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("K must be at least 1, got " + k);
        }
    }

    /** Flat indices of the k highest of {@code values[from, from+length)}, highest first. */
    private static int[] top(float[] values, int from, int length, int k) {
        int[] best = new int[k];
        int filled = 0;
        for (int i = from; i < from + length; i++) {
            if (filled == k && !ranksBefore(values, i, best[k - 1])) {
                continue;
            }
            int at = filled < k ? filled++ : k - 1;
            while (at > 0 && ranksBefore(values, i, best[at - 1])) {
                best[at] = best[at - 1];
                at--;
            }
            best[at] = i;
        }
        return best;
    }

    /** True when element {@code i} ranks above element {@code j}; called with {@code i > j} only. */
    private static boolean ranksBefore(float[] values, int i, int j) {
        float a = values[i];
        float b = values[j];
        if (Float.isNaN(b)) {
            return false; // an earlier NaN stays first
        }
        return Float.isNaN(a) || a > b;
    }

    private static boolean sameSet(int[] a, int[] b) {
        HashSet<Integer> set = new HashSet<>();
        for (int i : a) {
            set.add(i);
        }
        for (int i : b) {
            if (!set.contains(i)) {
                return false;
            }
        }
        return true;
    }

    private static List<Integer> boxed(int[] indices) {
        List<Integer> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(i);
        }
        return out;
    }

    private static List<Float> valuesAt(Tensor t, int[] indices) {
        List<Float> out = new ArrayList<>(indices.length);
        for (int i : indices) {
            out.add(t.get(i));
        }
        return out;
    }
}
