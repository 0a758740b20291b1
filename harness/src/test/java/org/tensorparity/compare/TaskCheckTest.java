package org.tensorparity.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorparity.compare.TaskCheck.Outcome;
import org.tensorparity.compare.TaskCheck.TopClasses;
import org.tensorparity.compare.TaskCheck.TopLocations;
import org.tensorparity.compare.TaskCheck.TopRows;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

class TaskCheckTest {
    private static final TaskCheck PEAK = TaskCheck.parse("peak");

    @Test
    void peakAgreesWhenTheArgmaxIsTheSame() {
        Shape shape = Shape.of(1, 2, 2, 2);
        Tensor ref = Tensor.of(shape, 0, 1, 2, 3, 9, 5, 6, 7);
        Tensor cand = Tensor.of(shape, 0.1f, 1, 2, 3, 8.5f, 5, 6, 7);
        Outcome o = PEAK.evaluate(ref, cand);
        assertTrue(o.agrees());
        assertEquals(1, o.rows());
        assertEquals(List.of(4), o.referenceTop());
        assertArrayEquals(new int[] {0, 1, 0, 0}, shape.unravel(o.referenceTop().get(0)));
    }

    @Test
    void aMovedPeakDisagreesAndShowsTheReferenceValueAtTheCandidatesPeak() {
        Shape shape = Shape.of(1, 1, 3, 3);
        Tensor ref = Tensor.of(shape, 0, 0, 0, 0, 8.21f, 8.2f, 0, 0, 0);
        Tensor cand = Tensor.of(shape, 0, 0, 0, 0, 8.19f, 8.22f, 0, 0, 0);
        Outcome o = PEAK.evaluate(ref, cand);
        assertFalse(o.agrees());
        assertEquals(1, o.disagreeingRows());
        assertEquals(List.of(4), o.referenceTop());
        assertEquals(List.of(5), o.candidateTop());
        assertEquals(List.of(8.21f), o.referenceAtReferenceTop());
        assertEquals(List.of(8.2f), o.referenceAtCandidateTop());
    }

    @Test
    void topLocationsCompareSetsNotOrder() {
        TaskCheck top3 = TaskCheck.parse("top-locations:3");
        Tensor ref = Tensor.of(Shape.of(6), 5, 1, 4, 0, 3, 2);
        Tensor swapped = Tensor.of(Shape.of(6), 4, 1, 5, 0, 3, 2);
        Outcome same = top3.evaluate(ref, swapped);
        assertTrue(same.agrees());
        assertEquals(List.of(0, 2, 4), same.referenceTop());
        assertEquals(List.of(2, 0, 4), same.candidateTop());

        Tensor other = Tensor.of(Shape.of(6), 5, 1, 4, 0, 2, 3);
        Outcome differs = top3.evaluate(ref, other);
        assertFalse(differs.agrees());
        assertEquals(List.of(0, 2, 5), differs.candidateTop());
        assertEquals(List.of(5f, 4f, 2f), differs.referenceAtCandidateTop());
    }

    @Test
    void tiesRankTheLowerIndexFirstAndNanRanksAboveAll() {
        TaskCheck top2 = new TopLocations(2);
        Tensor ties = Tensor.of(Shape.of(5), 1, 7, 3, 7, 7);
        assertEquals(List.of(1, 3), top2.evaluate(ties, ties).referenceTop());
        Tensor nan = Tensor.of(Shape.of(4), 1, Float.NaN, 9, Float.NaN);
        assertEquals(List.of(1, 3), top2.evaluate(nan, nan).referenceTop());
        Tensor inf = Tensor.of(Shape.of(4), 1, Float.POSITIVE_INFINITY, 9, 2);
        assertEquals(List.of(1, 2), top2.evaluate(inf, inf).referenceTop());
    }

