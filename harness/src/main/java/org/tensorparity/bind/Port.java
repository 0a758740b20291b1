package org.tensorparity.bind;

import org.tensorparity.tensor.Shape;

/** A named model boundary tensor and the shape it has in this run (static for ONNX, maybe dynamic for TFLite). */
public record Port(String name, Shape shape) {
}
