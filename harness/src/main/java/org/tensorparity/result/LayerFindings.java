package org.tensorparity.result;

import java.util.List;
import org.tensorparity.align.UnmatchedTensor;
import org.tensorparity.compare.Verdict;

/**
 * What comparing the models layer by layer found: how the graphs aligned, every aligned pair judged, and where
 * they first part. The layer stage produces it; the verdict and the report read it.
 *
 * @param alignment how the graphs aligned
 * @param layers every aligned intermediate pair, judged, in ONNX execution order
 * @param noiseHotspots indices into {@code layers} of the layers that add the most error themselves, largest first
 * @param firstDivergence where the models first part; null when no layer fails
 * @param unmatched tensors of either model without a partner, with reasons
 * @param layoutAnomalies pairs whose values agree only under a permutation no converter should produce
 */
public record LayerFindings(AlignmentSummary alignment, List<LayerResult> layers, List<Integer> noiseHotspots,
        FirstDivergence firstDivergence, List<UnmatchedTensor> unmatched, List<LayoutAnomaly> layoutAnomalies) {
    public LayerFindings {
        layers = List.copyOf(layers);
        // Reports written before noise was recorded are still read.
        noiseHotspots = noiseHotspots == null ? List.of() : List.copyOf(noiseHotspots);
        for (int i : noiseHotspots) {
            if (i < 0 || i >= layers.size()) {
                throw new IllegalArgumentException("noiseHotspots holds " + i + ", not an index into the "
                        + layers.size() + " layers");
            }
        }
        unmatched = List.copyOf(unmatched);
        layoutAnomalies = List.copyOf(layoutAnomalies);
    }

    /** Whether the graphs failed to align or any aligned layer fails its rule. */
    public boolean anyFailure() {
        return alignment.failure() != null || layers.stream().anyMatch(l -> l.verdict() == Verdict.FAIL);
    }
}