    @Test
    void topClassesRankEachRowOfTheLastAxis() {
        TaskCheck top2 = TaskCheck.parse("top-classes:2");
        Shape shape = Shape.of(3, 4);
        Tensor ref = Tensor.of(shape,
                0.1f, 0.7f, 0.15f, 0.05f,
                0.4f, 0.3f, 0.2f, 0.1f,
                0.0f, 0.1f, 0.2f, 0.7f);
        Tensor cand = Tensor.of(shape,
                0.1f, 0.6f, 0.25f, 0.05f,
                0.4f, 0.1f, 0.3f, 0.2f,
                0.0f, 0.2f, 0.1f, 0.7f);
        Outcome o = top2.evaluate(ref, cand);
        assertEquals(3, o.rows());
        assertEquals(2, o.disagreeingRows());
        assertEquals(1, o.row(), "the first row that differs is shown");
        assertEquals(List.of(4, 5), o.referenceTop());
        assertEquals(List.of(4, 6), o.candidateTop());
        assertEquals(List.of(0.4f, 0.2f), o.referenceAtCandidateTop());

        Outcome self = top2.evaluate(ref, ref);
        assertTrue(self.agrees());
        assertEquals(0, self.row());
    }

    @Test
    void unusableTensorsAreProgrammingErrors() {
        Tensor a = Tensor.of(Shape.of(2, 2), 1, 2, 3, 4);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PEAK.evaluate(a, Tensor.of(Shape.of(4), 1, 2, 3, 4)))
                .getMessage().contains("differ"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new TopClasses(3).evaluate(a, a))
                .getMessage().contains("top-classes:3 needs rows of at least 3 values, [2,2] has 2"));
        Tensor scalar = Tensor.of(Shape.of(), 1);
        assertThrows(IllegalArgumentException.class, () -> new TopClasses(1).evaluate(scalar, scalar));
        assertTrue(PEAK.evaluate(scalar, scalar).agrees());
        Tensor empty = Tensor.of(Shape.of(0, 3));
        assertThrows(IllegalArgumentException.class, () -> new TopClasses(1).evaluate(empty, empty));
    }

    @Test
    void textFormRoundTripsAndRejectsNonsense() {
        assertEquals(new TopLocations(1), TaskCheck.parse(" Peak "));
        assertEquals(new TopLocations(1), TaskCheck.parse("top-locations:1"));
        assertEquals(new TopClasses(5), TaskCheck.parse("top-classes:5"));
        assertEquals(new TopRows(10, 4), TaskCheck.parse("top-rows:10@4"));
        for (TaskCheck c : List.of(new TopLocations(1), new TopLocations(7), new TopClasses(5), new TopRows(3, 0))) {
            assertEquals(c, TaskCheck.parse(c.describe()));
        }
        assertEquals("peak", new TopLocations(1).describe());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskCheck.parse("argmax")).getMessage()
                .equals("task check 'argmax' is not peak, top-locations:K, top-classes:K or top-rows:K@COLUMN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskCheck.parse("top-classes:x")).getMessage()
                .contains("K must be a whole number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskCheck.parse("top-classes:0")).getMessage()
                .contains("K must be at least 1, got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskCheck.parse("top-rows:10")).getMessage()
                .contains("give the score's column, as top-rows:K@COLUMN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskCheck.parse("top-rows:1@-1")).getMessage()
                .contains("the column must be at least 0, got -1"));
    }

    /** Three anchors of [box x, box y, score]: the best by score is row 2, whatever the box terms hold. */
    @Test
    void topRowsRankRowsByOneColumnAcrossTheBatch() {
        Tensor reference = Tensor.of(Shape.of(1, 3, 3), new float[] {9, 9, 0.1f, 0, 0, 0.2f, 5, 5, 0.9f});
        Tensor sameBest = Tensor.of(Shape.of(1, 3, 3), new float[] {0, 0, 0.3f, 9, 9, 0.1f, 1, 1, 0.8f});
        Outcome agree = new TopRows(1, 2).evaluate(reference, sameBest);
        assertTrue(agree.agrees());
        assertEquals(List.of(2), agree.referenceTop());

        Tensor otherBest = Tensor.of(Shape.of(1, 3, 3), new float[] {0, 0, 0.95f, 9, 9, 0.1f, 1, 1, 0.8f});
        Outcome moved = new TopRows(1, 2).evaluate(reference, otherBest);
        assertFalse(moved.agrees());
        assertEquals(List.of(0), moved.candidateTop());
        assertFalse(new TopRows(2, 2).evaluate(reference, otherBest).agrees(), "top two {0, 2} against {2, 1}");
        assertEquals(3, new TopRows(1, 2).rowLength(Shape.of(1, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> new TopRows(1, 3).rowLength(Shape.of(1, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> new TopRows(4, 2).evaluate(reference, reference));
    }
}
