package org.tensorparity.align;

import java.util.List;

/**
 * The result of aligning two graphs.
 *
 * @param pairs aligned pairs in ONNX execution order
 * @param unmatched tensors of either model without a partner, each with a reason
 * @param onnxCandidates how many ONNX activations took part
 * @param tfliteCandidates how many TFLite activations took part
 */
public record Alignment(List<AlignedPair> pairs, List<UnmatchedTensor> unmatched, int onnxCandidates,
        int tfliteCandidates) {
    public Alignment {
        pairs = List.copyOf(pairs);
        unmatched = List.copyOf(unmatched);
    }
}
