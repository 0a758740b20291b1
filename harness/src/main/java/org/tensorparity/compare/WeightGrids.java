package org.tensorparity.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorparity.tensor.Float16;
import org.tensorparity.text.ShortNumber;

/**
 * Weights that differ only by the number grid they sit on: rounded to bfloat16, float16 or int8
 * ({@link DiagnosisKind#PRECISION}), or int8 codes read at other scales than the ones that fit them
 * ({@link DiagnosisKind#QUANTIZATION}). Part of {@link WeightDifference}'s comparison.
 */
public final class WeightGrids {
    /**
     * A stored quantization scale this far from the one that fits its codes to the reference weights is off: the fit
     * of a depthwise channel's nine codes moves by a few percent with rounding; the errors told here are x1.5 and x2.
     */
    private static final double QUANT_SCALE_OFF = 0.1;

    private WeightGrids() {
    }

    /**
     * Whether the converted weights are integer codes that fit the reference weights at other scales than the ones
     * stored with them: each output channel's codes, centered on its zero point, are fitted to the reference weights by
     * least squares; when every channel fits within rounding (half a step, and a quarter more for the fit's own
     * error) and some stored scale differs from the fitted one by more than {@link #QUANT_SCALE_OFF}, the quantization
     * parameters, not the weights, are what changed ({@link DiagnosisKind#QUANTIZATION}). Empty otherwise: the codes
     * are the reference's, or do not fit it.
     *
     * @param converted the converted weights' real values, output channels first
     * @param scales the stored scale of each output channel
     * @param storage the integer type the codes are stored in, in words ({@code int8})
     */
    public static Optional<WeightDifference.Found> ofQuantized(WeightDifference.Weights reference, float[] converted, float[] scales,
            String storage) {
        int channels = reference.channels();
        int n = reference.perChannel();
        double tol = WeightDifference.SAME * Math.max(WeightDifference.maxAbs(reference.kernel()), Float.MIN_NORMAL);
        List<Integer> off = new ArrayList<>();
        List<Double> factors = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            double dot = 0;
            double norm = 0;
            double[] codes = new double[n];
            for (int i = 0; i < n; i++) {
                // The stored code minus the zero point: the real value over the scale, exact up to float rounding.
                codes[i] = Math.rint(converted[c * n + i] / scales[c]);
                dot += codes[i] * reference.kernel()[c * n + i];
                norm += codes[i] * codes[i];
            }
            if (norm == 0) {
                continue;
            }
            double fitted = dot / norm;
            for (int i = 0; i < n; i++) {
                if (Math.abs(reference.kernel()[c * n + i] - fitted * codes[i]) > 0.625 * Math.abs(fitted) + tol) {
                    return Optional.empty();
                }
            }
            double factor = scales[c] / fitted;
            if (Math.abs(factor - 1) > QUANT_SCALE_OFF) {
                off.add(c);
                factors.add(factor);
            }
        }
        if (off.isEmpty()) {
            return Optional.empty();
        }
        String detail;
        if (off.size() == channels && channels > 1) {
            double lo = factors.stream().mapToDouble(Double::doubleValue).min().orElse(1);
            double hi = factors.stream().mapToDouble(Double::doubleValue).max().orElse(1);
            detail = "the " + storage + " weight scales of all " + channels + " output channels are "
                    + (hi - lo <= 2 * QUANT_SCALE_OFF ? ShortNumber.factor((lo + hi) / 2)
                            : ShortNumber.factor(lo) + " to " + ShortNumber.factor(hi))
                    + " what their codes need";
        } else {
            StringBuilder b = new StringBuilder("the " + storage + " weight scale of ")
                    .append(off.size() == 1 ? "output channel " : "output channels ");
            int shown = Math.min(off.size(), 8);
            for (int k = 0; k < shown; k++) {
                b.append(k == 0 ? "" : ", ").append(off.get(k)).append(' ').append(ShortNumber.factor(factors.get(k)));
            }
            if (shown < off.size()) {
                b.append(" and ").append(off.size() - shown).append(" more");
            }
            detail = b.append(" what ").append(off.size() == 1 ? "its codes need" : "their codes need").append(" (of ")
                    .append(channels).append(')').toString();
        }
        return Optional.of(new WeightDifference.Found(DiagnosisKind.QUANTIZATION, detail));
    }

    /** The converted weights on a bfloat16, float16 or int8 grid the reference's are not on (or the other way). */
    static WeightDifference.Found precision(float[] reference, float[] converted) {
        for (String grid : List.of("bfloat16", "float16", "int8")) {
            boolean convertedOn = onGrid(converted, grid);
            boolean referenceOn = onGrid(reference, grid);
            if (convertedOn != referenceOn && withinStep(reference, converted, grid)) {
                return new WeightDifference.Found(DiagnosisKind.PRECISION, convertedOn
                        ? "the converted weights are rounded to a " + grid + " grid"
                        : "the reference weights are rounded to a " + grid + " grid, the converted ones are not");
            }
        }
        return null;
    }

    private static boolean onGrid(float[] v, String grid) {
        switch (grid) {
            case "bfloat16" -> {
                for (float x : v) {
                    if ((Float.floatToRawIntBits(x) & 0xffff) != 0) {
                        return false;
                    }
                }
                return true;
            }
            case "float16" -> {
                for (float x : v) {
                    if (Float16.toFloat(Float16.fromFloat(x)) != x) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                // Symmetric int8 over the whole tensor: every value a multiple of max|w| / 127.
                double step = WeightDifference.maxAbs(v) / 127;
                if (step == 0) {
                    return false;
                }
                for (float x : v) {
                    double k = x / step;
                    if (Math.abs(k - Math.rint(k)) > 1e-3) {
                        return false;
                    }
                }
                return true;
            }
        }
    }

    /** Whether every pair differs by at most one step of {@code grid} at that value. */
    private static boolean withinStep(float[] a, float[] b, String grid) {
        double scale = WeightDifference.maxAbs(a);
        for (int i = 0; i < a.length; i++) {
            double m = Math.max(Math.abs(a[i]), Math.abs(b[i]));
            double step = switch (grid) {
                // Truncating a float32 subnormal to bfloat16 clears 16 of its bits: up to 2^-133, whatever its size.
                case "bfloat16" -> Math.max(Math.scalb(1.0, -7) * m, Math.scalb(1.0, -133));
                case "float16" -> Math.max(Math.scalb(1.0, -10) * m, Math.scalb(1.0, -24));
                default -> scale / 127;
            };
            if (Math.abs(a[i] - b[i]) > step * (1 + 1e-6)) {
                return false;
            }
        }
        return true;
    }
}
