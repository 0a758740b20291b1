/**
 * tensor-parity: proves that a converted TFLite model computes what its ONNX original computes.
 *
 * <p>Data flows one way: {@code model} (load) -> {@code bind} (inputs) -> {@code backend} (run) ->
 * {@code compare} (judge) -> {@code report} (result model and its formats); {@code run} wires the
 * stages and {@code cli} wires flags to {@code run}. This package holds the small exception hierarchy
 * shared by all stages, and the wait for the tool's own threads ({@link org.tensorparity.Threads}).
 */
package org.tensorparity;
