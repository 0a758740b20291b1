/**
 * The ONNX Runtime runner: the only package that imports {@code ai.onnxruntime}. Capturing
 * intermediates is a model transform here (every node output is added as a graph output before the
 * session is built), so the session itself never knows it is instrumented.
 */
package org.tensorparity.backend.ort;
