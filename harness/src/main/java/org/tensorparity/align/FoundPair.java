package org.tensorparity.align;

import java.util.List;

/**
 * A pair as one of alignment's phases found it, before its layout is decided.
 *
 * @param agreement the relative RMS difference of the sampled values; NaN for a pair not found by its values
 * @param source how it was found: {@code auto} (by values or by structure), {@code transpose} or {@code mapping}
 */
record FoundPair(LayerTensor onnx, LayerTensor tflite, double agreement, double confidence, List<String> evidence,
        String source) {
}
