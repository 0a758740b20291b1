/**
 * Statistics and verdicts under tolerance rules; knows no runtime, no file, no HTML.
 *
 * <p>{@link org.tensorparity.compare.TensorComparator} pairs a reference tensor (the ONNX value) with a
 * candidate tensor (the TFLite value, possibly in another axis layout), computes
 * {@link org.tensorparity.compare.ErrorMetrics} in one pass and judges them with a
 * {@link org.tensorparity.compare.ToleranceRule}, giving a {@link org.tensorparity.compare.Comparison}.
 * The default rule is {@link org.tensorparity.compare.ToleranceProfile#DEFAULT}; per-tensor rules come
 * from {@link org.tensorparity.compare.ToleranceOverrides}.
 *
 * <p>Everything here is plain data or pure computation: no I/O, no logging, no model runtime, no
 * rendering. Reports read these records; they never recompute a metric.
 */
package org.tensorparity.compare;
