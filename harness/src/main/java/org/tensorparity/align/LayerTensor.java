package org.tensorparity.align;

import java.util.List;
import org.tensorparity.tensor.Shape;

/**
 * An activation tensor one graph produced, as alignment sees it.
 *
 * @param name tensor name in its model
 * @param order position in this graph's execution order (increasing, not contiguous)
 * @param opType the operator that produced it
 * @param groupOp the operator at the head of the fusion chain it ends (e.g. {@code Conv} for the
 *     {@code Relu} output of Conv->BatchNormalization->Relu); equals {@code opType} otherwise
 * @param shape its shape in this run
 * @param fingerprint layout-invariant statistics of its values
 * @param fusionInterior true when a converter would normally fuse this tensor away (its only consumer
 *     is a BatchNormalization or activation that folds into the producer)
 * @param nameKeys names that count as name evidence: the tensor name, the producing node name, and
 *     each part of a fused TFLite name, normalized
 */
public record LayerTensor(String name, int order, String opType, String groupOp, Shape shape,
        TensorFingerprint fingerprint, boolean fusionInterior, List<String> nameKeys) {
    public LayerTensor {
        nameKeys = List.copyOf(nameKeys);
    }
}
