/**
 * Binding: which ONNX input feeds which TFLite input (and which output answers which), under what
 * layout permutation, and the seeded values fed to both. Knows no runtime and nothing of comparison.
 */
package org.tensorparity.bind;
