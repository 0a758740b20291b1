/**
 * Tensors as plain values: a {@link org.tensorparity.tensor.Shape}, row-major float values, and the few
 * kernels the project needs (permutation). Knows no runtime, no file format and no comparison.
 */
package org.tensorparity.tensor;
