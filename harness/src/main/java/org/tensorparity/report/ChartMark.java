package org.tensorparity.report;

/**
 * A labelled position on an SVG chart: an axis tick, or a line across the plot (the tolerance, the first
 * divergence).
 *
 * @param position the x or y coordinate in the chart's view box
 * @param label the text shown there
 */
record ChartMark(String position, String label) {
}
