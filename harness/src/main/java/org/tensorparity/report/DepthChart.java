package org.tensorparity.report;

import java.util.ArrayList;
import java.util.List;
import org.tensorparity.compare.ErrorMetrics;
import org.tensorparity.compare.Verdict;
import org.tensorparity.result.LayerResult;

/**
 * Error against depth, as an inline SVG: for every aligned layer in execution order, the raw
 * {@code max |a-b|}, the scale-normalized error and, for layers that were isolated, the normalized error the
 * layer's operator adds by itself, all on one log axis. Where the accumulated line steps up and the isolated
 * line stays at the rounding level, the layer inherits its error; where both step up, it is the root cause. A healthy conversion is a flat
 * band at the rounding level; a broken layer is a step up that the layers after it carry on to the outputs.
 * Each point links to its layer's drill-down.
 *
 * @param width the view box width
 * @param height the view box height
 * @param plotLeft the x of the y axis
 * @param plotRight the right end of the plot
 * @param plotTop the top of the plot
 * @param plotBottom the y of the x axis
 * @param yTicks decade ticks
 * @param xTicks layer index ticks
 * @param rawPath the max |a-b| line (SVG path data), absent when no layer has metrics
 * @param normalizedPath the normalized error line, likewise
 * @param isolatedPath the isolated (added by itself) normalized error line, absent when no layer was isolated
 * @param points one per layer on the normalized line, coloured by verdict
 * @param tolerance the horizontal tolerance line, when every layer was judged by the same named profile
 * @param divergence the vertical first divergence line, if any
 */
record DepthChart(int width, int height, int plotLeft, int plotRight, int plotTop, int plotBottom,
        List<ChartMark> yTicks, List<ChartMark> xTicks, List<String> rawPath, List<String> normalizedPath, List<String> isolatedPath, List<Point> points,
        List<ChartMark> tolerance, List<ChartMark> divergence) {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 280;
    private static final int LEFT = 56;
    private static final int RIGHT = WIDTH - 16;
    private static final int TOP = 14;
    private static final int BOTTOM = HEIGHT - 34;

    /**
     * A layer's point.
     *
     * @param anchor the drill-down it links to
     * @param title the tooltip: index, names and both errors
     * @param verdict {@code pass}, {@code fail}, {@code exact} (no difference at all: drawn on the x axis) or
 *     {@code mismatch} (no metrics: drawn at the top)
     */
    record Point(String x, String y, String rawY, String anchor, String title, String verdict) {
    }

    /**
     * @param tolerance the normalized tolerance every layer was judged by, or null when the layers' rules
     *     differ or are not a named profile
     */
    static DepthChart of(List<LayerResult> layers, Integer divergenceIndex, Double tolerance) {
        List<Double> values = new ArrayList<>();
        for (LayerResult l : layers) {
            if (l.metrics() != null) {
                values.add(l.metrics().maxAbs());
                values.add(l.metrics().normalizedMaxError());
            }
            if (isolatedMetrics(l) != null) {
                values.add(isolatedMetrics(l).normalizedMaxError());
            }
        }
        if (tolerance != null) {
            // The tolerance and the rounding level well below it, where a correct conversion's layers lie.
            values.add(tolerance);
            values.add(tolerance * 1e-3);
        }
        LogScale y = LogScale.spanning(values, 3, BOTTOM, TOP);
        int n = layers.size();
        StringBuilder raw = new StringBuilder();
        StringBuilder normalized = new StringBuilder();
        StringBuilder isolated = new StringBuilder();
        boolean isolatedBroken = true;
        List<Point> points = new ArrayList<>();
        boolean broken = true;
        for (int i = 0; i < n; i++) {
            LayerResult l = layers.get(i);
            double x = x(i, n);
            ErrorMetrics m = l.metrics();
            String anchor = HtmlReportView.layerAnchor(l.index());
            ErrorMetrics alone = isolatedMetrics(l);
            if (alone == null) {
                isolatedBroken = true;
            } else {
                NumberText.appendCoordinate(NumberText.appendCoordinate(isolated.append(isolatedBroken ? "M" : "L"), x)
                        .append(' '), y.pixel(alone.normalizedMaxError()));
                isolatedBroken = false;
            }
            if (m == null) {
                points.add(new Point(NumberText.coordinate(x), NumberText.coordinate(TOP), NumberText.coordinate(TOP),
                        anchor, "#" + l.index() + " " + l.onnx() + ": " + l.reason(), "mismatch"));
                broken = true;
                continue;
            }
            double ry = y.pixel(m.maxAbs());
            double ny = y.pixel(m.normalizedMaxError());
            String op = broken ? "M" : "L";
            NumberText.appendCoordinate(NumberText.appendCoordinate(raw.append(op), x).append(' '), ry);
            NumberText.appendCoordinate(NumberText.appendCoordinate(normalized.append(op), x).append(' '), ny);
            broken = false;
            String verdict = l.verdict() == Verdict.FAIL || m.maxAbs() != 0 ? l.verdict().id() : "exact";
            points.add(new Point(NumberText.coordinate(x), NumberText.coordinate(ny), NumberText.coordinate(ry), anchor,
                    "#" + l.index() + " " + l.onnx() + " / " + l.tflite() + ": max |a-b| " + NumberText.error(m.maxAbs())
                            + ", normalized " + NumberText.error(m.normalizedMaxError())
                            + (alone == null ? "" : ", added alone " + NumberText.error(alone.normalizedMaxError())), verdict));
        }
        List<ChartMark> toleranceLine = tolerance == null ? List.of()
                : List.of(new ChartMark(NumberText.coordinate(y.pixel(tolerance)), "tolerance " + NumberText.error(tolerance)));
        List<ChartMark> divergence = divergenceIndex == null || n == 0 ? List.of()
                : List.of(new ChartMark(NumberText.coordinate(x(divergenceIndex, n)), "first divergence #" + divergenceIndex));
        return new DepthChart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, y.ticks(8), xTicks(n), present(raw),
                present(normalized), present(isolated), points, toleranceLine, divergence);
    }

    /** The error the layer adds by itself, when it was isolated and its pairing is not in doubt. */
    private static ErrorMetrics isolatedMetrics(LayerResult l) {
        return l.isolated() == null || !l.isolated().credible() ? null : l.isolated().metrics();
    }

    /** An SVG path, or nothing: an empty {@code d} attribute is an error in some browsers' consoles. */
    static List<String> present(CharSequence path) {
        return path.length() == 0 ? List.of() : List.of(path.toString());
    }

    private static double x(int i, int n) {
        return n <= 1 ? (LEFT + RIGHT) / 2.0 : LEFT + 8 + i * (RIGHT - LEFT - 16) / (double) (n - 1);
    }

    /** About ten ticks at round layer indices. */
    private static List<ChartMark> xTicks(int n) {
        List<ChartMark> ticks = new ArrayList<>();
        if (n == 0) {
            return ticks;
        }
        int step = 1;
        for (int candidate : new int[] {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000}) {
            step = candidate;
            if (n / candidate <= 10) {
                break;
            }
        }
        for (int i = 0; i < n; i += step) {
            ticks.add(new ChartMark(NumberText.coordinate(x(i, n)), Integer.toString(i)));
        }
        return ticks;
    }
}
