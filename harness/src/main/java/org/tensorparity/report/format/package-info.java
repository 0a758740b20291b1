/**
 * Report formats. Each writer reads a finished {@link org.tensorparity.report.ParityReport} and renders
 * it; none computes anything. Every file is written atomically through {@link
 * org.tensorparity.report.format.AtomicFileWriter}, so a failed write never leaves half a report.
 */
package org.tensorparity.report.format;
