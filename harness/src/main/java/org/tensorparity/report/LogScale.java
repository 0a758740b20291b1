package org.tensorparity.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A base-10 logarithmic axis from one power of ten to another, mapped onto a pixel range. Errors of one
 * report span up to thirty orders of magnitude (exact zeros aside), which only a log axis shows together.
 */
final class LogScale {
    private final int lowDecade;
    private final int highDecade;
    private final double fromPixel;
    private final double toPixel;

    private LogScale(int lowDecade, int highDecade, double fromPixel, double toPixel) {
        this.lowDecade = lowDecade;
        this.highDecade = highDecade;
        this.fromPixel = fromPixel;
        this.toPixel = toPixel;
    }

    /**
     * The decades around every finite positive value of {@code values}, at least {@code minDecades} wide
     * (1e-8 to 1 when there is none), mapped from {@code fromPixel} (low) to {@code toPixel} (high).
     */
    static LogScale spanning(List<Double> values, int minDecades, double fromPixel, double toPixel) {
        double[] unboxed = new double[values.size()];
        for (int i = 0; i < unboxed.length; i++) {
            unboxed[i] = values.get(i);
        }
        return spanning(unboxed, minDecades, fromPixel, toPixel);
    }

    /** As {@link #spanning(List, int, double, double)}, for values already unboxed. */
    static LogScale spanning(double[] values, int minDecades, double fromPixel, double toPixel) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : values) {
            if (v > 0 && Double.isFinite(v)) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        int low;
        int high;
        if (max == 0) {
            low = -8;
            high = 0;
        } else {
            low = (int) Math.floor(Math.log10(min));
            high = (int) Math.ceil(Math.log10(max));
        }
        if (high - low < minDecades) {
            high = low + minDecades;
        }
        return new LogScale(low, high, fromPixel, toPixel);
    }

    /** The pixel of {@code v}, clamped to the axis: zero and tiny values at the low end, infinity at the high end. */
    double pixel(double v) {
        double decades;
        if (!(v > 0)) {
            decades = lowDecade;
        } else if (Double.isInfinite(v)) {
            decades = highDecade;
        } else {
            decades = Math.max(lowDecade, Math.min(highDecade, Math.log10(v)));
        }
        return fromPixel + (decades - lowDecade) / (highDecade - lowDecade) * (toPixel - fromPixel);
    }

    /** One tick per decade, or per second or third decade on a long axis, labelled {@code 1e-4}. */
    List<ChartMark> ticks(int maxTicks) {
        int step = Math.max(1, (int) Math.ceil((highDecade - lowDecade + 1) / (double) maxTicks));
        List<ChartMark> ticks = new ArrayList<>();
        for (int d = highDecade; d >= lowDecade; d -= step) {
            ticks.add(new ChartMark(NumberText.coordinate(pixel(Math.pow(10, d))), d == 0 ? "1" : "1e" + d));
        }
        return ticks;
    }
}
