/**
 * Report formats. Each writer reads a finished {@link org.tensorparity.result.ParityReport} and renders
 * it: JSON (its document defined field by field in {@code ReportDocument}, and {@link
 * org.tensorparity.report.JsonReportReader} reads it back), the terminal
 * summary, the self-contained HTML report, JUnit XML and a Markdown summary. None computes a metric; the
 * HTML writer only lays out its charts from the recorded ones. Every string from a model file is
 * untrusted and each format escapes it its own way. Every file is written atomically through {@link
 * org.tensorparity.report.AtomicFileWriter}, so a failed write never leaves half a report.
 */
package org.tensorparity.report;
