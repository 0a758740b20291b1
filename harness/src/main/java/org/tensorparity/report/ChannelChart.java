package org.tensorparity.report;

import java.util.ArrayList;
import java.util.List;
import org.tensorparity.compare.ChannelErrors;

/**
 * {@link ChannelErrors} as an inline SVG: one bar per channel (or group of channels) on a log axis of
 * {@code max |a-b|}, bars beyond the allowance drawn as failing, plus the worst channels in words. One
 * broken channel is a single spike; a layer-wide fault lifts every bar.
 *
 * @param axis the ONNX axis read as channels
 * @param channelsText how many channels and how many per bar, in words
 * @param withinPath bars within the allowance, as one path of vertical strokes {@code barWidth} wide
 * @param beyondPath bars beyond it
 * @param barWidth stroke width of a bar
 * @param xTicks the first and the last channel's labels
 * @param yTicks decade labels
 * @param allowance the allowance line, when the rule gives one number for every element
 * @param worst the worst channels, in words, worst first
 */
record ChannelChart(int width, int height, int plotLeft, int plotRight, int plotTop, int plotBottom, int axis,
        String channelsText, List<String> withinPath, List<String> beyondPath, String barWidth, List<ChartMark> xTicks, List<ChartMark> yTicks, List<ChartMark> allowance,
        String worst) {

    private static final int WIDTH = 440;
    private static final int HEIGHT = 130;
    private static final int LEFT = 48;
    private static final int RIGHT = WIDTH - 10;
    private static final int TOP = 10;
    private static final int BOTTOM = HEIGHT - 26;
    private static final int WORST_LISTED = 3;

    /** @param allowance the largest |a-b| the rule allows at every element, or null when it varies */
    static ChannelChart of(ChannelErrors c, Double allowance) {
        // Unboxed once: a report draws a chart for every layer, and reads each bin a few times.
        float[] values = new float[c.maxAbs().size()];
        for (int k = 0; k < values.length; k++) {
            values[k] = c.maxAbs().get(k);
        }
        int bins = values.length;
        double[] scaleValues = new double[bins + (allowance != null ? 1 : 0)];
        for (int k = 0; k < bins; k++) {
            scaleValues[k] = values[k];
        }
        if (allowance != null) {
            scaleValues[bins] = allowance;
        }
        LogScale y = LogScale.spanning(scaleValues, 1, BOTTOM, TOP);
        double barWidth = (RIGHT - LEFT) / (double) Math.max(bins, 1);
        double limit = allowance == null ? Double.POSITIVE_INFINITY : allowance;
        StringBuilder within = new StringBuilder();
        StringBuilder beyond = new StringBuilder();
        for (int k = 0; k < bins; k++) {
            float v = values[k];
            if (!(v > 0)) {
                continue;
            }
            StringBuilder path = v > limit ? beyond : within;
            NumberText.appendCoordinate(path.append('M'), LEFT + (k + 0.5) * barWidth).append(' ').append(BOTTOM);
            NumberText.appendCoordinate(path.append('V'), y.pixel(v));
        }
        List<ChartMark> xTicks = new ArrayList<>();
        if (bins > 0) {
            // The first label starts at the plot's left edge and the last ends at its right edge.
            xTicks.add(new ChartMark(Integer.toString(LEFT), "0"));
            if (bins > 1) {
                xTicks.add(new ChartMark(Integer.toString(RIGHT), Integer.toString(c.channels() - 1)));
            }
        }
        List<ChartMark> allowanceLine = allowance == null ? List.of()
                : List.of(new ChartMark(NumberText.coordinate(y.pixel(allowance)), "allowed " + NumberText.error(allowance)));
        String channelsText = NumberText.count(c.channels()) + " channels"
                + (c.channelsPerBin() > 1 ? ", " + c.channelsPerBin() + " per bar" : "");
        return new ChannelChart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, c.axis(), channelsText, DepthChart.present(within), DepthChart.present(beyond),
                NumberText.coordinate(Math.max(0.6, barWidth * 0.8)), xTicks, y.ticks(4), allowanceLine,
                worst(c, values));
    }

    /** "worst channel 41: 3.93e-2, channel 7: 1.2e-5, ..." over the non-zero bins, worst first. */
    private static String worst(ChannelErrors c, float[] v) {
        // A few passes over the bins: cheaper than sorting them, which a report does for every tensor.
        boolean[] listed = new boolean[v.length];
        StringBuilder text = new StringBuilder("worst ");
        int count = 0;
        for (int rank = 0; rank < WORST_LISTED; rank++) {
            int best = -1;
            for (int k = 0; k < v.length; k++) {
                if (v[k] > 0 && !listed[k] && (best < 0 || v[k] > v[best])) {
                    best = k;
                }
            }
            if (best < 0) {
                break;
            }
            listed[best] = true;
            int first = best * c.channelsPerBin();
            int last = Math.min(c.channels(), first + c.channelsPerBin()) - 1;
            text.append(count++ == 0 ? "" : ", ")
                    .append(first == last ? "channel " + first : "channels " + first + "-" + last)
                    .append(": ").append(NumberText.error(v[best]));
        }
        return count == 0 ? "every channel matches exactly" : text.toString();
    }
}
