package org.tensorparity.result;

import org.tensorparity.text.ByteSize;

/**
 * The memory budget of a layer-by-layer run and how its capture kept to it ({@code --max-memory}).
 *
 * @param budgetBytes what the run might hold beyond the two loaded models
 * @param budgetFrom where the budget came from: {@code --max-memory}, or {@code available memory} (three quarters
 *     of what the machine had available)
 * @param estimatedBytes what capturing every intermediate whole would hold (both models' intermediates in the
 *     runtimes and as Java copies); null where the converted model could not tell before running
 * @param passBytes the most intermediates one pass of a model held in its runtime; 0 when each model ran whole, in
 *     one pass
 * @param onnxPasses passes the reference's instrumented run took (1 when whole)
 * @param tflitePasses passes the converted model's instrumented run took (1 when whole)
 * @param spilledBytes captured values kept on disk rather than on the heap; 0 when held whole
 */
public record CaptureMemory(long budgetBytes, String budgetFrom, Long estimatedBytes, long passBytes, int onnxPasses,
        int tflitePasses, long spilledBytes) {
    /** Whether the models ran in passes, their captured values kept on disk. */
    public boolean inPasses() {
        return passBytes > 0;
    }

    /** The capture in one line, for a run that went in passes: how many, within what, and what went to disk. */
    public String describe() {
        return "captured in passes within " + ("--max-memory".equals(budgetFrom) ? "--max-memory " : "the ")
                + ByteSize.format(budgetBytes) + ("--max-memory".equals(budgetFrom) ? "" : " budget of the memory available")
                + ": ONNX " + onnxPasses + ", TFLite " + tflitePasses + " pass" + (tflitePasses == 1 ? "" : "es")
                + (estimatedBytes == null ? "" : " (whole, about " + ByteSize.format(estimatedBytes) + ")") + "; "
                + ByteSize.format(spilledBytes) + " of values kept in a temporary file";
    }
}
