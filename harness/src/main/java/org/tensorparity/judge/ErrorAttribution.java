package org.tensorparity.judge;

import java.util.HashMap;
import java.util.Map;
import org.tensorparity.backend.GraphNode;
import org.tensorparity.backend.ModelGraph;
import org.tensorparity.result.NoiseAttribution;

/**
 * How much error each aligned tensor adds by itself, estimated from accumulated errors: its noise (the
 * error's RMS as a fraction of the reference's RMS, {@code 10^(-SQNR/20)}) minus the largest noise among
 * the nearest aligned tensors upstream of it. "Upstream" is read in the TFLite graph, where the error is
 * made; model inputs (fed identical numbers) and constants count as exact, so a layer whose weights were
 * quantized adds that quantization's error itself.
 *
 * <p>It is an estimate: noise from independent inputs can add up, and an operator can shrink noise (a
 * saturated activation) as well as grow it. It is exact for the common case quantization debuggers rank,
 * a chain of operators each rounding its own output.
 */
public final class ErrorAttribution {
    private ErrorAttribution() {
    }

    /**
     * @param noise the noise of each aligned TFLite tensor (tensors without a figure are passed through)
     * @return the attribution of every tensor in {@code noise}
     */
    public static Map<String, NoiseAttribution> of(ModelGraph tflite, Map<String, Double> noise) {
        Map<String, Double> level = new HashMap<>();
        Map<String, NoiseAttribution> result = new HashMap<>();
        for (GraphNode node : tflite.nodes()) {
            double inherited = 0;
            for (String in : node.inputs()) {
                inherited = Math.max(inherited, level.getOrDefault(in, 0.0));
            }
            for (String out : node.outputs()) {
                Double own = noise.get(out);
                if (own == null) {
                    level.put(out, inherited);
                } else {
                    level.put(out, own);
                    result.put(out, NoiseAttribution.of(own, inherited));
                }
            }
        }
        return result;
    }

    /** The noise of a tensor of SQNR {@code sqnrDb}: 0 when nothing differs; null when SQNR is undefined. */
    public static Double noiseOf(double sqnrDb) {
        if (Double.isNaN(sqnrDb)) {
            return null;
        }
        return sqnrDb == Double.POSITIVE_INFINITY ? 0.0 : Math.pow(10, -sqnrDb / 20);
    }
}
