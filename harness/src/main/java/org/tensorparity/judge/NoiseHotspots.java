package org.tensorparity.judge;

import java.util.Comparator;
import java.util.List;
import org.tensorparity.result.IsolatedError;
import org.tensorparity.result.LayerResult;

/** Where quantization hurts: the layers that add the most error themselves, largest first. */
public final class NoiseHotspots {
    /** How many layers the "where quantization hurts" list names: a screenful. */
    private static final int HOTSPOTS = 10;
    /**
     * Added noise that is more than float arithmetic: float32 rounding adds 1e-7 to 1e-5 of the signal's RMS
     * per layer on the corpus's correct conversions (YOLOX-Nano's int8 variants, whose float layers add at
     * most 4e-6); int8 rounding adds 1e-3 and more.
     */
    private static final double MATERIAL_NOISE = 1e-4;

    private NoiseHotspots() {
    }

    /**
     * The indices of the layers that add the most error themselves, largest first: by their isolated error in
     * quantization steps (RMS) where quantized layers were isolated, else by the noise their SQNR says they add.
     */
    public static List<Integer> of(List<LayerResult> layers) {
        List<Integer> measured = layers.stream().filter(l -> isolatedSteps(l) > 0)
                .sorted(Comparator.comparingDouble(NoiseHotspots::isolatedSteps).reversed())
                .limit(HOTSPOTS).map(LayerResult::index).toList();
        if (!measured.isEmpty()) {
            return measured;
        }
        return layers.stream().filter(l -> l.noise() != null && l.noise().added() > MATERIAL_NOISE)
                .sorted(Comparator.comparingDouble((LayerResult l) -> l.noise().added()).reversed())
                .limit(HOTSPOTS).map(LayerResult::index).toList();
    }

    /** The RMS error in quantization steps the layer adds by itself; 0 when not isolated credibly or not quantized. */
    private static double isolatedSteps(LayerResult l) {
        IsolatedError alone = l.isolated();
        return alone == null || !alone.credible() || alone.steps() == null ? 0 : alone.steps().rmseSteps();
    }
}
