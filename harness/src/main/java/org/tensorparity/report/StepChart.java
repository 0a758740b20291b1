package org.tensorparity.report;

import java.util.ArrayList;
import java.util.List;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.StepSeries;
import org.tensorparity.result.StepTrack;

/**
 * Error against step, as an inline SVG: each output's {@code max |a-b|} over its scale at every step of a streaming
 * run, on one log axis, with each distinct tolerance and the first failing step. A flat band is error that does not
 * accumulate; a line that climbs is drift the state carries from step to step. Beyond {@link #MAX_POINTS} steps each
 * point stands for a run of steps and shows their largest error, so no spike is lost.
 *
 * @param tracks one line per output, with its legend entry
 * @param tolerance a horizontal line per distinct relative tolerance
 * @param failure the vertical line at the first failing step, if any
 */
record StepChart(int width, int height, int plotLeft, int plotRight, int plotTop, int plotBottom,
        List<ChartMark> yTicks, List<ChartMark> xTicks, List<Track> tracks, List<ChartMark> tolerance,
        List<ChartMark> failure, String stepCount) {
    private static final int WIDTH = 960;
    private static final int HEIGHT = 280;
    private static final int LEFT = 56;
    private static final int RIGHT = WIDTH - 16;
    private static final int TOP = 14;
    private static final int BOTTOM = HEIGHT - 34;
    /** About one point per pixel of the plot's width. */
    private static final int MAX_POINTS = RIGHT - LEFT;
    /** Line colours in report.css: {@code .line.track0} to {@code track5}, then again. */
    private static final int COLOURS = 6;

    /**
     * One output's line.
     *
     * @param path SVG path data
     * @param colour its CSS class
     * @param name the output, model-derived (escaped by the template)
     * @param note its verdict and worst step, for the legend
     */
    record Track(String path, String colour, String name, String note) {
    }

    /** The chart of a streaming run, or none for a run of one step. */
    static List<StepChart> of(StepSeries s) {
        if (s == null || s.tracks().isEmpty()) {
            return List.of();
        }
        List<Double> values = new ArrayList<>();
        for (StepTrack t : s.tracks()) {
            for (int step = 1; step <= s.steps(); step++) {
                values.add(t.relativeError(step));
            }
            if (t.relativeTolerance() != null) {
                values.add(t.relativeTolerance());
            }
        }
        LogScale y = LogScale.spanning(values, 3, BOTTOM, TOP);
        int n = s.steps();
        int buckets = Math.min(n, MAX_POINTS);
        List<Track> tracks = new ArrayList<>();
        List<ChartMark> tolerance = new ArrayList<>();
        List<Double> tolerances = new ArrayList<>();
        for (int i = 0; i < s.tracks().size(); i++) {
            StepTrack t = s.tracks().get(i);
            StringBuilder path = new StringBuilder();
            for (int b = 0; b < buckets; b++) {
                int from = 1 + (int) ((long) b * n / buckets);
                int to = (int) ((long) (b + 1) * n / buckets);
                double worst = 0;
                for (int step = from; step <= to; step++) {
                    worst = Math.max(worst, t.relativeError(step));
                }
                NumberText.appendCoordinate(NumberText.appendCoordinate(path.append(b == 0 ? "M" : "L"),
                        x((from + to) / 2.0, n)).append(' '), y.pixel(worst));
            }
            tracks.add(new Track(path.toString(), "track" + (i % COLOURS), t.onnx() + (t.feeds() == null ? ""
                    : " (state, fed to " + t.feeds() + ")"), (t.verdict() == Verdict.PASS ? "pass" : "fail from step "
                            + t.firstFailingStep()) + ", worst " + NumberText.error(t.relativeError(t.worstStep()))
                            + " at step " + t.worstStep()));
            if (t.relativeTolerance() != null && !tolerances.contains(t.relativeTolerance())) {
                tolerances.add(t.relativeTolerance());
                tolerance.add(new ChartMark(NumberText.coordinate(y.pixel(t.relativeTolerance())),
                        "tolerance " + NumberText.error(t.relativeTolerance())));
            }
        }
        List<ChartMark> failure = s.firstFailingStep() == null ? List.of()
                : List.of(new ChartMark(NumberText.coordinate(x(s.firstFailingStep(), n)),
                        "first failing step " + s.firstFailingStep()));
        return List.of(new StepChart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, y.ticks(8), xTicks(n), tracks, tolerance,
                failure, NumberText.count(n)));
    }

    private static double x(double step, int n) {
        return n <= 1 ? (LEFT + RIGHT) / 2.0 : LEFT + 8 + (step - 1) * (RIGHT - LEFT - 16) / (n - 1);
    }

    /** About ten ticks at round steps. */
    private static List<ChartMark> xTicks(int n) {
        long stride = 1;
        while (n / stride > 10) {
            stride = nextRound(stride);
        }
        List<ChartMark> ticks = new ArrayList<>();
        if (stride > 1) {
            ticks.add(new ChartMark(NumberText.coordinate(x(1, n)), "1"));
        }
        for (long step = stride; step <= n; step += stride) {
            ticks.add(new ChartMark(NumberText.coordinate(x(step, n)), Long.toString(step)));
        }
        return ticks;
    }

    /** 1, 2, 5, 10, 20, 50, ... */
    private static long nextRound(long stride) {
        long decade = 1;
        while (decade * 10 <= stride) {
            decade *= 10;
        }
        long lead = stride / decade;
        return lead == 1 ? 2 * decade : lead == 2 ? 5 * decade : 10 * decade;
    }
}
