package org.tensorparity.align;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensors that hold the same values as a tensor already paired (an ONNX Squeeze of a paired LSTM state, a TFLite
 * PACK of one value): comparing them would add nothing, so they are left unmatched, saying which pair holds their
 * values.
 */
final class DuplicateValues {
    private DuplicateValues() {
    }

    /**
     * Tensors left over whose values agree with a tensor that found a partner hold a duplicate value;
     * keyed {@code onnx:NAME} or {@code tflite:NAME}, with the reason in words.
     */
    static Map<String, String> of(List<Agreement> agreements, List<LayerTensor> a, List<LayerTensor> b, Matching m) {
        Map<String, String> out = new HashMap<>();
        for (Agreement g : agreements) {
            LayerTensor x = a.get(g.i());
            LayerTensor y = b.get(g.j());
            if (m.partnerOfA[g.i()] < 0 && m.partnerOfB[g.j()] >= 0) {
                out.putIfAbsent("onnx:" + x.name(), "holds the same values as ONNX '"
                        + a.get(m.partnerOfB[g.j()]).name() + "', which pairs with '" + y.name() + "'");
            }
            if (m.partnerOfB[g.j()] < 0 && m.partnerOfA[g.i()] >= 0) {
                out.putIfAbsent("tflite:" + y.name(), "holds the same values as TFLite '"
                        + b.get(m.partnerOfA[g.i()]).name() + "', which pairs with '" + x.name() + "'");
            }
        }
        return out;
    }
}
