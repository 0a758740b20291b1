package org.tensorparity.result;

import java.util.List;

/**
 * How well the two graphs aligned.
 *
 * @param onnxCandidates ONNX activations considered
 * @param tfliteCandidates TFLite activations considered
 * @param pairs aligned pairs
 * @param failure null, or a statement that the graphs could not be aligned ("no counterpart for N of M
 *     layers from X on"), which fails the run
 * @param notes what was not captured (e.g. control-flow subgraphs)
 * @param inlinedIfs the ONNX {@code If} nodes whose taken branch was inlined so that its layers were compared
 * @param unrolledLoops the ONNX {@code Loop} nodes whose body was unrolled so that its layers were compared
 */
public record AlignmentSummary(int onnxCandidates, int tfliteCandidates, int pairs, String failure,
        List<String> notes, List<InlinedIf> inlinedIfs, List<UnrolledLoopSummary> unrolledLoops) {
    public AlignmentSummary {
        notes = List.copyOf(notes);
        // Reports written before branches were inlined or loops unrolled are still read.
        inlinedIfs = inlinedIfs == null ? List.of() : List.copyOf(inlinedIfs);
        unrolledLoops = unrolledLoops == null ? List.of() : List.copyOf(unrolledLoops);
    }
}
