/**
 * Alignment: which ONNX activation is which TFLite activation, and why. Works without any converter name map:
 * activations whose values agree on a sample of elements (under a layout that fits both shapes) pair first; a
 * layer a converter broke pairs by structure (shape, operator family, the partner of a paired ancestor, name
 * evidence); a TFLite TRANSPOSE pairs with its source's partner. Pairs carry their evidence and a confidence
 * ({@link org.tensorparity.align.AlignmentWeights}); nothing is matched silently and nothing here applies a
 * tolerance. Knows no runtime.
 */
package org.tensorparity.align;
