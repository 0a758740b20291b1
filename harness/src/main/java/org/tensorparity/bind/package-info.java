/**
 * Binding: which ONNX input feeds which TFLite input (and which output answers which), under what
 * layout permutation, and the values fed to both: where each input's come from ({@link
 * org.tensorparity.bind.InputSource}: seeded, a file, given values or an upstream stage) and how they are read
 * ({@link org.tensorparity.bind.InputResolver}). Knows no runtime and nothing of comparison.
 */
package org.tensorparity.bind;
