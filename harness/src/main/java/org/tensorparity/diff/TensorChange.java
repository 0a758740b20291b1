package org.tensorparity.diff;

import org.tensorparity.compare.Verdict;

/**
 * One tensor compared across two runs. Errors are the scale-normalized max errors
 * ({@code metrics.normalizedMaxError}); a pair that could not be compared element by element (shape
 * mismatch) counts as an infinite error.
 *
 * @param kind {@code output} or {@code layer}
 * @param tfliteOrder the new run's {@code layers[].tfliteOrder} for a layer; -1 for an output, or when the
 *     new report does not record it (then the first changed layer is the first in ONNX order)
 * @param onnx the ONNX tensor name, the same in both runs
 * @param oldTflite its TFLite partner in the old run
 * @param newTflite its TFLite partner in the new run (differs when a converter upgrade renamed it)
 * @param oldError the old run's error
 * @param newError the new run's error
 * @param oldNoise the old run's noise: the error's RMS over the reference's ({@code 10^(-SQNR/20)}); NaN when
 *     undefined (an all-zero reference)
 * @param newNoise the new run's noise
 * @param ratio the larger growth of the two figures, {@code max(new, floor) / max(old, floor)}, when either
 *     grew; otherwise the smaller: above 1 the tensor got worse
 * @param oldVerdict the old run's verdict on this tensor
 * @param newVerdict the new run's verdict on this tensor
 * @param change what the margin makes of it
 */
public record TensorChange(String kind, int tfliteOrder, String onnx, String oldTflite, String newTflite, double oldError,
        double newError, double oldNoise, double newNoise, double ratio, Verdict oldVerdict, Verdict newVerdict, Change change) {

    /** How a tensor's error moved between the runs. */
    public enum Change {
        /** Grew beyond the margin, or now fails where it passed. */
        WORSE,
        /** Shrank beyond the margin, or now passes where it failed. */
        BETTER,
        /** Within the margin either way, and the same verdict. */
        SAME
    }
}
