package org.tensorparity.align;

import java.util.List;
import org.tensorparity.tensor.Shape;
import org.tensorparity.tensor.Tensor;

/**
 * An activation tensor one graph produced, as alignment sees it.
 *
 * @param name tensor name in its model
 * @param order position in this graph's execution order (increasing, not contiguous)
 * @param opType the operator that produced it
 * @param groupOp the operator at the head of the fusion chain it ends (e.g. {@code Conv} for the
 *     {@code Relu} output of Conv->BatchNormalization->Relu); equals {@code opType} otherwise
 * @param values what it held in the instrumented run (its shape is the tensor's shape in this run)
 * @param fingerprint layout-invariant statistics of its values
 * @param fusionInterior true when a converter would normally fuse this tensor away (its only consumer
 *     is a BatchNormalization or activation that folds into the producer)
 * @param nameKeys names that count as name evidence: the tensor name, the producing node name, and
 *     each part of a fused TFLite name, normalized
 */
public record LayerTensor(String name, int order, String opType, String groupOp, Tensor values,
        TensorFingerprint fingerprint, boolean fusionInterior, List<String> nameKeys) {
    public LayerTensor {
        nameKeys = List.copyOf(nameKeys);
    }

    public Shape shape() {
        return values.shape();
    }

    /** True when every value is the same: such a tensor agrees with any other constant one, so its values prove nothing. */
    boolean constantValued() {
        return fingerprint.min() == fingerprint.max();
    }
}
