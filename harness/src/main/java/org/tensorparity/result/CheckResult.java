package org.tensorparity.result;

import java.util.List;

/**
 * A task-level check on one output (the tracker's decision, not its numbers): do both models put the
 * peak, or the top-k locations or classes, in the same place?
 *
 * @param check the check, e.g. {@code peak} or {@code top-locations:5}
 * @param agrees true when every row has the same top-k set on both sides, in every sample
 * @param rows rows compared (1 for whole-tensor location checks)
 * @param disagreeingRows rows whose top-k sets differ, in the worst sample
 * @param onnxTop the reference's top-k flat indices in the first disagreeing row (or row 0)
 * @param tfliteTop the candidate's, in the reference layout
 */
public record CheckResult(String check, boolean agrees, int rows, int disagreeingRows, List<Integer> onnxTop,
        List<Integer> tfliteTop) {
    public CheckResult {
        onnxTop = List.copyOf(onnxTop);
        tfliteTop = List.copyOf(tfliteTop);
    }
}
