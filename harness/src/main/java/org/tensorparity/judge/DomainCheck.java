package org.tensorparity.judge;

import java.util.List;
import java.util.Optional;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.ValueRange;
import org.tensorparity.result.LayerResult;
import org.tensorparity.result.OutputResult;
import org.tensorparity.text.ShortNumber;

/**
 * Notices when the reference itself overflows: an ONNX tensor that reaches 1e16 or holds infinities or
 * NaN. A trained network kept in its input domain does not do that, so the inputs are probably outside
 * it (seeded values in [-1, 1) where the model expects an image in [0, 1], say), and the comparison says
 * more about the inputs than about the conversion.
 */
public final class DomainCheck {
    /**
     * Float32 activations of models run in their domain stay far below this (the corpus peaks near 1e4, in
     * audio front ends); exp() of a moderate out-of-domain value reaches it (FLW-Net's Softplus on
     * uniform [-1, 1) inputs: 2.7e16 in ONNX Runtime, infinity in TFLite).
     */
    static final double OVERFLOW = 1e16;

    private DomainCheck() {
    }

    /** A warning naming the first overflowing ONNX tensor (outputs first, then layers in order), if any. */
    public static Optional<String> warning(List<OutputResult> outputs, List<LayerResult> layers) {
        for (OutputResult o : outputs) {
            Optional<String> w = check(o.onnx(), o.metrics());
            if (w.isPresent()) {
                return w;
            }
        }
        for (LayerResult l : layers) {
            Optional<String> w = check(l.onnx(), l.metrics());
            if (w.isPresent()) {
                return w;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> check(String tensor, ErrorMetrics m) {
        if (m == null) {
            return Optional.empty();
        }
        ValueRange r = m.reference();
        String what;
        if (r.infCount() > 0 || r.nanCount() > 0) {
            what = "holds " + (r.infCount() > 0 ? r.infCount() + " infinite" : "") + (r.infCount() > 0 && r.nanCount() > 0
                    ? " and " : "") + (r.nanCount() > 0 ? r.nanCount() + " NaN" : "") + " values";
        } else if (r.maxMagnitude() >= OVERFLOW) {
            what = "reaches " + ShortNumber.format(r.maxMagnitude());
        } else {
            return Optional.empty();
        }
        return Optional.of("ONNX tensor '" + tensor + "' " + what + " in the reference run: the inputs are probably"
                + " outside the model's domain; feed values like the model's real inputs with --dist or --input");
    }
}
