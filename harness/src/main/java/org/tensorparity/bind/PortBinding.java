package org.tensorparity.bind;

import java.util.List;

/**
 * How the boundary tensors of the two models were paired.
 *
 * @param pairs the bound pairs, in ONNX order
 * @param onnxOnly ONNX tensors with no TFLite counterpart
 * @param tfliteOnly TFLite tensors with no ONNX counterpart
 */
public record PortBinding(List<Binding> pairs, List<Port> onnxOnly, List<Port> tfliteOnly) {
    public PortBinding {
        pairs = List.copyOf(pairs);
        onnxOnly = List.copyOf(onnxOnly);
        tfliteOnly = List.copyOf(tfliteOnly);
    }
}
