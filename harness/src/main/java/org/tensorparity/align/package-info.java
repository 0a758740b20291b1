/**
 * Alignment: which ONNX activation is which TFLite activation, and why. Works without any converter
 * name map: a monotone dynamic programme over both execution orders scores every candidate pair from
 * structure (shapes under a layout permutation, operator families, fusion chains), name evidence and
 * layout-invariant value fingerprints. Pairs carry their evidence and a confidence; nothing is matched
 * silently and nothing here applies a tolerance. Knows no runtime.
 */
package org.tensorparity.align;
