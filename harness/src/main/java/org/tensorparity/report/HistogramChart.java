package org.tensorparity.report;

import java.util.ArrayList;
import java.util.List;
import org.tensorparity.compare.ErrorHistogram;

/**
 * An {@link ErrorHistogram} as an inline SVG bar chart: one bar per power of two of {@code |a-b|}, exact
 * matches apart on the left, counts on a log axis so that a handful of badly-off elements stays visible
 * next to thousands at the rounding level. Bins wholly beyond the tensor's allowance are drawn as failing.
 *
 * @param barWidth the width of every bar, drawn as a vertical stroke that wide (a report draws a chart for each of
 *     hundreds of layers, and a stroke takes half the markup of a rectangle)
 * @param bars the bars, left to right
 * @param xTicks decade labels under the bars
 * @param yTicks count labels
 * @param allowance the allowance line, when the rule gives one number for every element
 */
record HistogramChart(int width, int height, int plotLeft, int plotRight, int plotTop, int plotBottom, String barWidth,
        List<Bar> bars, List<ChartMark> xTicks, List<ChartMark> yTicks, List<ChartMark> allowance) {

    private static final int WIDTH = 440;
    private static final int HEIGHT = 170;
    private static final int LEFT = 48;
    private static final int RIGHT = WIDTH - 10;
    private static final int TOP = 10;
    private static final int BOTTOM = HEIGHT - 30;

    /**
     * @param x the bar's centre
     * @param y its top; it stands on the plot's bottom
     * @param kind {@code zero}, {@code within} or {@code beyond} the allowance
     * @param title the tooltip: the bin's range and count
     */
    record Bar(String x, String y, String kind, String title) {
    }

    /** @param allowance the largest |a-b| the rule allows at every element, or null when it varies */
    static HistogramChart of(ErrorHistogram h, Double allowance) {
        int bins = h.counts().size();
        boolean zeroBar = h.zeros() > 0;
        double slots = bins + (zeroBar ? 1.5 : 0);
        double slotWidth = (RIGHT - LEFT) / Math.max(slots, 1);
        double logStart = LEFT + (zeroBar ? 1.5 * slotWidth : 0);
        long most = h.zeros();
        for (long c : h.counts()) {
            most = Math.max(most, c);
        }
        double top = Math.log10(Math.max(most, 1)) + 1;
        List<Bar> bars = new ArrayList<>();
        if (zeroBar) {
            bars.add(bar(LEFT, slotWidth, h.zeros(), top, "zero", "|a-b| = 0: " + NumberText.count(h.zeros()) + " pairs"));
        }
        for (int k = 0; k < bins; k++) {
            long c = h.counts().get(k);
            if (c == 0) {
                continue;
            }
            int e = h.firstExponent() + k;
            double low = Math.scalb(1.0, e - 1);
            String kind = allowance != null && low >= allowance ? "beyond" : "within";
            bars.add(bar(logStart + k * slotWidth, slotWidth, c, top, kind, "|a-b| in (" + NumberText.error(low) + ", "
                    + NumberText.error(Math.scalb(1.0, e)) + "]: " + NumberText.count(c) + " pairs"));
        }
        List<ChartMark> xTicks = new ArrayList<>();
        List<ChartMark> allowanceLine = new ArrayList<>();
        if (bins > 0) {
            // Bar k spans log2 |a-b| from firstExponent + k - 1 to firstExponent + k.
            double log2Start = h.firstExponent() - 1;
            double log2End = h.firstExponent() + bins - 1;
            int lowDecade = (int) Math.ceil(log2Start * Math.log10(2));
            int highDecade = (int) Math.floor(log2End * Math.log10(2));
            int step = Math.max(1, (highDecade - lowDecade + 1 + 5) / 6);
            for (int d = lowDecade; d <= highDecade; d += step) {
                double x = logStart + (d / Math.log10(2) - log2Start) * slotWidth;
                xTicks.add(new ChartMark(NumberText.coordinate(x), d == 0 ? "1" : "1e" + d));
            }
            if (allowance != null && allowance > 0) {
                double log2 = Math.log(allowance) / Math.log(2);
                if (log2 >= log2Start && log2 <= log2End) {
                    double x = logStart + (log2 - log2Start) * slotWidth;
                    allowanceLine.add(new ChartMark(NumberText.coordinate(x), "allowed " + NumberText.error(allowance)));
                }
            }
        }
        if (zeroBar) {
            xTicks.add(0, new ChartMark(NumberText.coordinate(LEFT + slotWidth / 2), "0"));
        }
        List<ChartMark> yTicks = new ArrayList<>();
        for (long c = 1; c <= most; c *= 100) {
            double y = BOTTOM - (Math.log10(c) + 1) / top * (BOTTOM - TOP);
            yTicks.add(new ChartMark(NumberText.coordinate(y), NumberText.count(c)));
        }
        return new HistogramChart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM,
                NumberText.coordinate(Math.max(1, slotWidth - 1)), bars, xTicks, yTicks, allowanceLine);
    }

    private static Bar bar(double x, double slotWidth, long count, double top, String kind, String title) {
        double h = (Math.log10(count) + 1) / top * (BOTTOM - TOP);
        double centre = x + 0.5 + Math.max(1, slotWidth - 1) / 2;
        return new Bar(NumberText.coordinate(centre), NumberText.coordinate(BOTTOM - h), kind, title);
    }
}
